"""Scripted events: every scriptable type of the catalogue has a handler, and each one, scripted in
the tiny world where it changes something, is applied and logged with its note as the cause."""

from __future__ import annotations

import dataclasses

import pytest

from sim.core.params import ScenarioConf, ScriptedEventConf
from sim.core.scripted import HANDLERS
from sim.core.simulation import Simulation
from sim.core.vocabulary import EVENTS, SCRIPTABLE
from sim.core.world import load_world

# (type, state, power, bloc, an event scripted the month before so that this one changes something)
CASES = [
    ("coup", "BEN", "", "", None),
    ("transition", "MLI", "", "", None),
    ("expel", "NER", "RUS", "", None),
    ("withdraw_complete", "NER", "USA", "", None),
    ("invite", "BEN", "RUS", "", None),
    ("deploy", "BEN", "RUS", "", None),
    ("sanction", "BEN", "", "ECOWAS", None),
    ("sanction_lift", "BEN", "", "ECOWAS", ("sanction", "BEN", "", "ECOWAS")),
    ("aid_suspend", "BEN", "USA", "", None),
    ("aid_resume", "MLI", "USA", "", None),
    ("bloc_join", "BEN", "", "AES", None),
    ("bloc_leave", "NER", "", "ECOWAS", None),
]


def test_every_scriptable_type_has_a_handler_and_a_case():
    assert set(HANDLERS) == set(SCRIPTABLE)
    assert {c[0] for c in CASES} == set(SCRIPTABLE)
    assert all(EVENTS[t].scriptable for t in HANDLERS)


@pytest.mark.parametrize("etype, state, power, bloc, before", CASES, ids=[c[0] for c in CASES])
def test_a_scripted_event_is_applied_and_logged(base_cfg, tiny_world_path, etype, state, power, bloc, before):
    events = [ScriptedEventConf(date="2024-07", type=etype, state=state, power=power, bloc=bloc, note="set by a test")]
    if before:
        b_type, b_state, b_power, b_bloc = before
        events.append(ScriptedEventConf(date="2024-06", type=b_type, state=b_state, power=b_power, bloc=b_bloc))
    knobs = ScenarioConf(name=str(tiny_world_path), extra_events=events)
    cfg = dataclasses.replace(base_cfg, scenario=knobs)
    world = load_world(tiny_world_path, knobs)
    simulation = Simulation(cfg, world, [0])
    simulation.run(2)
    logged = [e for e in simulation.events if e.step == 2 and e.type == etype and e.scripted]
    assert len(logged) == 1, [(e.step, e.type, e.cause) for e in simulation.events]
    event = logged[0]
    assert world.states[event.state] == state
    if EVENTS[etype].partner == "power":
        assert world.powers[event.power] == power
    if EVENTS[etype].partner == "bloc":
        assert world.blocs[event.bloc] == bloc
    if etype not in ("withdraw_complete", "deploy"):  # these say who left or arrived, with how many troops
        assert event.cause == "set by a test"
