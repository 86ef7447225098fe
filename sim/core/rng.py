"""Named per-run random streams derived from one seed.

Each stochastic process (coups, expulsions, affinity noise, ...) has its own stream, seeded from
the run's seed and the stream's name (common random numbers: a change to one process moves only
what that process touches). A run's numbers are drawn for the whole horizon from its own
generators, so they never depend on how many runs are computed beside it. Batches stack runs on
the last (innermost) axis, the layout the rules read.
"""

from __future__ import annotations

import functools
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# name -> (distribution, shape key). Shape keys are resolved against the world's sizes.
STREAMS: dict[str, tuple[str, str]] = {
    "affinity_noise": ("normal", "SP"),
    "opinion_noise": ("normal", "SP"),
    "insurgency_noise": ("normal", "SG"),
    "legitimacy_noise": ("normal", "S"),
    "coup": ("uniform", "S"),
    "coup_success": ("uniform", "S"),
    "transition": ("uniform", "S"),
    "expel": ("uniform", "SP"),
    "invite": ("uniform", "SP"),
    "deploy": ("uniform", "SP"),
    "incident": ("uniform", "K"),
    "sanction": ("uniform", "SB"),
    "sanction_lift": ("uniform", "SB"),
    "aid_suspend": ("uniform", "SP"),
    "aid_resume": ("uniform", "SP"),
    "bloc": ("uniform", "SB"),
    "posture": ("uniform", "SP"),
    "strain": ("normal", "P"),
}
#: The stream of each dated commitment is its own, named by its id (COMMITMENT_STREAM + id), so
#: cancelling one commitment moves no other's draws; stacked they are the month's draws["commitment"] (C, R).
COMMITMENT_STREAM = "commitment:"


def stream_key(name: str) -> int:
    """A stable integer for a stream name (the same on every machine and Python version)."""
    return zlib.crc32(name.encode("utf-8"))


def stream_generator(seed: int, name: str) -> np.random.Generator:
    """The generator of one named stream of one run."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), stream_key(name)])))


@dataclass
class Sizes:
    """The world's axis lengths that stream shapes refer to."""

    S: int  # states
    P: int  # powers
    G: int  # insurgent groups
    B: int  # blocs
    K: int  # bases
    commitments: tuple[str, ...] = ()  # ids of the dated commitments, C of them

    @classmethod
    def of(cls, world: Any) -> Sizes:
        """The sizes of a World (sim.core.world)."""
        return cls(
            S=len(world.states),
            P=len(world.powers),
            G=len(world.groups),
            B=len(world.blocs),
            K=len(world.base_names),
            commitments=tuple(c.id for c in getattr(world, "commitments", [])),
        )

    def shape(self, key: str) -> tuple[int, ...]:
        return tuple(getattr(self, c) for c in key)


def draw_run(seed: int, steps: int, sizes: Sizes) -> dict[str, np.ndarray]:
    """All random numbers of one run for `steps` months: name -> array (steps, *shape)."""
    out: dict[str, np.ndarray] = {}
    for name, (dist, key) in STREAMS.items():
        gen = stream_generator(seed, name)
        shape = (steps, *sizes.shape(key))
        out[name] = gen.standard_normal(shape) if dist == "normal" else gen.random(shape)
    out["commitment"] = _commitment_draws(seed, steps, sizes.commitments)
    return out


def _commitment_draws(seed: int, steps: int, ids: Sequence[str]) -> np.ndarray:
    """Uniform draws of each commitment's own stream: (steps, C)."""
    out = np.empty((steps, len(ids)))
    for c, cid in enumerate(ids):
        out[:, c] = stream_generator(seed, COMMITMENT_STREAM + cid).random(steps)
    return out


def draw_batch_numpy(seeds: Sequence[int], steps: int, sizes: Sizes) -> dict[str, np.ndarray]:
    """draw_batch by numpy's generators, one per run and stream (the implementation before the
    compiled one): the reference of draw_batch's tests and the baseline of benchmarks/bench_rng.py."""
    out: dict[str, np.ndarray] = {}
    for name, (dist, key) in STREAMS.items():
        buffer = np.empty((len(seeds), steps, *sizes.shape(key)))
        for r, seed in enumerate(seeds):
            gen = stream_generator(seed, name)
            if dist == "normal":
                gen.standard_normal(out=buffer[r])
            else:
                gen.random(out=buffer[r])
        out[name] = np.ascontiguousarray(np.moveaxis(buffer, 0, -1))
    out["commitment"] = np.ascontiguousarray(
        np.stack([_commitment_draws(seed, steps, sizes.commitments) for seed in seeds], axis=-1)
        if seeds
        else np.empty((steps, len(sizes.commitments), 0))
    )
    return out


@dataclass(frozen=True)
class _Layout:
    """Where draw_batch puts each stream in its buffer: one job per stream (one per commitment)."""

    shapes: dict[str, tuple[int, ...]]  # name -> (steps, *shape, R)
    starts: dict[str, int]  # name -> the array's first element in the buffer
    total: int
    names: tuple[str, ...]  # the jobs' stream names; then their columns for rng_kernel.fill_streams
    dists: tuple[str, ...]
    columns: tuple[np.ndarray, ...]  # keys, dists, counts, offsets, strides (shared by the calls: not to be written)


@functools.lru_cache(maxsize=64)
def _layout(steps: int, dims: tuple[int, ...], commitments: tuple[str, ...], runs: int) -> _Layout:
    from sim.core import rng_kernel

    sizes = Sizes(*dims, commitments=commitments)
    shapes = {name: (steps, *sizes.shape(key), runs) for name, (_, key) in STREAMS.items()}
    shapes["commitment"] = (steps, len(commitments), runs)
    starts, total = {}, 0
    for name, shape in shapes.items():
        starts[name], total = total, total + math.prod(shape)
    jobs = [(name, dist, math.prod(shapes[name][:-1]), starts[name], runs) for name, (dist, _) in STREAMS.items()] + [
        (COMMITMENT_STREAM + cid, "uniform", steps, starts["commitment"] + c * runs, len(commitments) * runs)
        for c, cid in enumerate(commitments)
    ]
    names, dists, counts, offsets, strides = zip(*jobs, strict=True)
    columns = (
        np.array([stream_key(name) for name in names], dtype=np.uint64),
        np.array([rng_kernel.NORMAL if dist == "normal" else rng_kernel.UNIFORM for dist in dists], dtype=np.int64),
        np.array(counts, dtype=np.int64),
        np.array(offsets, dtype=np.int64),
        np.array(strides, dtype=np.int64),
    )
    return _Layout(shapes, starts, total, names, dists, columns)


def draw_batch(seeds: Sequence[int], steps: int, sizes: Sizes) -> dict[str, np.ndarray]:
    """Random numbers of several runs stacked on the last axis: name -> (steps, *shape, R).

    The same numbers as `draw_run` for every run (numpy's generators are the reference), drawn by
    compiled code (sim.core.rng_kernel) in one call straight into each run's column of the
    runs-innermost arrays (C-contiguous views of one buffer). A seed of 2**64 or more (numpy takes
    any non-negative integer) is drawn by the reference; a negative seed is refused as numpy refuses it.
    """
    from sim.core import rng_kernel  # numba: imported when the first batch is drawn

    seeds = [int(s) for s in seeds]
    if seeds and min(seeds) < 0:
        np.random.SeedSequence(min(seeds))  # numpy's refusal
    huge = [r for r, s in enumerate(seeds) if s > rng_kernel.MAX_SEED]  # drawn by numpy below
    kernel_seeds = np.array([0 if s > rng_kernel.MAX_SEED else s for s in seeds] if huge else seeds, dtype=np.uint64)
    layout = _layout(steps, (sizes.S, sizes.P, sizes.G, sizes.B, sizes.K), tuple(sizes.commitments), len(seeds))
    flat = np.empty(layout.total)
    rng_kernel.fill_streams(flat, kernel_seeds, *layout.columns)
    _, _, counts, offsets, strides = layout.columns
    for r in huge:
        for k, (name, dist) in enumerate(zip(layout.names, layout.dists, strict=True)):
            gen = stream_generator(seeds[r], name)
            first, step = int(offsets[k]) + r, int(strides[k])
            flat[first : first + int(counts[k]) * step : step] = (
                gen.standard_normal(int(counts[k])) if dist == "normal" else gen.random(int(counts[k]))
            )
    return {
        name: flat[layout.starts[name] : layout.starts[name] + math.prod(shape)].reshape(shape)
        for name, shape in layout.shapes.items()
    }
