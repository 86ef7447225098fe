"""The priors of a calibration: which parameters `python -m sim.calibrate` fits and, for each, a
distribution with bounds and a source (conf/calibration/priors.yaml, docs/calibration.md).

    parameters:
      hazards.coup_base:
        distribution: lognormal     # uniform | normal | lognormal | beta
        median: 0.001               # lognormal: median and sigma (of the log)
        sigma: 0.6
        low: 0.0002                 # every prior has bounds; normal and lognormal are truncated to them
        high: 0.005
        source: Powell & Thyne ...

Fields per distribution: uniform (low, high); normal (mean, sd, low, high); lognormal (median,
sigma, low, high); beta (a, b, low, high: the beta distribution stretched over [low, high]). The
bounds lie inside the parameter's legal range (docs/parameters.md). `design` draws a Latin
hypercube over the priors' quantiles (inverse CDF), so the points are a sample of the prior.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from sim.config import CONF_DIR
from sim.core import data_yaml
from sim.core.params import ConfigError, parameter
from sim.core.vocabulary import TERMS
from sim.designs import parameter_range
from sim.posterior_sample import FITTABLE

#: The priors file of the calibration (the single list of what is fitted).
DEFAULT_PRIORS_FILE = CONF_DIR / "calibration" / "priors.yaml"
#: Each distribution's shape fields (besides low, high and source).
SHAPES: dict[str, tuple[str, ...]] = {
    "uniform": (),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "beta": ("a", "b"),
}


@dataclass(frozen=True)
class Prior:
    """One parameter's prior: a distribution truncated to (or, for beta, stretched over) [low, high]."""

    name: str
    distribution: str
    low: float
    high: float
    shape: dict[str, float] = field(default_factory=dict)
    source: str = ""

    def _frozen(self) -> stats.rv_continuous | None:
        s = self.shape
        if self.distribution == "normal":
            return stats.norm(loc=s["mean"], scale=s["sd"])
        if self.distribution == "lognormal":
            return stats.lognorm(s=s["sigma"], scale=s["median"])
        return None

    def ppf(self, q: np.ndarray | float) -> np.ndarray:
        """The inverse CDF of the prior (truncated to [low, high]) at quantiles q in [0, 1]."""
        q = np.clip(np.asarray(q, dtype=float), 0.0, 1.0)
        lo, hi = self.low, self.high
        if self.distribution == "uniform":
            x = lo + q * (hi - lo)
        elif self.distribution == "beta":
            x = lo + stats.beta(self.shape["a"], self.shape["b"]).ppf(q) * (hi - lo)
        else:
            dist = self._frozen()
            f_lo, f_hi = dist.cdf(lo), dist.cdf(hi)
            x = dist.ppf(f_lo + q * (f_hi - f_lo))
        return np.clip(x, lo, hi)

    def mean(self) -> float:
        """The prior's mean (numerically, over 10,001 quantiles)."""
        return float(np.mean(self.ppf((np.arange(10_001) + 0.5) / 10_001)))

    def sd(self) -> float:
        """The prior's standard deviation (numerically, over 10,001 quantiles)."""
        return float(np.std(self.ppf((np.arange(10_001) + 0.5) / 10_001)))

    def describe(self) -> str:
        """A short text such as 'lognormal(median 0.001, sigma 0.6) on [0.0002, 0.005]'."""
        shape = ", ".join(f"{k} {v:g}" for k, v in self.shape.items())
        return (
            f"U[{self.low:g}, {self.high:g}]"
            if self.distribution == "uniform"
            else f"{self.distribution}({shape}) on [{self.low:g}, {self.high:g}]"
        )

    def as_dict(self) -> dict:
        """The prior as calibration.json records it."""
        return {
            "distribution": self.distribution,
            "low": self.low,
            "high": self.high,
            **self.shape,
            "source": self.source,
        }


def full_name(name: str) -> str:
    """GROUP.TERM of an incentive weight (junta.sovereignty) as incentives.GROUP.TERM; others unchanged."""
    return f"incentives.{name}" if re.match(r"^(civilian|junta)\.\w+$", name) else name


def check_name(name: str) -> None:
    """Raise ConfigError unless `name` is a real-valued parameter of a fittable section."""
    try:
        parameter_range(name)
        if name.split(".")[0] not in FITTABLE or parameter(name).type is int:
            raise ConfigError(name)
    except ConfigError:
        raise ConfigError(
            f"{name!r} is not a real-valued model parameter that can be fitted: use GROUP.TERM for an incentive "
            f"weight (GROUP civilian or junta, TERM one of {', '.join(TERMS)}) or a dotted name under "
            f"{', '.join(FITTABLE[1:])} from docs/parameters.md, e.g. hazards.coup_base."
        ) from None


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError
    return float(value)


def make_prior(name: str, spec: Mapping, where: str = "the priors") -> Prior:
    """One prior from its mapping (the fields of the module docstring); bad input raises ConfigError
    naming `where`, the parameter, the field and the fix."""
    name = full_name(str(name))
    try:
        check_name(name)
    except ConfigError as exc:
        raise ConfigError(f"{where}: parameter {exc}") from None
    if not isinstance(spec, Mapping):
        raise ConfigError(
            f"{where}: {name} must be a mapping with distribution, low, high, its shape fields and "
            f"source, e.g. {{distribution: uniform, low: 0.2, high: 3.0, source: ...}}."
        )
    kind = spec.get("distribution")
    if not isinstance(kind, str) or kind not in SHAPES:
        raise ConfigError(f"{where}: {name}.distribution is {kind!r}; use one of {', '.join(SHAPES)}.")
    needed = ("low", "high", *SHAPES[kind])
    extra = sorted(set(spec) - {"distribution", "source", *needed})
    missing = [k for k in needed if k not in spec]
    if missing or extra:
        raise ConfigError(
            f"{where}: {name} ({kind}) needs exactly the fields {', '.join(needed)} and source"
            f"{f'; missing {missing}' if missing else ''}{f'; unknown {extra}' if extra else ''}."
        )
    values = {}
    for key in needed:
        try:
            values[key] = _number(spec[key])
        except ValueError:
            raise ConfigError(f"{where}: {name}.{key} is {spec[key]!r}; give a finite number.") from None
    source = spec.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ConfigError(
            f"{where}: {name}.source is missing or empty; say where the prior comes from (a "
            f"publication, or 'none: ...' with the reason for the range)."
        )
    lo, hi = values.pop("low"), values.pop("high")
    legal_lo, legal_hi = parameter_range(name)
    if not legal_lo <= lo < hi <= legal_hi:
        raise ConfigError(
            f"{where}: {name} has low {lo:g} and high {hi:g}; they must satisfy {legal_lo:g} <= low "
            f"< high <= {legal_hi:g} (the legal range of {name}, docs/parameters.md)."
        )
    for key in ("sd", "sigma", "a", "b", "median"):
        if key in values and values[key] <= 0:
            raise ConfigError(f"{where}: {name}.{key} is {values[key]:g}; it must be positive.")
    return Prior(name=name, distribution=kind, low=lo, high=hi, shape=values, source=source.strip())


def load_priors(path: Path = DEFAULT_PRIORS_FILE) -> dict[str, Prior]:
    """The priors of a priors file, in its order; a missing or bad file raises ConfigError naming the
    file, the field and the fix."""
    try:
        data = data_yaml.load_file(path, f"The priors file {path}")
    except (OSError, yaml.YAMLError, ValueError) as exc:  # ValueError: DataYamlError, or an impossible date
        problem = " ".join(str(exc).split())  # one paragraph: YAML errors span lines
        raise ConfigError(
            f"The priors file {path} cannot be read ({problem}). Give a YAML file with a 'parameters' "
            f"mapping (the format of {DEFAULT_PRIORS_FILE.relative_to(CONF_DIR.parent)})."
        ) from None
    params = data.get("parameters") if isinstance(data, Mapping) else None
    if not isinstance(params, Mapping) or not params:
        raise ConfigError(
            f"The priors file {path} needs a non-empty 'parameters' mapping of dotted parameter names "
            f"to priors, e.g. parameters: {{hazards.coup_base: {{distribution: uniform, low: 0.0005, "
            f"high: 0.004, source: ...}}}}."
        )
    priors = [make_prior(name, spec, f"The priors file {path}") for name, spec in params.items()]
    names = [p.name for p in priors]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ConfigError(
            f"The priors file {path} names {twice} twice (once as GROUP.TERM, once in full?); keep one entry each."
        )
    return {p.name: p for p in priors}


def uniform_prior(name: str, low: float, high: float) -> Prior:
    """A uniform prior from the command line (`--prior NAME=LOW:HIGH`), checked like the file's."""
    return make_prior(
        name, {"distribution": "uniform", "low": low, "high": high, "source": "--prior on the command line"}, "--prior"
    )


def lhs_quantiles(names: list[str], samples: int, seed: int) -> pd.DataFrame:
    """A Latin hypercube on [0, 1]^d: for each column, one quantile inside each of the `samples`
    strata [i/n, (i+1)/n), in a random order (the same stream as sim.designs.latin_hypercube)."""
    if samples < 1:
        raise ConfigError(f"A Latin hypercube needs at least one sample, got {samples}.")
    gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 0x4C4853])))
    return pd.DataFrame({n: (gen.permutation(samples) + gen.random(samples)) / samples for n in names})


def design(priors: Mapping[str, Prior], samples: int, seed: int) -> pd.DataFrame:
    """`samples` points drawn from the priors by a Latin hypercube over their quantiles: each
    parameter's [0, 1] quantile range is cut into `samples` strata, one point per stratum, mapped
    through the prior's inverse CDF. The points are a stratified sample of the prior, so ABC
    rejection over them samples the posterior under that prior."""
    q = lhs_quantiles(list(priors), samples, seed)
    return pd.DataFrame({n: p.ppf(q[n].to_numpy()) for n, p in priors.items()})
