"""docs/parameters.md is generated from sim/core/params.py and must not drift from it."""

from __future__ import annotations

import typing
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

from sim import paramdoc
from sim.core import params
from sim.core.params import Config

DOC = Path(__file__).resolve().parents[2] / "docs" / "parameters.md"
# How the reference spells the keys of mapping fields whose values are knob dataclasses.
ITEM_KEYS = {"powers": "<CODE>", "ties": "<STATE-POWER>"}


def _schema_fields(cls: type = Config, prefix: str = "") -> list[tuple[str, typing.Any]]:
    """(key path, field) of every field reachable from Config, walked independently of paramdoc."""
    hints = typing.get_type_hints(cls, vars(params))
    out = []
    for f in fields(cls):
        key = f"{prefix}{f.name}"
        tp = hints[f.name]
        if "item" in f.metadata:
            out.append((key, f))
            out += _schema_fields(getattr(params, f.metadata["item"]), f"{key}.{ITEM_KEYS[f.name]}.")
        elif is_dataclass(tp):
            out += _schema_fields(tp, f"{key}.")
        elif typing.get_origin(tp) is list and is_dataclass(typing.get_args(tp)[0]):
            out.append((key, f))
            out += _schema_fields(typing.get_args(tp)[0], f"{key}[i].")
        else:
            out.append((key, f))
    return out


def _rows(text: str) -> dict[str, str]:
    """Table rows of the reference by key."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("| `"):
            key = line.split("`", 2)[1]
            assert key not in rows, f"{key} is documented twice"
            rows[key] = line
    return rows


def test_parameters_doc_is_up_to_date() -> None:
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert current == paramdoc.render(), (
        "docs/parameters.md is out of date with sim/core/params.py: run `python -m sim.paramdoc --write` "
        "and commit the result."
    )


def test_every_ranged_field_is_documented_with_its_range() -> None:
    rows = _rows(paramdoc.render())
    ranged = [(key, f) for key, f in _schema_fields() if "range" in f.metadata]
    assert len(ranged) > 60  # the schema has about 80 ranged fields; guards against an empty walk
    for key, f in ranged:
        assert key in rows, f"ranged parameter {key} is missing from the reference"
        assert paramdoc.format_range(*f.metadata["range"]) in rows[key], f"{key}: range not shown"
        if f.metadata.get("doc"):
            assert f.metadata["doc"] in rows[key], f"{key}: meaning not shown"


def test_every_field_is_documented() -> None:
    rows = _rows(paramdoc.render())
    expected = {key for key, _ in _schema_fields()}
    assert expected <= set(rows), f"missing from the reference: {sorted(expected - set(rows))}"
    assert set(rows) <= expected, f"documented but not in the schema: {sorted(set(rows) - expected)}"
    assert all(not line.rstrip().endswith("|  |") for line in rows.values()), "a parameter has no meaning"


def test_sections_follow_config_order() -> None:
    text = paramdoc.render()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    nested = [f.name for f in fields(Config) if is_dataclass(typing.get_type_hints(Config)[f.name])]
    assert headings[0].startswith("## Top level")
    assert [h.split("`")[1] for h in headings[1:]] == nested


def test_defaults_shown() -> None:
    rows = _rows(paramdoc.render())
    assert "`0.002`" in rows["hazards.coup_base"]
    assert "`1.5`" in rows["incentives.junta.regime_protection"]
    assert "`0.8`" in rows["incentives.civilian.regime_protection"]
    assert "`heuristic`, `fixed`, `scripted`" in rows["policy.default"]
    assert "`null`" in rows["scenario.powers.<CODE>.overstretch"]


def test_cli_prints_and_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paramdoc.main([]) == 0
    assert capsys.readouterr().out == paramdoc.render()
    target = tmp_path / "docs" / "parameters.md"
    monkeypatch.setattr(paramdoc, "DOC_PATH", target)
    assert paramdoc.main(["--write"]) == 0
    assert target.read_text(encoding="utf-8") == paramdoc.render()


def test_the_event_table_of_the_model_doc_is_up_to_date() -> None:
    text = paramdoc.MODEL_DOC_PATH.read_text(encoding="utf-8")
    assert text == paramdoc.with_events_table(text), (
        "the event table of docs/model.md is out of date with sim.core.vocabulary.EVENTS: run "
        "`python -m sim.paramdoc --write` and commit the result."
    )
    for event_type in paramdoc.EVENTS:
        assert f"| `{event_type}` |" in text
