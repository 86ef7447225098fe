"""The published move-file schema (schemas/moves.schema.json) agrees with the move loader: it accepts
every example move file and rejects the same mistakes parse_move rejects (tried both ways)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from sim.core import data_yaml
from workshop.moves import MoveRejected, parse_move
from workshop.schemas import SCHEMA_DIR
from workshop.teams import Team

REPO = Path(__file__).resolve().parents[2]
MOVES = sorted((REPO / "examples" / "workshop").glob("*.yaml"))
MOVE_SCHEMA = Draft202012Validator(json.loads((SCHEMA_DIR / "moves.schema.json").read_text(encoding="utf-8")))


def as_json(data: object) -> object:
    """The data an editor sees: YAML dates as the quoted text they should be."""
    return json.loads(json.dumps(data, default=str))


def _rename(rec: dict, old: str, new: str) -> None:
    rec[new] = rec.pop(old)


@pytest.mark.parametrize("path", MOVES, ids=lambda p: p.name)
def test_the_schema_accepts_every_example_move_file(path):
    errors = [e.message for e in MOVE_SCHEMA.iter_errors(as_json(data_yaml.load_file(path)))]
    assert errors == []


USA = Team("USA", "power", power="USA")
USA_TURN1 = REPO / "examples" / "workshop" / "usa_turn1.yaml"

MOVE_MUTATIONS: dict[str, Callable[[dict], None]] = {
    "misspelt key allocat": lambda d: _rename(d, "allocate", "allocat"),
    "unknown entry field": lambda d: d["deploy"][0].update(dat="2024-07"),
    "a missing required entry field": lambda d: d["deploy"][0].pop("troops"),
    "allocate as a list": lambda d: d.update(allocate=["TCD"]),
    "an entry that is text": lambda d: d.update(deploy=["BEN"]),
    "a list key given a mapping": lambda d: d.update(deploy={"state": "BEN", "troops": 50}),
    "an unknown channel": lambda d: d["allocate"]["TCD"].update(military=3),
    "a number out of range": lambda d: d.update(regime_protection=1.5),
    "text for troops": lambda d: d["deploy"][0].update(troops="fifty"),
    "an unknown aid action": lambda d: d.update(aid=[{"state": "TCD", "action": "halt"}]),
    "a date that is not a month": lambda d: d["deploy"][0].update(date="July 2024"),
    "a missing turn": lambda d: d.pop("turn"),
}


@pytest.mark.parametrize("name", MOVE_MUTATIONS)
def test_move_mistakes_are_rejected_by_the_loader_and_the_schema(name, opening):
    data = data_yaml.load_file(USA_TURN1)
    parse_move(yaml.safe_dump(data, sort_keys=False), "usa.yaml", USA, opening)  # the unmutated file is fine
    MOVE_MUTATIONS[name](data)
    with pytest.raises(MoveRejected):
        parse_move(yaml.safe_dump(data, sort_keys=False), "usa.yaml", USA, opening)
    assert list(MOVE_SCHEMA.iter_errors(as_json(data))), f"the schema accepts: {name}"


def test_a_misspelt_move_key_gets_a_suggestion(opening):
    text = USA_TURN1.read_text(encoding="utf-8").replace("allocate:", "alocate:")
    with pytest.raises(MoveRejected, match=r"unknown key 'alocate' \(did you mean 'allocate'\?\)"):
        parse_move(text, "usa.yaml", USA, opening)
