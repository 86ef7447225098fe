"""The model as an EMA Workbench model (ema_workbench 3.x), run through the batched driver.

Uncertainties and levers are named by the model's own dotted parameter names (docs/parameters.md):
a numeric parameter or a power knob becomes a `RealParameter` whose bounds default to its legal range
(`uncertainty`, `lever`), the calibration's priors file gives uncertainties with the priors' bounds
(`uncertainties_from_priors`), and a categorical choice of conf/ (experiment, incentives,
policy.default: sim.choices) becomes a `CategoricalParameter` (`choice`). Outcomes are named in the
sweeps' outcome language (`share:USA@36`, `lead:NER=RUS@36`, `event:coup:NER@24`: analysis.outcomes).

    from ema_workbench import perform_experiments
    from sim import ema

    model = ema.sahel_model(uncertainties=[ema.uncertainty("scenario.powers.RUS.overstretch", 0.2, 0.9)],
                            levers=[ema.choice("experiment", ["none", "us_stays"])],
                            outcomes=[ema.outcome("share:USA@36")])
    experiments, outcomes = perform_experiments(model, scenarios=50, policies=2,
                                                evaluator=ema.BatchedEvaluator(model))

`BatchedEvaluator` hands EMA's experiments to `sim.ensemble.run_batch` in batches (one batch per choice
of the categorical levers), so `perform_experiments` and `optimize` run at the batched driver's speed;
EMA's `SequentialEvaluator` also works (the model's function runs one run a call) but is far slower.

Seeds: an experiment's seed is `future_seed(seed, uncertainty values)`, so every lever setting meets a
future with the same random streams (common random numbers); give an uncertainty or constant named
`seed` to set it yourself.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

with warnings.catch_warnings():  # ema_workbench announces an optional parallel backend it lacks
    warnings.filterwarnings("ignore", "ipyparallel not installed", UserWarning)
    from ema_workbench import CategoricalParameter, Model, RealParameter, ScalarOutcome
    from ema_workbench.em_framework.evaluators import BaseEvaluator
    from ema_workbench.em_framework.points import Experiment

from analysis.outcomes import Outcome, check_outcome, outcome_values, parse_outcome
from sim.choices import CHOICES, check_choices, choice_names, with_choices
from sim.config import compose_config, to_config
from sim.core.params import Config, ConfigError
from sim.core.world import World, load_world, scenario_path
from sim.designs import parameter_range
from sim.ensemble import run_batch
from sim.priors import DEFAULT_PRIORS_FILE, load_priors

#: The name of an uncertainty or constant that sets an experiment's seed directly.
SEED = "seed"
#: EMA 3 names must be Python identifiers: a dotted name's dots become double underscores (as the Mesa
#: model's keywords, alignment__inertia), an outcome's punctuation becomes words.
_PUNCTUATION = (("=", "_is_"), ("@", "_at_"), (":", "_"), ("-", "_"))


def ema_name(name: str) -> str:
    """The EMA name (a Python identifier) of a dotted parameter name or an outcome spec:
    scenario.powers.USA.budget_factor -> scenario__powers__USA__budget_factor, lead:NER=RUS@36 ->
    lead_NER_is_RUS_at_36."""
    out = name.replace(".", "__")
    for mark, word in _PUNCTUATION:
        out = out.replace(mark, word)
    if not out.isidentifier():
        raise ConfigError(f"{name!r} has no EMA name: use dotted parameter names or outcomes of the sweeps' language.")
    return out


def parameter_name(name: str) -> str:
    """The dotted parameter name of an EMA parameter name (the inverse of `ema_name` for parameters)."""
    return name.replace("__", ".")


def _real(name: str, low: float | None, high: float | None) -> RealParameter:
    legal_lo, legal_hi = parameter_range(name)
    lo = legal_lo if low is None else float(low)
    hi = legal_hi if high is None else float(high)
    if not legal_lo <= lo < hi <= legal_hi:
        raise ConfigError(
            f"{name}: the bounds [{lo:g}, {hi:g}] must satisfy {legal_lo:g} <= low < high <= "
            f"{legal_hi:g} (its legal range, docs/parameters.md): narrow them."
        )
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ConfigError(f"{name}: give finite bounds (its legal range is [{legal_lo:g}, {legal_hi:g}]).")
    return RealParameter(ema_name(name), lo, hi)


def uncertainty(name: str, low: float | None = None, high: float | None = None) -> RealParameter:
    """An uncertainty over a numeric model parameter or a power knob, by its dotted name; the bounds
    default to its legal range and must lie inside it."""
    return _real(name, low, high)


def lever(name: str, low: float | None = None, high: float | None = None) -> RealParameter:
    """A lever (what a power or the analyst chooses) over a numeric parameter or a power knob, e.g.
    scenario.powers.USA.budget_factor; bounds as for `uncertainty`."""
    return _real(name, low, high)


def uncertainties_from_priors(path: Any = DEFAULT_PRIORS_FILE) -> list[RealParameter]:
    """One uncertainty per prior of a calibration priors file (conf/calibration/priors.yaml), over the
    prior's [low, high] (EMA samples them uniformly: the priors' shapes are not carried over)."""
    return [RealParameter(ema_name(p.name), p.low, p.high) for p in load_priors(path).values()]


def choice(factor: str, names: Sequence[str] | None = None) -> CategoricalParameter:
    """A categorical choice of conf/ (experiment, incentives, policy.default): all its names, or those given."""
    names = list(names) if names is not None else choice_names(factor)
    check_choices({factor: names}, where="choice")
    return CategoricalParameter(ema_name(factor), names)


def outcome(spec: str, kind: int = ScalarOutcome.INFO) -> ScalarOutcome:
    """An outcome in the sweeps' language (analysis.outcomes), e.g. share:USA@36; kind is
    ScalarOutcome.MAXIMIZE or MINIMIZE for `optimize`."""
    try:
        parsed = parse_outcome(spec)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    made = ScalarOutcome(ema_name(parsed.spec), kind=kind)
    made.spec = parsed.spec  # the outcome's name in the sweeps' language
    return made


def future_seed(seed: int, future: Mapping[str, Any]) -> int:
    """The seed of a run in the future given by its uncertainty values: the same for every lever
    setting (common random numbers), independent of the order or the batch of experiments."""
    if SEED in future:
        return int(future[SEED])
    words = [int(seed)]
    for name in sorted(future):
        value = future[name]
        # numbers by value (numpy's and Python's floats alike), choices by name
        text = (
            repr(float(value))
            if isinstance(value, int | float | np.number) and not isinstance(value, bool)
            else str(value)
        )
        words += list(f"{name}={text};".encode())
    return int(np.random.SeedSequence(words).generate_state(1, np.uint64)[0] >> 1)


class SahelModel(Model):
    """An EMA model of the batched driver: its configuration, horizon, base seed and outcome specs.

    Its function runs one experiment (for EMA's own evaluators); `evaluate` runs many at once."""

    def __init__(self, name: str, cfg: Config, seed: int = 0):
        super().__init__(name, function=self._one_run)
        self.cfg = cfg
        self.seed = int(seed)
        self._worlds: dict[str, World] = {}

    def _one_run(self, **values: Any) -> dict[str, Any]:
        futures = [{u.name: values[u.name] for u in self.uncertainties if u.name in values}]
        settings = [{k: v for k, v in values.items() if k not in futures[0]}]
        return {k: v[0].item() for k, v in self.evaluate(futures, settings).items()}

    def _world(self, cfg: Config) -> World:
        key = repr(cfg.scenario)
        if key not in self._worlds:
            self._worlds[key] = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
        return self._worlds[key]

    def evaluate(
        self, futures: Sequence[Mapping[str, Any]], settings: Sequence[Mapping[str, Any]]
    ) -> dict[str, np.ndarray]:
        """The outcomes of experiments given by their uncertainty values (`futures`) and lever values
        and constants (`settings`), one of each per experiment: one run each, seeded by `future_seed`,
        in one batch per choice of the categorical factors."""
        seeds = [
            int(f[SEED]) if SEED in f else int(s[SEED]) if SEED in s else future_seed(self.seed, f)
            for f, s in zip(futures, settings, strict=True)
        ]
        rows = [{parameter_name(k): v for k, v in {**f, **s}.items()} for f, s in zip(futures, settings, strict=True)]
        specs = [getattr(o, "spec", o.name) for o in self.outcomes]
        out = {name: np.empty(len(rows), dtype=object) for name in specs}
        groups: dict[tuple, list[int]] = {}
        for i, row in enumerate(rows):
            groups.setdefault(tuple((f, row[f]) for f in CHOICES if f in row), []).append(i)
        for key, index in groups.items():
            cfg = with_choices(self.cfg, dict(key))
            numbers = {
                name: [rows[i][name] for i in index] for name in rows[index[0]] if name not in CHOICES and name != SEED
            }
            values = batch_outcomes(cfg, [seeds[i] for i in index], numbers, specs, world=self._world(cfg))
            for name in specs:
                out[name][index] = values[name]
        return {o.name: np.asarray(out[spec].tolist()) for o, spec in zip(self.outcomes, specs, strict=True)}


def sahel_model(
    uncertainties: Iterable[Any],
    levers: Iterable[Any] = (),
    outcomes: Iterable[ScalarOutcome] = (),
    cfg: Config | None = None,
    seed: int = 0,
    name: str = "sahel",
) -> SahelModel:
    """An EMA model of the Sahel ABM with these uncertainties, levers and outcomes, on the configuration
    `cfg` (default: conf/config.yaml's, the baseline) with base seed `seed`."""
    model = SahelModel(name, to_config(cfg) if cfg is not None else compose_config(), seed=seed)
    model.uncertainties = list(uncertainties)
    model.levers = list(levers)
    model.outcomes = list(outcomes)
    if not model.outcomes:
        raise ConfigError("An EMA model needs at least one outcome, e.g. ema.outcome('share:USA@36').")
    return model


def _recorded_every(outcomes: Sequence[Outcome], steps: int) -> int:
    """The coarsest recording interval that still holds every step the outcomes read (states and ties)."""
    every = steps
    for o in outcomes:
        if o.kind != "event" and o.step not in (None, 0, steps):
            every = math.gcd(every, int(o.step))
    return max(every, 1)


def batch_outcomes(
    cfg: Config,
    seeds: Sequence[int],
    numbers: Mapping[str, Sequence[float]],
    specs: Sequence[str],
    world: World | None = None,
) -> dict[str, np.ndarray]:
    """Run one batch with `sim.ensemble.run_batch` (numeric parameters and power knobs per run) and
    compute each outcome per run: the values run_batch's tables give for these specs."""
    steps = cfg.run.steps
    parsed = [parse_outcome(s) for s in specs]
    every = _recorded_every(parsed, steps)
    rec = run_batch(cfg, list(seeds), world=world, run_parameters=dict(numbers) or None, every=every)
    recorded = sorted({0, steps, *range(0, steps + 1, every)})
    powers, states = rec.world.powers, rec.world.states
    runs = list(range(len(seeds)))
    needed = {t for o in parsed for t in o.needs()}
    tables = {name: rec.arrow_table(name).to_pandas() for name in needed}
    return {
        o.spec: outcome_values(
            check_outcome(o, states=states, powers=powers, steps=recorded), runs, **tables
        ).to_numpy()
        for o in parsed
    }


class BatchedEvaluator(BaseEvaluator):
    """An EMA evaluator that runs experiments through the batched driver, `batch_size` at a time.

    Use it as any EMA evaluator: `perform_experiments(model, ..., evaluator=BatchedEvaluator(model))`,
    `BatchedEvaluator(model).optimize(...)`. One model only."""

    def __init__(
        self, msis: SahelModel | list[SahelModel], batch_size: int = 1000, progress: Callable[[int], None] | None = None
    ):
        super().__init__(msis)
        if len(self._msis) != 1 or not isinstance(self._msis[0], SahelModel):
            raise ConfigError("BatchedEvaluator runs one model made by sim.ema.sahel_model.")
        self.batch_size = int(batch_size)
        self.progress = progress

    def initialize(self) -> None:
        """Nothing to start: the batched driver runs in this process."""

    def finalize(self) -> None:
        """Nothing to stop."""

    def evaluate_experiments(self, experiments: Iterable[Experiment], callback: Callable, **kwargs: Any) -> None:
        """Run the experiments in batches and hand each one's outcomes to EMA's callback."""
        model: SahelModel = self._msis[0]
        constants = {c.name: c.value for c in model.constants}
        batch: list[Experiment] = []
        for experiment in experiments:
            batch.append(experiment)
            if len(batch) >= self.batch_size:
                self._run(model, batch, constants, callback)
                batch = []
        if batch:
            self._run(model, batch, constants, callback)

    def _run(self, model: SahelModel, batch: list[Experiment], constants: dict, callback: Callable) -> None:
        # by name: EMA 3.0's callback merges a policy into its scenario's shared dict (`scenario | policy`
        # copies the Sample, not its data), so a scenario seen before may carry an earlier policy's levers
        uncertainties = [u.name for u in model.uncertainties]
        levers = [lv.name for lv in model.levers]
        futures = [{n: e.scenario[n] for n in uncertainties if n in e.scenario} for e in batch]
        settings = [{**{n: e.policy[n] for n in levers if n in e.policy}, **constants} for e in batch]
        values = model.evaluate(futures, settings)
        for i, experiment in enumerate(batch):
            callback(experiment, {name: v[i] for name, v in values.items()})
        if self.progress is not None:
            self.progress(len(batch))
