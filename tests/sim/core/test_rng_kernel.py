"""The compiled seeding, PCG64 and draws (sim.core.rng_kernel) against numpy itself: the same state
from SeedSequence([seed, key]), the same uniform and standard normal numbers, bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core import rng_kernel
from sim.core.rng import STREAMS, stream_key
from sim.core.ziggurat_tables import ZIGGURAT_NOR_R

SEEDS = st.integers(0, 2**64 - 1)
KEYS = st.integers(0, 2**32 - 1)


def _numpy_generator(seed: int, key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, key])))


def _kernel_draws(seeds: list[int], key: int, dist: int, count: int) -> np.ndarray:
    """(count, R): run r's numbers in column r, as draw_batch lays them out."""
    out = np.full(count * len(seeds), np.nan)
    columns = (np.array([key], dtype=np.uint64), *(np.array([v], dtype=np.int64) for v in (dist, count, 0, len(seeds))))
    rng_kernel.fill_streams(out, np.array(seeds, dtype=np.uint64), *columns)  # the argument types of draw_batch
    return out.reshape(count, len(seeds))


@settings(max_examples=300, deadline=None)
@given(seed=SEEDS, key=KEYS)
def test_seeding_gives_numpys_pcg64_state(seed, key):
    state = rng_kernel._seed_state(np.uint64(seed), np.uint64(key))
    expected = np.random.PCG64(np.random.SeedSequence([seed, key])).state["state"]
    assert int(state[0]) << 64 | int(state[1]) == expected["state"]
    assert int(state[2]) << 64 | int(state[3]) == expected["inc"]


def test_seeding_at_the_word_boundaries():
    # a seed of one 32-bit word or two, the key 0 (one word, not none), both at their largest
    for seed in (0, 1, 2**32 - 1, 2**32, 2**63 - 1, 2**64 - 1):
        for key in (0, 1, 2**32 - 1):
            np.testing.assert_array_equal(
                _kernel_draws([seed], key, rng_kernel.UNIFORM, 5)[:, 0], _numpy_generator(seed, key).random(5)
            )


@settings(max_examples=100, deadline=None)
@given(seeds=st.lists(SEEDS, min_size=1, max_size=20), key=KEYS, count=st.integers(0, 40))
def test_uniform_draws_equal_numpys_random(seeds, key, count):
    got = _kernel_draws(seeds, key, rng_kernel.UNIFORM, count)
    for r, seed in enumerate(seeds):
        np.testing.assert_array_equal(got[:, r], _numpy_generator(seed, key).random(count))


@settings(max_examples=100, deadline=None)
@given(seeds=st.lists(SEEDS, min_size=1, max_size=20), key=KEYS, count=st.integers(0, 40))
def test_normal_draws_equal_numpys_standard_normal(seeds, key, count):
    got = _kernel_draws(seeds, key, rng_kernel.NORMAL, count)
    for r, seed in enumerate(seeds):
        np.testing.assert_array_equal(got[:, r], _numpy_generator(seed, key).standard_normal(count))


def test_normal_draws_through_the_wedges_and_the_tail():
    # 400,000 draws: about 1% go through a wedge and 1 in 3,900 through the tail beyond r; one
    # number drawn differently, or one 64-bit word consumed more or less, shifts all that follow
    count = 100_000
    seeds = [0, 7, 2**40 + 3, 2**63 - 1]
    key = stream_key("affinity_noise")
    got = _kernel_draws(seeds, key, rng_kernel.NORMAL, count)
    expected = np.stack([_numpy_generator(s, key).standard_normal(count) for s in seeds], axis=-1)
    np.testing.assert_array_equal(got, expected)
    assert (np.abs(got) > ZIGGURAT_NOR_R).sum() > 20  # the tail was drawn


def test_every_stream_name_is_one_32_bit_key():
    # the compiled path takes the key as one word, as SeedSequence splits crc32(name)
    assert all(0 <= stream_key(name) < 2**32 for name in STREAMS)


def test_a_runs_numbers_do_not_depend_on_its_block():
    # runs are drawn in blocks of a few: the same seed in any position of any batch gives the same column
    alone = _kernel_draws([12345], 99, rng_kernel.NORMAL, 30)[:, 0]
    for runs in (1, 7, 8, 9, 17):
        for position in {0, runs // 2, runs - 1}:
            seeds = list(range(1000, 1000 + runs))
            seeds[position] = 12345
            np.testing.assert_array_equal(_kernel_draws(seeds, 99, rng_kernel.NORMAL, 30)[:, position], alone)
