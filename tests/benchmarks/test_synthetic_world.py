"""The synthetic worlds of benchmarks/synthetic_world.py: the size asked, valid, one piece, and the
baseline's own world when no state is added."""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest

from sim.config import compose_config
from sim.core.simulation import Simulation
from sim.core.world import load_world, scenario_path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic_world import write_synthetic_world  # noqa: E402


@pytest.fixture(scope="module")
def cfg():
    return compose_config(["run.plots=false", "run.summary=false"])


@pytest.mark.parametrize("n", [54, 100])
def test_a_synthetic_world_has_the_states_asked_and_is_one_piece(tmp_path, cfg, n):
    world = load_world(write_synthetic_world(n, tmp_path / "w.yaml"), cfg.scenario)
    assert len(world.states) == n
    assert len(set(world.states)) == n
    assert nx.is_connected(world.graph)
    base = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    copy_of_niger = world.states.index("QAA")  # the first copy is of the baseline's first state
    assert world.states[0] == base.states[0]
    assert world.gdp_usd_bn[copy_of_niger] == base.gdp_usd_bn[0]
    first_copy = {i: 19 + i for i in range(19)}  # the baseline's state i -> its first copy
    assert {tuple(sorted((first_copy[a], first_copy[b]))) for a, b in base.graph.edges} == {
        tuple(sorted(e)) for e in world.graph.subgraph(first_copy.values()).edges
    }
    assert len(world.base_names) >= 2 * len(base.base_names)  # forces and bases come with their states
    Simulation(cfg, world, range(3), horizon=3).run()


def test_no_state_added_runs_as_the_baseline(tmp_path, cfg):
    base = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    same = load_world(write_synthetic_world(len(base.states), tmp_path / "w.yaml"), cfg.scenario)
    a, b = Simulation(cfg, base, range(2), horizon=6), Simulation(cfg, same, range(2), horizon=6)
    a.run(), b.run()
    assert a.fingerprint() == b.fingerprint()


def test_fewer_states_than_the_base_world_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least 19 states"):
        write_synthetic_world(5, tmp_path / "w.yaml")
