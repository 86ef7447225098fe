"""The published JSON Schemas (schemas/) agree with the loaders they are generated from: each is the
committed text of the declarations, accepts every shipped world and move file, and rejects the same
mistakes the loaders reject (each mutation below is tried both ways)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from sim.core import data_yaml
from sim.core.world import SCENARIO_DIR, WorldError, load_world
from workshop.schemas import SCHEMA_DIR, main, schemas

REPO = Path(__file__).resolve().parents[1]
WORLDS = sorted(SCENARIO_DIR.glob("*.yaml")) + [REPO / "tests" / "fixtures" / "tiny_world.yaml"]
WORLD_SCHEMA = Draft202012Validator(json.loads((SCHEMA_DIR / "world.schema.json").read_text(encoding="utf-8")))


def as_json(data: object) -> object:
    """The data an editor sees: YAML dates as the quoted text they should be."""
    return json.loads(json.dumps(data, default=str))


def test_the_committed_schemas_are_the_declarations():
    assert main(["--check"]) == 0
    for name, schema in schemas().items():
        Draft202012Validator.check_schema(schema)
        assert json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8")) == schema


@pytest.mark.parametrize("path", WORLDS, ids=lambda p: p.name)
def test_the_schema_accepts_every_shipped_world(path):
    load_world(path)
    errors = [e.message for e in WORLD_SCHEMA.iter_errors(as_json(data_yaml.load_file(path)))]
    assert errors == []


def _rename(rec: dict, old: str, new: str) -> None:
    rec[new] = rec.pop(old)


WORLD_MUTATIONS: dict[str, Callable[[dict], None]] = {
    "unknown top-level key": lambda d: d.update(populaton={"x": 1}),
    "misspelt optional field withdrawl_ends": lambda d: _rename(
        next(p for p in d["presence"] if "withdrawal_ends" in p), "withdrawal_ends", "withdrawl_ends"
    ),
    "misspelt field populaton_m": lambda d: _rename(d["states"][0], "population_m", "populaton_m"),
    "unknown nested key": lambda d: d["states"][0]["capital"].update(elevation=300),
    "blocs: 5": lambda d: d.update(blocs=5),
    "ties: [NER-USA]": lambda d: d.update(ties=["NER-USA"]),
    "a list where a mapping is expected": lambda d: d["states"][0].update(capital=[2.1, 13.5]),
    "a mapping where a list is expected": lambda d: d.update(powers={"USA": d["powers"][0]}),
    "text for a number": lambda d: d["powers"][0].update(overstretch="high"),
    "true for a number": lambda d: d["ties"][0].update(affinity=True),
    "a number out of range": lambda d: d["powers"][0].update(overstretch=1.5),
    "a default out of range": lambda d: d["tie_defaults"].update(affinity=2),
    "an unknown regime": lambda d: d["states"][0].update(regime="juntaa"),
    "a lower-case code": lambda d: d["states"][0].update(code="ner"),
    "a missing required field": lambda d: d["meta"].pop("as_of"),
    "a missing required section": lambda d: d.pop("tie_defaults"),
    "text that is not a date": lambda d: d["meta"].update(as_of="May 2024"),
    "a border that is not a pair": lambda d: d["borders"]["pairs"].__setitem__(0, ["NER"]),
    "intensity as a list": lambda d: d["insurgents"][0].update(intensity=[0.5]),
    "text for a flag": lambda d: d["blocs"][0].update(sanctions_coups="yes"),
    "an unknown event type": lambda d: d["scripted_events"][0].update(type="invasion"),
    "an unknown commitment kind": lambda d: d["commitments"][0].update(kind="promise"),
    "a record that is a number": lambda d: d["presence"].__setitem__(0, 5),
}


@pytest.fixture(scope="module")
def sahel() -> dict:
    return data_yaml.load_file(SCENARIO_DIR / "sahel_2024.yaml")


@pytest.mark.parametrize("name", WORLD_MUTATIONS)
def test_world_mistakes_are_rejected_by_the_loader_and_the_schema(name, sahel, tmp_path):
    data = copy.deepcopy(sahel)
    WORLD_MUTATIONS[name](data)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(WorldError) as err:
        load_world(path)
    assert str(err.value).startswith(f"World file {path}") and "Traceback" not in str(err.value)
    assert list(WORLD_SCHEMA.iter_errors(as_json(data))), f"the schema accepts: {name}"


def test_a_misspelt_key_gets_a_suggestion_and_its_line(sahel, tmp_path):
    text = (SCENARIO_DIR / "sahel_2024.yaml").read_text(encoding="utf-8")
    text = text.replace("withdrawal_ends:", "withdrawl_ends:", 1)
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if "withdrawl_ends:" in ln)
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        WorldError,
        match=rf"at line {line}: presence\[\d+\]\.withdrawl_ends: unknown key "
        r"'withdrawl_ends' \(did you mean 'withdrawal_ends'\?\)",
    ):
        load_world(path)
