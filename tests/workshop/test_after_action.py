"""The after-action report (workshop/debrief.py) on the worked example's first two turns: each team's
stated intent beside what its moves decided, the objectives' scores per turn, hot-wash questions,
and a what-if table whose marginal effects are single-team what-ifs and whose interaction is what
their sum misses; one self-contained HTML file with print CSS."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from workshop import service

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "workshop"
TURN1 = {"USA": "usa_turn1.yaml", "RUS": "russia_turn1.yaml", "AES": "aes_turn1.yaml", "ECOWAS": "ecowas_turn1.yaml"}
TURN2 = {"USA": "usa_turn2.yaml", "ECOWAS": "ecowas_turn2.yaml"}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> str:
    """The worked example (seed 0) played for two turns, with the Chad coup inject, and its debrief."""
    d = tmp_path_factory.mktemp("aar") / "demo"
    service.create_game(d, ["USA", "RUS", "AES=MLI,BFA,NER", "ECOWAS"], 4, seed=0)
    for turn, files in ((1, TURN1), (2, TURN2)):
        for team, name in files.items():
            service.submit_file(d, team, EXAMPLES / name)
        if turn == 2:
            service.schedule_inject(d, 2, "coup", "TCD", note="Officers seize power in N'Djamena")
        service.adjudicate(d, turn, briefs=False)
    return service.write_debrief(d, runs=20).path.read_text(encoding="utf-8")


def _rows(html: str, section: str) -> list[list[str]]:
    """The body rows of the first table after the heading `section`, as cell texts."""
    part = html[html.index(f"<h2>{section}</h2>") :]
    table = part[part.index("<tbody>") : part.index("</tbody>")]
    return [
        [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def test_stated_intent_beside_what_happened(report):
    rows = _rows(report, "Stated intent and what happened")
    usa1 = next(r for r in rows if r[:2] == ["1", "USA"])
    assert usa1[2] == "Keep a foothold in Chad while Niger slips away; invest in the coast."
    assert "2024-07 deploy Benin" in usa1[4]  # the event its move decided
    assert re.fullmatch(r"influence [01]\.\d\d, bases [01]\.\d\d, forces [01]\.\d\d", usa1[5])
    rus2 = next(r for r in rows if r[:2] == ["2", "RUS"])
    assert rus2[2] == "(nothing submitted)" and rus2[4] == "no event"
    assert len(rows) == 8  # two turns, four teams


def test_objectives_are_scored_per_turn(report):
    rows = _rows(report, "Objectives and scores")
    assert len(rows) == 11  # 3 + 3 + 3 + 2 objectives of the kinds' menus
    for r in rows:
        assert all(0 <= float(x) <= 1 for x in r[2:4]), r
    usa_bases = next(r for r in rows if r[0] == "USA" and r[1].startswith("bases"))
    assert usa_bases[2:] == ["1.00", "0.00", "0 of 2 bases of the start kept"]  # Niger's bases handed over in turn 2


def test_hot_wash_questions_come_from_the_game(report):
    part = report[report.index("<h2>Hot-wash questions</h2>") :]
    items = [unescape(x) for x in re.findall(r"<li>(.*?)</li>", part[: part.index("</ul>")], re.S)]
    assert len(items) == 2 + 4 + 1
    assert items[0].startswith("The ") and "moved alignment most" in items[0]
    assert re.search(r"ended (above|below) \d+% of the simulated histories", items[1])
    assert any("Team USA said: 'Keep a foothold in Chad" in q and "weakest objective" in q for q in items)


def test_the_what_if_table_does_not_double_count(report):
    rows = _rows(report, "What the teams&#x27; moves changed, without double counting")
    assert len(rows) == 5  # one per power
    for r in rows:
        marginals, joint, interaction = [float(x) for x in r[2:6]], float(r[6]), float(r[7])
        # the interaction is the joint effect less the sum of the marginals (each shown rounded to 0.1)
        assert interaction == pytest.approx(joint - sum(marginals), abs=0.05 * 6 + 1e-9), r
    # a team's marginal effect is its own what-if: the game against the game without only that team
    usa_row = next(r for r in rows if r[0].startswith("USA"))
    whatif = _rows(report, "What if team USA had not played?")  # its first table: the shares
    usa_whatif = next(r for r in whatif if r[0].startswith("USA"))
    assert usa_whatif[3] == f"{usa_row[2]} points"


def test_one_self_contained_file_that_prints(report):
    assert "@media print" in report and "@page" in report and "thead{display:table-header-group}" in report
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:|//)""", report)
    assert "<script" not in report and "<link" not in report
    assert report.count("data:image/png;base64,") >= 5  # fan charts and what-if figures embedded
