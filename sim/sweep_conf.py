"""The schema of a sweep (`python -m sim.sweep`): the model's Config plus the design and how to run it,
registered in Hydra's ConfigStore by `register_sweep_schema`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hydra.core.config_store import ConfigStore

from sim.core.params import Config


@dataclass
class SweepConf:
    """A sample design over named model parameters, R seeds per point."""

    name: str = field(default="demo", metadata={"doc": "the sweep's name; its default output folder"})
    design: str = field(
        default="lhs", metadata={"choices": ("grid", "lhs", "sobol", "morris"), "doc": "grid, lhs, sobol or morris"}
    )
    samples: int = field(
        default=16,
        metadata={
            "range": (1, 10_000_000),
            "doc": "points of an lhs design; base sample N of a sobol design; trajectories N of a morris design",
        },
    )
    levels: int = field(
        default=4,
        metadata={"range": (2, 1000), "doc": "grid levels per parameter of a morris design (even; 4 is usual)"},
    )
    seeds_per_point: int = field(default=4, metadata={"range": (1, 100_000), "doc": "runs per design point"})
    seed: int = field(default=0, metadata={"range": (0, 2**63 - 1), "doc": "seed of the design and of the runs"})
    seeding: str = field(
        default="auto",
        metadata={
            "choices": ("auto", "common", "independent"),
            "doc": "common: seed k the same at every point (common random "
            "numbers); independent: a seed per run; auto: common "
            "for sobol and morris, independent for grid and lhs",
        },
    )
    # grid: name -> list of values; lhs: name -> [low, high] (the uncertainties of a sweep with levers)
    parameters: dict[str, Any] = field(default_factory=dict)
    # levers and categorical factors: every combination of them meets every point of the design above
    factors: dict[str, Any] = field(
        default_factory=dict,
        metadata={
            "doc": "categorical factors: experiment, incentives, policy.default -> list of choices (sim.choices)"
        },
    )
    levers: dict[str, Any] = field(
        default_factory=dict,
        metadata={"doc": "levers: numeric parameter or power knob -> list of values, crossed with the factors"},
    )
    chunk_runs: int = field(default=100, metadata={"range": (1, 100_000), "doc": "runs per chunk written"})
    # what each chunk writes: the tables, how often the monthly state is kept, the float width
    tables: list[str] = field(
        default_factory=lambda: ["states", "ties", "events"],
        metadata={"doc": "tables written, of states, ties, events (ties are the bulk)"},
    )
    every: int = field(
        default=1, metadata={"range": (1, 1200), "doc": "keep states and ties every k months (plus the first and last)"}
    )
    causes: bool = field(
        default=True,
        metadata={
            "doc": "write each event's cause in words; false leaves the events' cause column out and "
            "never writes a cause (faster, for sweeps that count events)"
        },
    )
    float32: bool = field(
        default=False,
        metadata={
            "doc": "store floats as float32: half the disk, but the tables "
            "then differ from a single run's (float64) in float width"
        },
    )


@dataclass
class SweepAppConfig(Config):
    """A sweep's whole configuration: the base model configuration, the design, the workers."""

    sweep: SweepConf = field(default_factory=SweepConf)
    workers: int = field(
        default=1, metadata={"range": (1, 256), "doc": "worker processes (local engine, or dask's LocalCluster)"}
    )
    engine: str = field(
        default="local",
        metadata={
            "choices": ("local", "dask"),
            "doc": "local (processes on this machine) or dask (one task a chunk; see docs/sweeps-engines.md)",
        },
    )
    scheduler: str = field(
        default="",
        metadata={
            "doc": "engine=dask: address of a running Dask scheduler, e.g. "
            "tcp://host:8786; empty starts a LocalCluster of `workers`"
        },
    )
    out: str = field(default="", metadata={"doc": "output folder (default outputs/sweeps/NAME)"})


def register_sweep_schema() -> None:
    """Make the sweep's typed schema available to conf/sweep_app.yaml as 'base_sweep', before conf/
    is composed with config_name="sweep_app"."""
    ConfigStore.instance().store(name="base_sweep", node=SweepAppConfig)
