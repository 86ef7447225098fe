"""draw_batch (compiled) against the numpy reference: every stream and commitment stream of every
run bit for bit the same, for any seed numpy takes, any sizes (zero included) and any batch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.rng import STREAMS, Sizes, draw_batch, draw_batch_numpy, draw_run
from sim.designs import run_seed

SEEDS = st.integers(0, 2**63 - 1)  # the range of cfg.seed
SIZES = st.builds(
    Sizes,
    S=st.integers(0, 5),
    P=st.integers(0, 4),
    G=st.integers(0, 3),
    B=st.integers(0, 3),
    K=st.integers(0, 3),
    commitments=st.lists(st.text(min_size=1, max_size=8), max_size=3, unique=True).map(tuple),
)


def _assert_equal(got: dict[str, np.ndarray], expected: dict[str, np.ndarray]) -> None:
    assert set(got) == set(expected) == set(STREAMS) | {"commitment"}
    for name in expected:
        assert got[name].shape == expected[name].shape, name
        assert got[name].flags.c_contiguous, name
        np.testing.assert_array_equal(got[name], expected[name], err_msg=name)


@settings(max_examples=60, deadline=None)
@given(seeds=st.lists(SEEDS, max_size=12), steps=st.integers(0, 6), sizes=SIZES)
def test_draw_batch_equals_the_numpy_reference(seeds, steps, sizes):
    _assert_equal(draw_batch(seeds, steps, sizes), draw_batch_numpy(seeds, steps, sizes))


@settings(max_examples=30, deadline=None)
@given(sweep_seed=SEEDS, first=st.integers(0, 10**6), runs=st.integers(1, 10))
def test_draw_batch_equals_draw_run_on_the_sweeps_derived_seeds(sweep_seed, first, runs):
    seeds = [run_seed(sweep_seed, k) for k in range(first, first + runs)]
    sizes = Sizes(S=19, P=5, G=3, B=3, K=2, commitments=("fr_drawdown", "us_exit"))
    batch = draw_batch(seeds, 3, sizes)
    for r, seed in enumerate(seeds):
        single = draw_run(seed, 3, sizes)
        for name in single:
            np.testing.assert_array_equal(batch[name][..., r], single[name], err_msg=name)


@settings(max_examples=30, deadline=None)
@given(seeds=st.lists(SEEDS, min_size=1, max_size=20, unique=True), data=st.data())
def test_a_runs_numbers_do_not_depend_on_the_batch(seeds, data):
    sizes = Sizes(S=3, P=2, G=1, B=2, K=1, commitments=("a", "b"))
    batch = draw_batch(seeds, 4, sizes)
    r = data.draw(st.integers(0, len(seeds) - 1))
    others = data.draw(st.permutations(seeds))
    reordered = draw_batch(others, 4, sizes)
    alone = draw_batch([seeds[r]], 4, sizes)
    for name in batch:
        np.testing.assert_array_equal(batch[name][..., r], alone[name][..., 0], err_msg=name)
        np.testing.assert_array_equal(reordered[name][..., others.index(seeds[r])], alone[name][..., 0])


def test_seeds_numpy_takes_beyond_the_compiled_range_are_drawn_by_the_reference():
    seeds = [3, 2**64 - 1, 2**64, 2**70 + 5, 4]
    sizes = Sizes(S=2, P=2, G=1, B=1, K=1, commitments=("a",))
    _assert_equal(draw_batch(seeds, 5, sizes), draw_batch_numpy(seeds, 5, sizes))


def test_a_negative_seed_is_refused_as_numpy_refuses_it():
    with pytest.raises(ValueError, match="non-negative"):
        draw_batch([1, -1], 2, Sizes(S=1, P=1, G=1, B=1, K=1))
    with pytest.raises(ValueError, match="non-negative"):
        draw_batch_numpy([1, -1], 2, Sizes(S=1, P=1, G=1, B=1, K=1))


def test_numpy_integer_seeds_draw_as_python_ints():
    sizes = Sizes(S=2, P=1, G=1, B=1, K=1)
    _assert_equal(draw_batch(np.array([5, 2**62], dtype=np.int64), 3, sizes), draw_batch_numpy([5, 2**62], 3, sizes))
