"""The schema of a sweep (`python -m sim.sweep`): the model's Config plus the design and how to run it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.params import Config


@dataclass
class SweepConf:
    """A sample design over named model parameters, R seeds per point."""

    name: str = field(default="demo", metadata={"doc": "the sweep's name; its default output folder"})
    design: str = field(default="lhs", metadata={"choices": ("grid", "lhs", "sobol"), "doc": "grid, lhs or sobol"})
    samples: int = field(default=16, metadata={"range": (1, 10_000_000),
                                               "doc": "points of an lhs design; base sample N of a sobol design"})
    seeds_per_point: int = field(default=4, metadata={"range": (1, 100_000), "doc": "runs per design point"})
    seed: int = field(default=0, metadata={"range": (0, 2**63 - 1), "doc": "seed of the design and of the runs"})
    # grid: name -> list of values; lhs: name -> [low, high]
    parameters: dict[str, Any] = field(default_factory=dict)
    chunk_runs: int = field(default=100, metadata={"range": (1, 100_000), "doc": "runs per chunk written"})


@dataclass
class SweepAppConfig(Config):
    """A sweep's whole configuration: the base model configuration, the design, the workers."""

    sweep: SweepConf = field(default_factory=SweepConf)
    workers: int = field(default=1, metadata={"range": (1, 256), "doc": "local worker processes"})
    out: str = field(default="", metadata={"doc": "output folder (default outputs/sweeps/NAME)"})
