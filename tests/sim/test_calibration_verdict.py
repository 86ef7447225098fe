"""The verdict rule (both directions), the verdict file and the forecast's choice of parameter set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.calibration_verdict import beats_defaults, choose_set, read_verdict, verdict_path, verdict_reason


def test_the_verdict_needs_the_whole_interval_below_zero():
    assert beats_defaults([-0.012, -0.001]) is True  # better by more than the uncertainty
    assert beats_defaults([-0.012, 0.0]) is False  # touches zero
    assert beats_defaults([-0.012, 0.003]) is False  # better on average, within the uncertainty
    assert beats_defaults([0.001, 0.009]) is False  # worse
    with pytest.raises(ValueError):
        beats_defaults([0.01, -0.01])


def test_the_reason_says_which_way_and_quotes_the_interval():
    yes = verdict_reason(True, -0.007, [-0.012, -0.002], 0.9)
    no = verdict_reason(False, -0.004, [-0.010, 0.002], 0.9)
    assert "beats the defaults" in yes and "-0.0120 to -0.0020" in yes and "90% interval" in yes
    assert "does not beat" in no and "+0.0020" in no


def _files(tmp_path: Path, use: bool | None) -> tuple[Path, Path]:
    config = tmp_path / "calibrated.yaml"
    config.write_text("# @package _global_\nhazards:\n  expel_rate: 0.25\n")
    if use is not None:
        verdict_path(config).write_text(json.dumps({"use_calibrated": use, "reason": "why"}))
    return config, verdict_path(config)


def test_choose_set_follows_the_verdict(tmp_path):
    config, verdict = _files(tmp_path, True)
    assert verdict == tmp_path / "calibrated_verdict.json"
    chosen = choose_set([], config, verdict)
    # a calibration outside conf/incentives/ applies as its values (conf's own: test_a_calibration_outside_...)
    assert chosen.overrides == ["hazards.expel_rate=0.25"] and chosen.name == "calibrated" and chosen.reason == "why"
    config, verdict = _files(tmp_path, False)
    chosen = choose_set(["hazards.expel_rate=0.2"], config, verdict)
    assert chosen.overrides == [] and chosen.name == "defaults" and chosen.reason == "hand-set defaults: why"


def test_choose_set_without_a_verdict_or_a_config_uses_the_defaults(tmp_path):
    config, verdict = _files(tmp_path, None)
    assert choose_set([], config, verdict).overrides == [] and "no verdict" in choose_set([], config, verdict).reason
    config.unlink()
    assert choose_set([], config, verdict).overrides == [] and "missing" in choose_set([], config, verdict).reason


def test_an_explicit_incentives_override_wins(tmp_path):
    config, verdict = _files(tmp_path, False)
    chosen = choose_set(["incentives=calibrated"], config, verdict)
    assert chosen.overrides == [] and chosen.name == "calibrated" and "command line" in chosen.reason
    config, verdict = _files(tmp_path, True)
    assert choose_set(["incentives=baseline"], config, verdict).name == "baseline"


def test_a_malformed_verdict_names_the_file_and_the_fix(tmp_path):
    bad = tmp_path / "calibrated_verdict.json"
    bad.write_text('{"use_calibrated": "yes"}')
    with pytest.raises(ValueError, match="calibrated_verdict.json.*use_calibrated.*sim.calibrate"):
        read_verdict(bad)
    assert read_verdict(tmp_path / "none.json") is None


def test_a_calibration_is_found_from_its_folder_or_its_file(tmp_path):
    from sim.calibration_verdict import calibration_file

    with pytest.raises(ValueError, match="No calibration in"):
        calibration_file(tmp_path)
    (tmp_path / "incentives").mkdir()
    (tmp_path / "incentives" / "calibrated.yaml").write_text("hazards: {coup_base: 0.001}\n")
    assert calibration_file(tmp_path) == tmp_path / "incentives" / "calibrated.yaml"
    (tmp_path / "calibrated.yaml").write_text("hazards: {coup_base: 0.002}\n")
    assert calibration_file(tmp_path) == tmp_path / "calibrated.yaml"  # what sim.calibrate --out writes
    assert calibration_file(tmp_path / "x.yaml") == tmp_path / "x.yaml"


def test_a_calibration_outside_the_config_folder_applies_as_values(tmp_path):
    from sim.calibration_verdict import CALIBRATED_CONFIG, set_overrides

    assert set_overrides(CALIBRATED_CONFIG) == ["incentives=calibrated"]
    mine = tmp_path / "calibrated.yaml"
    mine.write_text("# @package _global_\nhazards:\n  coup_base: 0.001\nincentives:\n  junta: {security: 2}\n")
    assert set_overrides(mine) == ["hazards.coup_base=0.001", "incentives.junta.security=2"]
    mine.write_text("hazards:\n  coup_base: lots\n")
    with pytest.raises(ValueError, match="hazards.coup_base: 'lots'; a calibration holds numbers only"):
        set_overrides(mine)


def test_calibrate_writes_into_the_output_folder_when_installed(tmp_path, monkeypatch):
    import sim.calibrate as calibrate

    assert calibrate.default_config_out(tmp_path) == calibrate.DEFAULT_CONFIG_OUT  # a checkout: conf/incentives/
    monkeypatch.setattr(calibrate, "in_checkout", lambda: False)
    assert calibrate.default_config_out(tmp_path) == tmp_path / "calibrated.yaml"
    args = calibrate.parse_args(["--out", str(tmp_path / "cal")])
    assert args.write_config == tmp_path / "cal" / "calibrated.yaml"
    assert calibrate.parse_args(["--write-config", str(tmp_path / "c.yaml")]).write_config == tmp_path / "c.yaml"
