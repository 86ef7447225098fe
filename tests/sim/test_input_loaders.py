"""Every YAML file the project reads goes through the one safe loader (sim.core.data_yaml): the
calibration a forecast applies, the observed timeline, and the conf/ files a command composes
(checked before Hydra, whose own reader expands aliases)."""

from __future__ import annotations

import shutil

import pytest

from analysis.observed import load_timeline
from sim.calibration_verdict import set_overrides
from sim.config import CONF_DIR, check_conf_files, precheck_overrides
from sim.core.params import ConfigError

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
)


@pytest.fixture
def conf_copy(tmp_path):
    """A copy of conf/ to break files in."""
    return shutil.copytree(CONF_DIR, tmp_path / "conf")


def test_the_shipped_conf_files_pass_the_safe_loader():
    for name in ("config", "sweep_app"):
        check_conf_files(name, [])
    groups = [d.name for d in CONF_DIR.iterdir() if d.is_dir()]
    for group in groups:
        for path in (CONF_DIR / group).glob("*.yaml"):
            check_conf_files("config", [f"{group}={path.stem}"])


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (LAUGHS, "an alias"),
        ("name: a\nname: b\n", "given twice"),
        ("samples: " + "9" * 400 + "\n", "too large"),
    ],
)
def test_a_sweep_file_that_is_more_than_data_is_refused_before_hydra(conf_copy, text, needle):
    (conf_copy / "sweep" / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=needle) as err:
        check_conf_files("sweep_app", ["sweep=bad"], conf_copy)
    assert "bad.yaml" in str(err.value)


def test_a_chosen_group_file_replaces_the_default_one(conf_copy):
    (conf_copy / "sweep" / "demo_lhs.yaml").write_text(LAUGHS, encoding="utf-8")  # the default, broken
    check_conf_files("sweep_app", ["sweep=demo_grid"], conf_copy)  # not read when another is chosen
    with pytest.raises(ConfigError, match="demo_lhs.yaml"):
        check_conf_files("sweep_app", [], conf_copy)


def test_precheck_names_a_missing_group_file_as_before():
    assert "experiment" in precheck_overrides(["experiment=no_such_thing"])


def test_a_calibration_with_aliases_or_bad_bytes_is_a_clean_error(tmp_path):
    bad = tmp_path / "calibrated.yaml"
    bad.write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(ValueError, match=r"calibrated.yaml.*alias.*Re-run `python -m sim.calibrate`"):
        set_overrides(bad)
    bad.write_bytes(b"incentives:\n  junta: {sovereignty: \xff}\n")
    with pytest.raises(ValueError, match="not UTF-8"):
        set_overrides(bad)


def test_a_timeline_with_aliases_is_a_clean_error(tmp_path):
    bad = tmp_path / "timeline.yaml"
    bad.write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(ValueError, match=r"timeline file .*timeline.yaml.*alias"):
        load_timeline(bad)
    assert load_timeline()  # the shipped timeline loads


@pytest.mark.parametrize(
    "event, needle",
    [
        ("- 5", "events[0] must be a mapping"),
        ("- {id: X, date: '2020-08-18', type: coup, actors: Mali}", "events[X]: 'actors' must be a list of names"),
        ("- {id: X, date: '2020-08-18', type: [coup], actors: [Mali]}", "events[X] needs a type"),
        ("- {id: X, type: coup, actors: [Mali]}", "events[X]: not a date: None"),
    ],
)
def test_a_timeline_event_of_the_wrong_shape_is_named(tmp_path, event, needle):
    """Events that map_timeline would fail on (an event that is no mapping, actors that are no list) or
    misread (actors as one string, read letter by letter; a type that is no word, silently skipped)."""
    bad = tmp_path / "timeline.yaml"
    bad.write_text(f"events:\n{event}\n", encoding="utf-8")
    with pytest.raises(ValueError) as info:
        load_timeline(bad)
    assert str(info.value).startswith(f"{bad}: ") and needle in str(info.value)
