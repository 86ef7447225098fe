"""Causes as templates with a numeric payload (sim.core.causes): the same text as before, written
only when asked, from the event log's columns (sim.core.events.EventLog)."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest
from cause_fixture import FIXTURE, SCENARIOS, cause_lines  # tests/helpers

from sim.config import compose_config
from sim.core.causes import CAUSES
from sim.core.simulation import Simulation
from sim.core.world import load_world, scenario_path


@pytest.mark.parametrize("label", list(SCENARIOS))
def test_every_cause_reads_as_before_the_templates(label: str) -> None:
    """Every event of 40 seeds of the baseline, the coup wave and the 2020 hindcast, cause included,
    equals the record written by the code that formatted causes as the events happened."""
    expected = [
        line for line in gzip.decompress(FIXTURE.read_bytes()).decode().splitlines() if line.startswith(label + "|")
    ]
    got = cause_lines(label)
    assert len(got) == len(expected)
    diff = [(g, e) for g, e in zip(got, expected, strict=True) if g != e]
    assert not diff, diff[:3]


def test_each_kind_of_cause_is_declared_once_with_its_code() -> None:
    assert [c.code for c in CAUSES] == list(range(len(CAUSES)))
    assert len({c.name for c in CAUSES}) == len(CAUSES)


@pytest.fixture(scope="module")
def simulation() -> Simulation:
    cfg = compose_config(["experiment=coup_wave", "run.plots=false", "run.summary=false"])
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    simulation = Simulation(cfg, world, list(range(6)), record=True)
    simulation.run()
    return simulation


def test_the_events_table_reads_the_log_and_leaves_causes_out_when_asked(simulation: Simulation) -> None:
    rec = simulation.recorder
    full = rec.events_table()
    lean = rec.events_table(cause=False)
    assert "cause" in full and "cause" not in lean
    pd.testing.assert_frame_equal(full.drop(columns="cause"), lean)
    events = list(simulation.events)
    assert full["cause"].tolist() == [e.cause for e in events]
    assert full["type"].tolist() == [e.type for e in events]
    assert full["power"].tolist() == [simulation.world.powers[e.power] if e.power >= 0 else "" for e in events]
    table = rec.arrow_table("events")
    assert table.num_rows == len(events)
    assert "cause" not in rec.arrow_table("events", cause=False).column_names


def test_a_log_slices_and_indexes_as_a_list_of_events(simulation: Simulation) -> None:
    log = simulation.events
    events = list(log)
    assert len(log) == len(events) > 10
    assert log[3] == events[3] and log[-1] == events[-1]
    assert list(log[5:17]) == events[5:17]
    assert log[5:17] == events[5:17]
    with pytest.raises(IndexError):
        log[len(events)]
    cols = log.columns()
    np.testing.assert_array_equal(cols["step"], [e.step for e in events])
    np.testing.assert_array_equal(cols["run"], [e.run for e in events])
