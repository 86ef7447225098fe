"""The white cell's powers (re-roll, veto, checked and narrative injects, parameter shocks), teams'
objectives and their scores, the random default seed, and the reuse of brief charts; on the worked
example's teams with the example move files (examples/workshop/), seed 0: turn 1 (2024-06 to 2024-08)
ends with the model's coup in Benin in August 2024 and the USA deploying 50 troops to Benin in July."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workshop import service
from workshop.adjudicate import replay
from workshop.errors import WorkshopError
from workshop.game import Game
from workshop.objectives import Objective

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "workshop"
TEAMS = ["USA", "RUS", "AES=MLI,BFA,NER", "ECOWAS"]
TURN1 = {"USA": "usa_turn1", "RUS": "russia_turn1", "AES": "aes_turn1", "ECOWAS": "ecowas_turn1"}


def tables(game_dir: Path) -> tuple:
    """The replay's four tables and its fingerprint."""
    rp = replay(Game.load(game_dir), record=True)
    rec = rp.simulation.recorder
    return (rec.states_table(), rec.ties_table(), rec.events_table(), rec.bases_table(), rp.simulation.fingerprint())


def same_tables(a: tuple, b: tuple) -> bool:
    return all(x.equals(y) for x, y in zip(a[:4], b[:4], strict=True)) and a[4] == b[4]


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> Path:
    """The worked example's game after turn 1 (no briefs), seed 0."""
    d = tmp_path_factory.mktemp("wc") / "game"
    service.create_game(d, TEAMS, turns=4, seed=0, objectives=["USA=influence:NER,TCD,BEN"])
    for team, name in TURN1.items():
        service.submit_file(d, team, EXAMPLES / f"{name}.yaml")
    service.adjudicate(d, 1, briefs=False)
    return d


@pytest.fixture
def game(played, tmp_path) -> Path:
    d = tmp_path / "game"
    d.mkdir()
    (d / "game.json").write_text((played / "game.json").read_text(encoding="utf-8"), encoding="utf-8")
    return d


def events(game_dir: Path, turn: int = 1) -> set[tuple]:
    rp = replay(Game.load(game_dir))
    world = rp.simulation.world
    return {
        (e.date, e.type, e.state, e.partner)
        for e in map(lambda x: service.TurnEvent.of(x, world), rp.results[turn - 1].events)
    }


def test_the_example_turn_has_the_events_the_tests_rely_on(played):
    got = events(played)
    assert ("2024-08", "coup", "BEN", "") in got and ("2024-07", "deploy", "BEN", "USA") in got


def test_a_vetoed_scripted_event_is_not_applied_and_the_record_replays_exactly(game):
    done = service.veto(game, "deploy", "BEN", power="USA", note="no", briefs=False)
    assert done.veto.counter == "" and "no longer applies it" in " ".join(done.lines())
    assert ("2024-07", "deploy", "BEN", "USA") not in events(game)
    assert Game.load(game).turns[0].vetoes[0].state == "BEN"
    assert same_tables(tables(game), tables(game))  # replaying the record twice: identical tables
    with pytest.raises(WorkshopError, match="No deploy event in BEN with USA"):  # it is gone from the turn
        service.veto(game, "deploy", "BEN", power="USA", briefs=False)


def test_a_vetoed_rule_event_stands_and_is_countered_the_month_after(game):
    done = service.veto(game, "coup", "BEN", briefs=False)
    assert done.veto.counter == "transition" and "counter-inject" in " ".join(done.lines())
    assert ("2024-08", "coup", "BEN", "") in events(game)  # the model's coup cannot be suppressed: it stands
    with pytest.raises(WorkshopError, match="vetoed already"):
        service.veto(game, "coup", "BEN", briefs=False)
    service.adjudicate(game, 2, briefs=False)
    assert ("2024-09", "transition", "BEN", "") in events(game, 2)  # and is answered at the next month
    st = tables(game)[0]
    assert st.loc[(st["step"] == 4) & (st["state"] == "BEN"), "regime"].item() == "civilian"


def test_an_event_without_counter_cannot_be_vetoed(game):
    with pytest.raises(WorkshopError, match="No incident event|cannot be vetoed|Nothing was vetoed|nothing was vetoed"):
        service.veto(game, "incident", "BEN", power="USA", briefs=False)


def test_a_reroll_uses_another_seed_and_replays_exactly(game):
    before = tables(game)
    done = service.reroll(game, 1, seed=7, briefs=False)
    rec = Game.load(game).turns[0]
    assert (done.seed, done.previous, rec.seed, rec.rerolled_from) == (7, 0, 7, [0])
    after = tables(game)
    assert after[4] != before[4] and same_tables(after, tables(game))
    # the same moves and injects: the teams' scripted events are unchanged
    assert ("2024-07", "deploy", "BEN", "USA") in events(game)
    with pytest.raises(WorkshopError, match="seed 7 already"):
        service.reroll(game, seed=7, briefs=False)
    with pytest.raises(WorkshopError, match="Only the last"):
        service.reroll(game, 2, briefs=False)


def test_a_shock_changes_the_knob_from_its_turn_and_replays_exactly(game):
    done = service.schedule_shock(game, 2, "scenario.powers.RUS.overstretch", "+0.2")
    assert done.values == (pytest.approx(0.7),) and "+0.2 from turn 2" in done.lines()[0]
    base = tables(game)
    service.adjudicate(game, 2, briefs=False)
    rp = replay(Game.load(game))
    rus = rp.simulation.world.powers.index("RUS")
    assert rp.simulation.world.overstretch[rus] == pytest.approx(0.7)  # the world the replay steps with
    assert replay(Game.load(game), upto=1).simulation.world.overstretch[rus] == pytest.approx(0.5)
    assert same_tables(tables(game), tables(game)) and tables(game)[4] != base[4]
    with pytest.raises(WorkshopError, match="outside its legal range"):
        service.schedule_shock(game, 3, "scenario.powers.RUS.overstretch", "+0.4")
    with pytest.raises(WorkshopError, match="finite"):
        service.schedule_shock(game, 3, "hazards.coup_base", "nan")
    with pytest.raises(WorkshopError, match="neither a numeric model parameter|does not exist"):
        service.schedule_shock(game, 3, "hazards.no_such", "+1")


def test_a_coup_inject_on_a_junta_is_a_counter_coup_and_says_so(game):
    done = service.schedule_inject(game, 2, "coup", "MLI")
    assert "counter-coup" in " ".join(done.lines())
    with pytest.raises(WorkshopError, match="already scheduled"):
        service.schedule_inject(game, 2, "coup", "MLI")
    with pytest.raises(WorkshopError, match="civilian government"):
        service.schedule_inject(game, 2, "transition", "SEN")
    with pytest.raises(WorkshopError, match="troops"):
        service.schedule_inject(game, 2, "deploy", "BEN", power="USA", troops=float("inf"))
    adj = service.adjudicate(game, 2, briefs=False)
    coup = [e for e in adj.events if e.type == "coup" and e.state == "MLI"]
    assert len(coup) == 1 and coup[0].cause.startswith("counter-coup in Mali")


def test_a_narrative_is_shown_in_the_briefs_and_changes_nothing(game):
    before = tables(game)[4]
    service.narrate(game, 2, "Floods in Niamey dominate the news")
    service.adjudicate(game, 2, briefs=True)
    g = Game.load(game)
    assert "Floods in Niamey" in (g.briefs_dir(2) / "USA.html").read_text(encoding="utf-8")
    other = game.parent / "plain"
    other.mkdir()
    data = json.loads((game / "game.json").read_text(encoding="utf-8"))
    data["narratives"] = []
    (other / "game.json").write_text(json.dumps(data), encoding="utf-8")
    assert tables(other)[4] == tables(game)[4] != before  # the same history with and without the text


def test_objectives_default_by_kind_and_scores_count_by_hand(played):
    g = Game.load(played)
    assert g.objectives["USA"] == [Objective("influence", ("NER", "TCD", "BEN"))]
    assert [o.key for o in g.objectives["AES"]] == ["survival", "insurgency", "sovereignty"]
    assert [o.key for o in g.objectives["ECOWAS"]] == ["members", "coups"]
    from workshop.briefs import build_view

    v = build_view(replay(g, record=True), 1)
    st = v.states.loc[v.states["step"] == 3].set_index("state")
    led = sum(st.loc[s, "leading_partner"] == "USA" for s in ("NER", "TCD", "BEN"))
    (usa,) = v.scores(g.teams[0])
    assert usa.value == pytest.approx(led / 3) and usa.detail == f"{led} of 3 chosen states led"
    survival = v.scores(g.teams[2])[0]
    assert survival.value == 1.0 and survival.detail == "3 of 3 states without a coup"  # Benin's coup is not AES's
    members, coups = v.scores(g.teams[3])
    start = v.states.loc[v.states["step"] == 0].set_index("state")
    juntas = set(start.index[(start["ecowas"].astype(bool)) & (start["regime"] == "junta")]) | {"BEN"}
    back = sum(st.loc[s, "regime"] == "civilian" for s in juntas)
    assert coups.detail == f"{back} of {len(juntas)} members' juntas back under civilian rule"


def test_bad_objectives_are_refused(tmp_path):
    for spec, message in (
        ("USA=survival", "objectives are influence"),
        ("USA=influence", "name the states"),
        ("XYZ=bases", "no team"),
        ("USA=influence:ATL", "not a state"),
    ):
        with pytest.raises(WorkshopError, match=message):
            service.create_game(tmp_path / spec.replace(":", "_"), ["USA"], turns=1, seed=0, objectives=[spec])


def test_the_default_seed_is_random_printed_and_stored(tmp_path):
    seeds = set()
    for i in range(3):
        created = service.create_game(tmp_path / f"g{i}", ["USA"], turns=1)
        seed = created.game.settings.seed
        assert Game.load(tmp_path / f"g{i}").settings.seed == seed and f"seed {seed}" in created.lines()[0]
        seeds.add(seed)
    assert len(seeds) > 1  # three draws below 10**9 all equal: chance 1e-18


def test_an_old_game_file_loads_with_defaults(played, tmp_path):
    data = json.loads((played / "game.json").read_text(encoding="utf-8"))
    for key in ("narratives", "shocks", "objectives"):
        del data[key]
    for rec in data["turns"]:
        for key in ("seed", "vetoes", "rerolled_from"):
            del rec[key]
    d = tmp_path / "old"
    d.mkdir()
    (d / "game.json").write_text(json.dumps(data), encoding="utf-8")
    g = Game.load(d)
    assert (g.narratives, g.shocks, g.objectives, g.turns[0].seed, g.turns[0].vetoes) == ([], [], {}, None, [])
    assert tables(d)[4] == tables(played)[4]


def test_brief_charts_are_drawn_once_per_turn_and_reused(game):
    from workshop.briefs import write_briefs

    g = Game.load(game)
    first = replay(g, record=True)
    write_briefs(first, 1, g.briefs_dir(1))
    kept = sorted(p.name for p in (g.dir / "briefs" / ".figures").iterdir())
    # one shares chart and one map for all five pages; one stance chart per power team; AES and ECOWAS charts; heat
    assert len(kept) == 8 and sum("-shares-" in k for k in kept) == 1 and sum("-map-" in k for k in kept) == 1
    from workshop import briefs

    again = replay(g, record=True)
    view = briefs.build_view(again, 1, g.dir / "briefs" / ".figures")
    for team in g.teams:
        briefs.team_brief(view, team)
    briefs.facilitator_brief(view)
    assert view.figures.draws == 0  # the same history: every chart reused
