"""Briefs and the debrief: offline HTML with embedded figures; a team sees its own moves and the public
events, not the other teams' files; the debrief sets the game against simulated histories."""

from __future__ import annotations

import re

import pytest

from workshop.cli import parser
from workshop.debrief import DEFAULT_RUNS

TEAMS = ["--team", "USA", "--team", "AES=MLI,BFA,NER", "--team", "ECOWAS"]
USA_1 = """team: USA
turn: 1
note: secret plan alpha
allocate:
  NGA: {security: 10, economic: 77.5, information: 2}
deploy: [{state: BEN, troops: 50}]
"""
AES_1 = "team: AES\nturn: 1\nnote: secret plan omega\nleave: [{state: MLI, bloc: ECOWAS}]\n"


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """A 2-turn game (2 months a turn) with the opening briefs, those of turn 1 and a small debrief."""
    from workshop.cli import main

    d = tmp_path_factory.mktemp("briefs") / "game"
    moves = d.parent / "moves"
    moves.mkdir()
    (moves / "usa.yaml").write_text(USA_1)
    (moves / "aes.yaml").write_text(AES_1)
    assert main(["new", str(d), *TEAMS, "--turns", "2", "--turn-months", "2", "--seed", "1"]) == 0
    assert main(["briefs", str(d), "--turn", "0"]) == 0
    assert main(["submit", str(d), "USA", str(moves / "usa.yaml")]) == 0
    assert main(["submit", str(d), "AES", str(moves / "aes.yaml")]) == 0
    assert main(["inject", str(d), "--turn", "1", "--type", "coup", "--state", "TCD"]) == 0
    assert main(["adjudicate", str(d), "--turn", "1"]) == 0
    assert main(["adjudicate", str(d), "--turn", "2", "--no-briefs"]) == 0
    assert main(["debrief", str(d), "--runs", "20", "--what-if", "USA"]) == 0
    return d


def _offline(text: str) -> None:
    assert text.startswith("<!DOCTYPE html>")
    assert "<script" not in text and "<link" not in text
    assert not re.search(r"(src|href)=['\"](?!data:)", text), "every asset must be embedded"
    assert text.count("data:image/png;base64,") >= 1


def test_briefs_are_written_for_each_team_and_the_facilitator(played):
    for turn in ("turn-00", "turn-01"):
        names = sorted(p.name for p in (played / "briefs" / turn).glob("*.html"))
        assert names == ["AES.html", "ECOWAS.html", "USA.html", "facilitator.html", "projector.html"], turn
        for p in (played / "briefs" / turn).glob("*.html"):
            _offline(p.read_text())


def test_a_team_sees_its_moves_and_public_events_but_not_other_teams_files(played):
    usa = (played / "briefs" / "turn-01" / "USA.html").read_text()
    aes = (played / "briefs" / "turn-01" / "AES.html").read_text()
    assert "secret plan alpha" in usa and "secret plan omega" not in usa
    assert "secret plan omega" in aes and "secret plan alpha" not in aes
    assert "United States deploys 50 troops to Benin" in usa  # its own move and what came of it
    assert "77.5" not in aes  # the US allocation is hidden from AES ...
    assert "Mali leaves ECOWAS (a decision of team AES)" in usa  # ... but events are public
    assert "How the states lean towards United States" in usa
    assert "Your governments&#x27; stances towards the powers" in aes
    fac = (played / "briefs" / "turn-01" / "facilitator.html").read_text()
    assert "secret plan alpha" in fac and "secret plan omega" in fac
    assert "coup in Chad (a scenario event set by the facilitator)" in fac and "coup in Chad" in usa


def test_the_debrief_sets_the_game_against_simulated_histories(played):
    text = (played / "debrief.html").read_text()
    _offline(text)
    assert "The bands show 20 histories of the same start" in text
    assert "Turning points" in text and "What if team USA had not played?" in text
    assert "What if team AES" not in text  # only the team asked for
    assert text.count("data:image/png;base64,") == 2  # the fan charts and the what-if


def test_the_debrief_uses_at_least_500_histories_by_default():
    assert DEFAULT_RUNS >= 500
    assert parser().parse_args(["debrief", "g"]).runs >= 500
