"""The values the page's controls edit, and their translation into a validated Config.

A `Settings` is what the next Reset will run: world, experiment, seed, the seven incentive
weights of civilian governments and of juntas, and three knobs per foreign power. It becomes
Hydra-style overrides for `sim.config.compose_config`, listing only what differs from the chosen
world and experiment, so the same run can be repeated with `python -m sim` and those overrides.
"""

from __future__ import annotations

import functools
import math
import threading
from dataclasses import dataclass, field, replace

from app.catalog import NO_EXPERIMENT
from sim.config import compose_config
from sim.core.params import Config
from sim.core.vocabulary import REGIMES, TERMS
from sim.core.world import load_world, scenario_path

#: The power knobs the page offers, with the slider range shown (inside the legal range).
KNOBS: dict[str, tuple[float, float, float]] = {
    "budget_factor": (0.0, 3.0, 0.1),
    "colonial_baggage": (0.0, 1.0, 0.05),
    "overstretch": (0.0, 1.0, 0.05),
}
WEIGHT_RANGE: tuple[float, float, float] = (0.0, 5.0, 0.1)
DEFAULT_WORLD = "sahel_2024"

# Hydra's global state is not thread-safe: two sessions pressing Reset at once share one lock.
_COMPOSE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Settings:
    """What the next run uses. Treat as immutable: the `with_*` methods return changed copies."""

    world: str = DEFAULT_WORLD
    experiment: str = NO_EXPERIMENT
    seed: int = 0
    weights: dict[str, dict[str, float]] = field(default_factory=dict)  # regime -> term -> weight
    powers: dict[str, dict[str, float]] = field(default_factory=dict)  # power -> knob -> value

    def with_weight(self, regime: str, term: str, value: float) -> Settings:
        """A copy with one incentive weight changed."""
        weights = {r: dict(w) for r, w in self.weights.items()}
        weights[regime][term] = round(float(value), 3)
        return replace(self, weights=weights)

    def with_knob(self, power: str, knob: str, value: float) -> Settings:
        """A copy with one power knob changed."""
        powers = {p: dict(k) for p, k in self.powers.items()}
        powers[power][knob] = round(float(value), 3)
        return replace(self, powers=powers)

    def with_seed(self, seed: int) -> Settings:
        """A copy with another seed."""
        return replace(self, seed=int(seed))


def _compose(overrides: list[str]) -> Config:
    with _COMPOSE_LOCK:
        return compose_config(overrides)


def _group_overrides(world: str, experiment: str) -> list[str]:
    out = [] if world == DEFAULT_WORLD else [f"scenario.name={world}"]
    return out + ([] if experiment == NO_EXPERIMENT else [f"experiment={experiment}"])


@functools.lru_cache(maxsize=32)
def scenario_defaults(world: str = DEFAULT_WORLD, experiment: str = NO_EXPERIMENT) -> Settings:
    """The values a world plus an experiment overlay starts from (seed 0): what the controls show
    after picking them. Raises the model's clear ConfigError / WorldError for a bad choice."""
    cfg = _compose(_group_overrides(world, experiment))
    loaded = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    weights = {r: {t: float(getattr(getattr(cfg.incentives, r), t)) for t in TERMS} for r in REGIMES}
    powers = {}
    for p, code in enumerate(loaded.powers):
        knobs = cfg.scenario.powers.get(code)
        factor = knobs.budget_factor if knobs is not None and knobs.budget_factor is not None else 1.0
        powers[code] = {
            "budget_factor": float(factor),
            "colonial_baggage": float(loaded.colonial_baggage[p]),
            "overstretch": float(loaded.overstretch[p]),
        }
    return Settings(world=world, experiment=experiment, seed=0, weights=weights, powers=powers)


def _number(value: float) -> str:
    return f"{value:.6g}"


def overrides(settings: Settings) -> list[str]:
    """The overrides that build this run: group choices, the seed, and each value that differs
    from the chosen world and experiment (power knobs with '++', which adds or replaces)."""
    base = scenario_defaults(settings.world, settings.experiment)
    out = _group_overrides(settings.world, settings.experiment)
    if settings.seed:
        out.append(f"seed={settings.seed}")
    for regime in REGIMES:
        for term in TERMS:
            value = settings.weights[regime][term]
            if not math.isclose(value, base.weights[regime][term], abs_tol=1e-9):
                out.append(f"incentives.{regime}.{term}={_number(value)}")
    for code, knobs in settings.powers.items():
        for knob, value in knobs.items():
            if not math.isclose(value, base.powers[code][knob], abs_tol=1e-9):
                out.append(f"++scenario.powers.{code}.{knob}={_number(value)}")
    return out


def build_config(settings: Settings) -> Config:
    """The validated Config of a run with these settings."""
    return _compose(overrides(settings))


def command_line(settings: Settings) -> str:
    """The same run on the command line."""
    return " ".join(["python -m sim", *overrides(settings)])
