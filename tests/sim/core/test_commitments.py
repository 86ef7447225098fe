"""Dated commitments (sim.core.commitments, phase keep_commitments) on the tiny world with a
commitments section: hand-set chances of 0 or 1 make each outcome certain, whatever the draws.

Tiny world: states NER=0 (junta since 2023-07), MLI=1 (junta since 2021-05), BEN=2 (civilian);
powers USA=0, RUS=1 (100 troops in Niger, 600 deployable); blocs ECOWAS=0 (NER, BEN), AES=1 (MLI);
as_of 2024-05, so 2024-06 is step 1 and 2024-10 step 5; a scripted coup in Benin at step 3.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.core import commitments as cm
from sim.core.params import ConfigError, ScriptedEventConf
from sim.core.simulation import Simulation
from sim.core.world import WorldError, load_world

NER, MLI, BEN = 0, 1, 2
USA, RUS = 0, 1
ECOWAS = 0

MLI_ELECTION = {
    "id": "mli_vote",
    "kind": "election",
    "state": "MLI",
    "due": "2024-10",
    "on_time": 1.0,
    "note": "test timetable",
    "source": "test",
    "as_of": "2024-01",
}


def _world_file(tmp_path: Path, tiny_world_path: Path, *commitments: dict) -> Path:
    data = yaml.safe_load(tiny_world_path.read_text())
    data["commitments"] = list(commitments)
    path = tmp_path / "tiny_commitments.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _run(cfg, path: Path, steps: int, seeds=(0,), **overrides) -> Simulation:
    cfg = copy.deepcopy(cfg)
    cfg.hazards.coup_base = 1e-9  # no coup by rule spoils the story
    for key, value in overrides.items():
        section, name = key.split("__")
        setattr(getattr(cfg, section), name, value)
    world = load_world(path, cfg.scenario)
    sim = Simulation(cfg, world, list(seeds), horizon=steps)
    sim.run()
    return sim


def _events(sim: Simulation, etype: str, state: int | None = None) -> list:
    return [e for e in sim.events if e.type == etype and (state is None or e.state == state)]


# ------------------------------------------------------------------ pure functions


def test_outcome_partitions_one_draw_into_kept_dropped_postponed():
    # on_time 0.25, dropped 0.2: kept below 0.25, dropped below 0.25 + 0.75 * 0.2 = 0.4, postponed above
    draw = np.array([0.1, 0.2499, 0.25, 0.3999, 0.4, 0.9])
    keep, drop, delay = cm.outcome(draw=draw, on_time=np.full(6, 0.25), dropped=np.full(6, 0.2))
    assert keep.tolist() == [True, True, False, False, False, False]
    assert drop.tolist() == [False, False, True, True, False, False]
    assert delay.tolist() == [False, False, False, False, True, True]


def test_same_junta_is_broken_by_a_coup_or_a_transition():
    # at month 3 (before the month closes) an unbroken clock reads start + 2
    junta = np.array([[True, True, False]])
    since = np.array([[12, -1, 12]])
    assert cm.same_junta(junta=junta, months_since_coup=since, months_at_start=np.array([10]), step=3).tolist() == [
        [True, False, False]
    ]


def test_due_now_and_month_words():
    status = np.array([[cm.PENDING, cm.KEPT, cm.PENDING]])
    due = np.array([[4, 4, 5]])
    assert cm.due_now(due=due, status=status, step=4).tolist() == [[True, False, False]]
    assert cm.month_words("2025-08") == "August 2025"


# ------------------------------------------------------------------ elections


def test_an_election_kept_on_time_hands_power_back_and_the_timetable_holds_off_the_random_transition(
    base_cfg, tiny_world_path, tmp_path
):
    path = _world_file(tmp_path, tiny_world_path, MLI_ELECTION)
    # a transition chance of 0.5 a month would end Mali's junta (in power 36 months) early in most runs,
    # were there no timetable
    # (transition_threat 0: Mali's insurgency would otherwise damp the chance)
    sim = _run(base_cfg, path, 6, seeds=range(20), hazards__transition_base=0.5, hazards__transition_threat=0.0)
    assert not _events(sim, "transition", MLI)
    held = _events(sim, "election", MLI)
    assert [e.step for e in held] == [5] * 20
    assert held[0].cause == "Mali holds the election announced for October 2024 (test timetable)"
    assert not sim.state.junta[MLI].any()
    assert (sim.state.commitment_status[0] == cm.KEPT).all() and (sim.state.commitment_delays[0] == 0).all()
    # without the commitment most of the same runs see Mali's junta go by rule before month 5
    free = _run(
        base_cfg,
        path,
        4,
        seeds=range(20),
        hazards__transition_base=0.5,
        hazards__transition_threat=0.0,
        scenario__cancel_commitments=["mli_vote"],
    )
    assert len(_events(free, "transition", MLI)) >= 15


def test_a_dropped_election_is_logged_and_the_random_transition_returns(base_cfg, tiny_world_path, tmp_path):
    path = _world_file(tmp_path, tiny_world_path, {**MLI_ELECTION, "on_time": 0.0})
    cfg = copy.deepcopy(base_cfg)
    cfg.commitments.election.dropped = 1.0
    sim = _run(cfg, path, 8, seeds=range(20), hazards__transition_base=0.5, hazards__transition_threat=0.0)
    extended = _events(sim, "transition_extended", MLI)
    assert [e.step for e in extended] == [5] * 20
    assert "dropped" in extended[0].cause and "October 2024" in extended[0].cause
    assert (sim.state.commitment_status[0] == cm.DROPPED).all()
    steps = [e.step for e in _events(sim, "transition", MLI)]
    assert len(steps) >= 10 and min(steps) >= 6  # the monthly chance applies again after the drop
    assert not _events(sim, "election")


def test_a_postponed_election_is_tried_again_after_the_delay(base_cfg, tiny_world_path, tmp_path):
    path = _world_file(tmp_path, tiny_world_path, {**MLI_ELECTION, "on_time": 0.0})
    cfg = copy.deepcopy(base_cfg)
    cfg.commitments.election.dropped = 0.0
    cfg.commitments.election.delay_months = 2
    sim = _run(cfg, path, 8, hazards__transition_base=0.5)
    extended = _events(sim, "transition_extended", MLI)
    assert [e.step for e in extended] == [5, 7]
    assert "postponed by 2 months, to December 2024" in extended[0].cause
    assert sim.state.commitment_due[0, 0] == 9 and sim.state.commitment_delays[0, 0] == 2
    assert sim.state.commitment_status[0, 0] == cm.PENDING
    assert not _events(sim, "transition", MLI) and sim.state.junta[MLI, 0]


def test_an_election_is_void_once_a_coup_has_replaced_the_junta(base_cfg, tiny_world_path, tmp_path):
    path = _world_file(tmp_path, tiny_world_path, MLI_ELECTION)
    cfg = copy.deepcopy(base_cfg)
    cfg.scenario = dataclasses.replace(
        cfg.scenario,
        extra_events=[ScriptedEventConf(date="2024-08", type="coup", state="MLI", note="counter-coup (test)")],
    )
    sim = _run(cfg, path, 6)
    assert not _events(sim, "election") and sim.state.junta[MLI, 0]
    assert sim.state.commitment_status[0, 0] == cm.VOID


# ------------------------------------------------------------------ bloc exits and drawdowns


def test_a_joint_exit_takes_every_state_out_of_the_bloc_together(base_cfg, tiny_world_path, tmp_path):
    path = _world_file(
        tmp_path,
        tiny_world_path,
        {
            "id": "joint_exit",
            "kind": "bloc_exit",
            "states": ["NER", "BEN"],
            "bloc": "ECOWAS",
            "due": "2024-07",
            "on_time": 1.0,
            "note": "notified (test)",
            "source": "test",
            "as_of": "2024-05",
        },
    )
    sim = _run(base_cfg, path, 3)
    left = _events(sim, "bloc_leave")
    assert [(e.step, e.state, e.bloc) for e in left] == [(2, NER, ECOWAS), (2, BEN, ECOWAS)]
    assert (
        left[0].cause == "Niger leaves Economic Community of West African States as notified (Niger and Benin, "
        "due July 2024) (notified (test))"
    )
    assert not sim.state.member[[NER, BEN], ECOWAS, 0].any()


def test_a_drawdown_cuts_the_forces_and_frees_the_troops(base_cfg, tiny_world_path, tmp_path):
    path = _world_file(
        tmp_path,
        tiny_world_path,
        {
            "id": "rus_cut",
            "kind": "drawdown",
            "state": "NER",
            "power": "RUS",
            "troops": 40,
            "due": "2024-06",
            "on_time": 1.0,
            "source": "test",
            "as_of": "2024-05",
        },
    )
    sim = _run(base_cfg, path, 1, hazards__invite_rate=0.0)  # no invitation tops the forces up again
    (cut,) = _events(sim, "drawdown")
    assert (cut.step, cut.state, cut.power) == (1, NER, RUS)
    assert cut.cause == "Russia cuts its forces in Niger from 100 to 40, as announced for June 2024"
    assert sim.state.troops[NER, RUS, 0] == 40
    assert sim.world.troops_deployable[RUS] - sim.state.troops[:, RUS, 0].sum() == 560  # 600 - 40


def test_a_slipped_drawdown_is_logged(base_cfg, tiny_world_path, tmp_path):
    path = _world_file(
        tmp_path,
        tiny_world_path,
        {
            "id": "rus_cut",
            "kind": "drawdown",
            "state": "NER",
            "power": "RUS",
            "troops": 40,
            "due": "2024-06",
            "on_time": 0.0,
            "source": "test",
            "as_of": "2024-05",
        },
    )
    cfg = copy.deepcopy(base_cfg)
    cfg.commitments.drawdown.dropped = 0.0
    sim = _run(cfg, path, 1, hazards__invite_rate=0.0)
    (slipped,) = _events(sim, "commitment_slipped")
    assert slipped.power == RUS and "postponed by 6 months, to December 2024" in slipped.cause
    assert sim.state.troops[NER, RUS, 0] == 100


def test_outcomes_follow_the_chances_over_many_runs(base_cfg, tiny_world_path, tmp_path):
    # on_time 0.3, dropped 0.5: about 30% kept, 35% dropped, 35% postponed
    path = _world_file(tmp_path, tiny_world_path, {**MLI_ELECTION, "on_time": 0.3})
    cfg = copy.deepcopy(base_cfg)
    cfg.commitments.election.dropped = 0.5
    sim = _run(cfg, path, 5, seeds=range(400))
    status = sim.state.commitment_status[0]
    assert abs((status == cm.KEPT).mean() - 0.3) < 0.07
    assert abs((status == cm.DROPPED).mean() - 0.35) < 0.07
    assert abs((sim.state.commitment_delays[0] == 1).mean() - 0.35) < 0.07


# ------------------------------------------------------------------ switches: cancelled, left to players


def test_cancelled_commitments_never_happen_and_unknown_ids_are_refused(base_cfg, tiny_world_path, tmp_path):
    path = _world_file(tmp_path, tiny_world_path, MLI_ELECTION)
    world = load_world(path, dataclasses.replace(base_cfg.scenario, cancel_commitments=["mli_vote"]))
    assert world.commitments == []
    with pytest.raises(ConfigError, match=r"scenario.cancel_commitments names 'nope'.*mli_vote"):
        load_world(path, dataclasses.replace(base_cfg.scenario, cancel_commitments=["nope"]))


def test_commitments_of_actors_players_decide_for_are_left_to_them(base_cfg, tiny_world_path, tmp_path):
    path = _world_file(
        tmp_path,
        tiny_world_path,
        MLI_ELECTION,
        {
            "id": "rus_cut",
            "kind": "drawdown",
            "state": "NER",
            "power": "RUS",
            "troops": 40,
            "due": "2024-06",
            "on_time": 1.0,
            "source": "test",
            "as_of": "2024-05",
        },
    )
    cfg = copy.deepcopy(base_cfg)
    cfg.players.states, cfg.players.powers = ["MLI"], ["RUS"]
    sim = _run(cfg, path, 6, hazards__invite_rate=0.0)
    assert not _events(sim, "election") and not _events(sim, "drawdown")
    assert sim.state.junta[MLI, 0] and sim.state.troops[NER, RUS, 0] == 100
    assert sim.state.commitment_status[:, 0].tolist() == [cm.LEFT_TO_PLAYERS, cm.LEFT_TO_PLAYERS]


def test_a_joint_exit_with_some_states_played_is_kept_by_the_others(base_cfg, tiny_world_path, tmp_path):
    # a team plays Niger only: Benin leaves as notified, Niger's exit is its team's to decide
    path = _world_file(
        tmp_path,
        tiny_world_path,
        {
            "id": "joint_exit",
            "kind": "bloc_exit",
            "states": ["NER", "BEN"],
            "bloc": "ECOWAS",
            "due": "2024-07",
            "on_time": 1.0,
            "source": "test",
            "as_of": "2024-05",
        },
    )
    cfg = copy.deepcopy(base_cfg)
    cfg.players.states = ["NER"]
    sim = _run(cfg, path, 3)
    assert [(e.step, e.state) for e in _events(sim, "bloc_leave")] == [(2, BEN)]
    assert sim.state.member[NER, ECOWAS, 0] and not sim.state.member[BEN, ECOWAS, 0]
    assert sim.state.commitment_status[0, 0] == cm.KEPT


# ------------------------------------------------------------------ the world file's section


GOOD = {"id": "x", "kind": "election", "state": "MLI", "due": "2025-01", "source": "s", "as_of": "2024-01"}


@pytest.mark.parametrize(
    "entry, message",
    [
        ({**GOOD, "kind": "referendum"}, r"commitments\[x\]\.kind: 'referendum' is not a kind.*bloc_exit, election"),
        ({k: v for k, v in GOOD.items() if k != "due"}, r"commitments\[x\]\.due: the field is missing"),
        ({**GOOD, "due": "2024-05"}, r"commitments\[x\]\.due: 2024-05 is not after the world's as_of month"),
        ({**GOOD, "as_of": "2024-06"}, r"commitments\[x\]\.as_of: 2024-06 is after the world's as_of month 2024-05"),
        ({**GOOD, "state": "BEN"}, r"commitments\[x\]\.state: BEN is not ruled by a junta"),
        ({**GOOD, "states": ["MLI"]}, r"commitments\[x\]: give either 'state'.*or 'states'"),
        ({**GOOD, "on_time": 1.5}, r"commitments\[x\]\.on_time: 1.5 is out of range"),
        ({**GOOD, "source": None}, r"commitments\[x\]\.source: the field is missing"),
        ({**GOOD, "kind": "bloc_exit", "state": "MLI", "bloc": "ECOWAS"}, r"MLI is not a member of ECOWAS"),
        ({**GOOD, "kind": "bloc_exit"}, r"commitments\[x\]\.bloc: the field is missing"),
        (
            {**GOOD, "kind": "drawdown", "state": "NER", "power": "RUS", "troops": 100},
            r"Russia|RUS has 100 troops in NER at the start, not more than the 100",
        ),
        ({**GOOD, "kind": "drawdown", "state": "NER", "power": "CHN", "troops": 10}, r"unknown power code 'CHN'"),
    ],
)
def test_a_bad_commitment_is_refused_naming_the_file_field_and_fix(entry, message, tiny_world_path, tmp_path):
    path = _world_file(tmp_path, tiny_world_path, entry)
    with pytest.raises(WorldError, match=message) as err:
        load_world(path)
    assert str(path) in str(err.value) and "docs/world-format.md" in str(err.value)


def test_an_id_listed_twice_is_refused(tiny_world_path, tmp_path):
    with pytest.raises(WorldError, match=r"commitments\[1\]\.id: x is listed twice"):
        load_world(_world_file(tmp_path, tiny_world_path, GOOD, dict(GOOD)))  # two objects: no YAML alias


def test_the_may_2024_world_dates_every_commitment_by_its_start(base_cfg):
    from sim.core.world import scenario_path, str_to_month

    world = load_world(scenario_path("sahel_2024"), base_cfg.scenario)
    ids = {c.id for c in world.commitments}
    assert {"aes_exit_ecowas", "gin_election", "gab_election", "bfa_election", "ner_election"} <= ids
    assert all(str_to_month(c.as_of) <= str_to_month(world.as_of) and c.source for c in world.commitments)
    (aes,) = [c for c in world.commitments if c.id == "aes_exit_ecowas"]
    assert world.date_of(aes.due) == "2025-01" and len(aes.states) == 3
