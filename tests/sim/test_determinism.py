"""Seeded reproducibility: same seed, same tables; the random streams of a run do not depend on the
batch it is computed in; a batch of runs advanced together equals each run advanced alone."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from sim.core.phases import advance
from sim.core.rng import STREAMS, Sizes, draw_batch, draw_run, stream_generator
from sim.core.simulation import policies_for
from sim.core.state import SimState, initial_state
from sim.core.world import load_world, scenario_path
from sim.model import InfluenceModel

T = 12


def _sizes(world) -> Sizes:
    return Sizes(
        S=len(world.states),
        P=len(world.powers),
        G=len(world.groups),
        B=len(world.blocs),
        K=len(world.base_names),
        commitments=tuple(c.id for c in world.commitments),
    )


def _tables(cfg, world, seed, steps=T, run_id=0):
    cfg = dataclasses.replace(cfg, seed=seed)
    model = InfluenceModel(cfg, world=world, run_id=run_id)
    model.run(steps)
    rec = model.recorder
    return {
        "states": rec.states_table(),
        "ties": rec.ties_table(),
        "events": rec.events_table(),
        "bases": rec.bases_table(),
    }


def test_same_seed_gives_identical_tables(base_cfg, tiny_world):
    a = _tables(base_cfg, tiny_world, seed=11)
    b = _tables(base_cfg, tiny_world, seed=11)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert len(a["events"]) > 0  # not vacuous: something happens (at least the US withdrawal)


def test_same_seed_identical_on_the_real_world(base_cfg):
    world = load_world(scenario_path("sahel_2024"), base_cfg.scenario)
    a = _tables(base_cfg, world, seed=4)
    b = _tables(base_cfg, world, seed=4)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])


def test_different_seed_gives_different_tables(base_cfg, tiny_world):
    a = _tables(base_cfg, tiny_world, seed=1)
    b = _tables(base_cfg, tiny_world, seed=2)
    assert not a["ties"]["affinity"].equals(b["ties"]["affinity"])
    assert not a["states"]["legitimacy"].equals(b["states"]["legitimacy"])


def test_run_id_labels_but_does_not_change_a_run(base_cfg, tiny_world):
    a = _tables(base_cfg, tiny_world, seed=3, run_id=0)
    b = _tables(base_cfg, tiny_world, seed=3, run_id=7)
    for name in a:
        assert (b[name]["run"] == 7).all()
        pd.testing.assert_frame_equal(a[name].drop(columns="run"), b[name].drop(columns="run"))


def test_a_run_does_not_change_its_world(base_cfg, tiny_world_path, tiny_world):
    _tables(base_cfg, tiny_world, seed=5)
    fresh = load_world(tiny_world_path, base_cfg.scenario)
    for f in dataclasses.fields(fresh):
        value = getattr(fresh, f.name)
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(getattr(tiny_world, f.name), value, err_msg=f.name)
    assert tiny_world.scripted == fresh.scripted


def test_stepping_past_the_planned_horizon_continues_the_same_streams(base_cfg, tiny_world):
    # run.steps=3 plans 3 months of draws; stepping 8 months must redraw without changing months 1..3
    short = dataclasses.replace(base_cfg, run=dataclasses.replace(base_cfg.run, steps=3))
    long = dataclasses.replace(base_cfg, run=dataclasses.replace(base_cfg.run, steps=8))
    a = _tables(short, tiny_world, seed=9, steps=8)
    b = _tables(long, tiny_world, seed=9, steps=8)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])


# ------------------------------------------------------------------ random streams


SIZES = Sizes(S=3, P=2, G=1, B=2, K=1)


@pytest.mark.parametrize("name", list(STREAMS))
def test_batch_streams_equal_single_run_streams(name):
    batch = draw_batch([5, 7, 9], T, SIZES)
    single = draw_run(7, T, SIZES)
    assert batch[name].shape == (*single[name].shape, 3)
    np.testing.assert_array_equal(batch[name][..., 1], single[name])


def test_streams_have_the_documented_shapes_and_distributions():
    draws = draw_run(0, 50, SIZES)
    for name, (dist, key) in STREAMS.items():
        assert draws[name].shape == (50, *SIZES.shape(key))
        if dist == "uniform":
            assert ((draws[name] >= 0) & (draws[name] < 1)).all()
    assert set(draws) == set(STREAMS) | {"commitment"}
    assert draws["commitment"].shape == (50, 0)


def test_each_commitment_draws_from_its_own_stream():
    # cancelling one commitment moves no other's draws; a batch's column equals the single run
    both = draw_run(3, T, Sizes(S=3, P=2, G=1, B=2, K=1, commitments=("a", "b")))
    one = draw_run(3, T, Sizes(S=3, P=2, G=1, B=2, K=1, commitments=("b",)))
    np.testing.assert_array_equal(both["commitment"][:, 1], one["commitment"][:, 0])
    assert not np.array_equal(both["commitment"][:, 0], both["commitment"][:, 1])
    batch = draw_batch([5, 3], T, Sizes(S=3, P=2, G=1, B=2, K=1, commitments=("a", "b")))
    np.testing.assert_array_equal(batch["commitment"][..., 1], both["commitment"])


def test_streams_are_distinct_and_seeded():
    a, b = draw_run(1, 5, SIZES), draw_run(2, 5, SIZES)
    assert not np.array_equal(a["coup"], b["coup"])
    assert not np.array_equal(a["coup"], a["transition"])  # same shape, different streams


def test_a_stream_does_not_depend_on_other_streams_sizes():
    # common random numbers: more powers or bases must not move the coup draws
    small = draw_run(3, T, Sizes(S=3, P=2, G=1, B=2, K=1))
    large = draw_run(3, T, Sizes(S=3, P=5, G=2, B=4, K=7))
    np.testing.assert_array_equal(small["coup"], large["coup"])
    np.testing.assert_array_equal(small["legitimacy_noise"], large["legitimacy_noise"])


def test_longer_horizon_extends_the_same_draws():
    short, long = draw_run(4, 5, SIZES), draw_run(4, 10, SIZES)
    for name in STREAMS:
        np.testing.assert_array_equal(long[name][:5], short[name])


def test_stream_generator_is_stable():
    a = stream_generator(42, "coup").random(3)
    b = stream_generator(42, "coup").random(3)
    np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------ batch advance == single runs


def _assert_state_column_equal(batch: SimState, r: int, single: SimState, where: str) -> None:
    assert batch.step == single.step
    for f in dataclasses.fields(SimState):
        a = getattr(batch, f.name)
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a[..., r], getattr(single, f.name)[..., 0], err_msg=f"{where}: {f.name}")


@pytest.mark.parametrize("world_name", ["tiny", "sahel_2024"])
def test_batch_advance_equals_single_runs(world_name, base_cfg, tiny_world):
    world = tiny_world if world_name == "tiny" else load_world(scenario_path("sahel_2024"), base_cfg.scenario)
    seeds = [5, 7, 9]
    steps = 24
    sizes = _sizes(world)
    policies = policies_for(base_cfg.policy, world.powers)
    batch_draws = draw_batch(seeds, steps, sizes)
    batch = initial_state(world, len(seeds))
    singles = [initial_state(world, 1) for _ in seeds]
    single_draws = [draw_run(s, steps, sizes) for s in seeds]
    n_events = 0
    for t in range(1, steps + 1):
        events = advance(
            batch, world, base_cfg, {k: v[t - 1] for k, v in batch_draws.items()}, np.array(seeds), policies
        )
        for r, seed in enumerate(seeds):
            draws = {k: v[t - 1][..., None] for k, v in single_draws[r].items()}
            alone = advance(singles[r], world, base_cfg, draws, np.array([seed]), policies)
            assert [e for e in events if e.run == seed] == alone, f"events of seed {seed} at step {t}"
            _assert_state_column_equal(batch, r, singles[r], f"seed {seed} step {t}")
        n_events += len(events)
    assert n_events > 0
