"""Property test: a mutated move file is either accepted or refused with MoveRejected naming the file
(its problems with line and field), never another exception; each example's time is bounded by
hypothesis's deadline. A few examples by default, many more under -m slow."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from yaml_mutations import mutated

from workshop.moves import MoveRejected, parse_move
from workshop.teams import Team

USA = Team("USA", "power", power="USA")
TEXT = (Path(__file__).resolve().parents[2] / "examples" / "workshop" / "usa_turn1.yaml").read_text(encoding="utf-8")
# the situation is only read by parse_move, so one per test function is safe to share across examples
SHARED = [HealthCheck.function_scoped_fixture]


def _check(text: str, opening) -> None:
    try:
        parse_move(text, "m.yaml", USA, opening)
    except MoveRejected as exc:
        assert exc.problems and all(p.file == "m.yaml" for p in exc.problems)
        assert "m.yaml" in str(exc)


@settings(max_examples=15, deadline=2000, suppress_health_check=SHARED)
@given(text=mutated(TEXT))
def test_a_mutated_move_file_is_accepted_or_refused(opening, text):
    _check(text, opening)


@pytest.mark.slow
@settings(max_examples=400, deadline=2000, suppress_health_check=SHARED)
@given(text=mutated(TEXT))
def test_many_mutated_move_files(opening, text):
    _check(text, opening)
