"""The stylized facts of the plausibility battery, read from a plain YAML file
(conf/plausibility/facts.yaml) and validated: every fact names the ensembles it applies to, a
metric of `analysis.plausibility_metrics` with its arguments, an expected range, why the range
is that wide, a source and an as-of date no later than the May-2024 world's start.

The file has two lists: `facts`, and `leading_partner` (a state's leading partner at month 0,
with its source), which becomes one fact per entry on the baseline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.plausibility_metrics import METRICS, metric_arguments
from sim.core import data_yaml

#: No fact may rest on information dated after the start of the May-2024 world (the leakage rule).
LATEST_AS_OF = "2024-05"
#: The ensemble without an experiment overlay.
BASELINE = "baseline"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_FACT_FIELDS = {"id", "title", "applies_to", "except", "metric", "args", "expected", "tolerance", "source", "as_of"}
_REQUIRED = ("id", "title", "applies_to", "metric", "expected", "tolerance", "source", "as_of")
_PARTNER_FIELDS = {"state", "power", "source", "as_of"}


class FactsError(ValueError):
    """A facts file that cannot be used; the message names the file, the field and the fix."""


@dataclass(frozen=True)
class Fact:
    """One stylized fact: the metric, where it applies and the range it must fall in."""

    id: str
    title: str
    applies_to: tuple[str, ...]  # ensemble names ("baseline", experiment names) or ("all",)
    metric: str
    low: float | None
    high: float | None
    tolerance: str
    source: str
    as_of: str
    args: dict[str, Any] = field(default_factory=dict)
    excluded: tuple[str, ...] = ()

    def applies(self, ensemble: str) -> bool:
        """Whether the fact is checked on the ensemble named `ensemble`."""
        return ensemble not in self.excluded and ("all" in self.applies_to or ensemble in self.applies_to)

    @property
    def expected(self) -> str:
        """The range in words: '0.5 to 4', '<= 0.05', '>= 0.8'."""
        if self.low is not None and self.high is not None:
            return f"{self.low:g} to {self.high:g}"
        return f">= {self.low:g}" if self.low is not None else f"<= {self.high:g}"


def _error(path: Path, where: str, problem: str, fix: str) -> FactsError:
    return FactsError(f"{path}: {where}: {problem}. {fix}")


def _names(value: Any, path: Path, where: str, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise _error(
            path,
            where,
            f"'{name}' must be a name or a list of names, got {value!r}",
            f"Write e.g. {name}: [baseline, coup_wave], or {name}: all.",
        )
    return tuple(value)


def _as_of(value: Any, path: Path, where: str) -> str:
    text = str(value)
    if not _MONTH.match(text):
        raise _error(path, where, f"'as_of' must be a month YYYY-MM, got {value!r}", "Write e.g. as_of: '2024-05'.")
    if text > LATEST_AS_OF:
        raise _error(
            path,
            where,
            f"'as_of' {text} is after the world's start {LATEST_AS_OF}",
            "A fact may only use what was known by then: cite a source dated no later than that.",
        )
    return text


def _bound(value: Any, path: Path, where: str, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _error(
            path,
            where,
            f"'expected.{name}' must be a number, got {value!r}",
            "Write e.g. expected: {min: 0.5, max: 4}; leave out a bound that does not apply.",
        )
    return float(value)


def _fact(raw: Any, path: Path, i: int) -> Fact:
    where = f"facts[{i}]"
    if not isinstance(raw, dict):
        raise _error(path, where, f"a fact must be a mapping, got {raw!r}", "See the first fact of the file.")
    if isinstance(raw.get("id"), str):
        where += f" (id {raw['id']})"
    unknown = set(raw) - _FACT_FIELDS
    if unknown:
        raise _error(path, where, f"unknown field(s) {sorted(unknown)}", f"The fields are {sorted(_FACT_FIELDS)}.")
    missing = [k for k in _REQUIRED if k not in raw or raw[k] in (None, "")]
    if missing:
        raise _error(
            path,
            where,
            f"missing field(s) {missing}",
            "Every fact needs an id, a title, applies_to, a metric, an expected range, a tolerance, a source "
            "and an as_of date.",
        )
    metric = raw["metric"]
    if not isinstance(metric, str) or metric not in METRICS:  # a list or mapping is no name (and unhashable)
        raise _error(path, where, f"unknown metric {metric!r}", f"Use one of {sorted(METRICS)}.")
    args = raw.get("args") or {}
    if not isinstance(args, dict):
        raise _error(path, where, f"'args' must be a mapping, got {args!r}", "Write e.g. args: {month: 36}.")
    required, optional = metric_arguments(metric)
    if set(args) - required - optional or required - set(args):
        raise _error(
            path,
            where,
            f"metric {metric} takes the arguments {sorted(required)} (required) and "
            f"{sorted(optional)} (optional), got {sorted(args)}",
            "Give exactly the arguments it takes.",
        )
    expected = raw["expected"]
    if not isinstance(expected, dict) or set(expected) - {"min", "max"} or not expected:
        raise _error(
            path,
            where,
            f"'expected' must be a mapping with min and/or max, got {expected!r}",
            "Write e.g. expected: {min: 0.5, max: 4}.",
        )
    low, high = _bound(expected.get("min"), path, where, "min"), _bound(expected.get("max"), path, where, "max")
    if low is None and high is None or (low is not None and high is not None and low > high):
        raise _error(path, where, f"'expected' {expected!r} is not a range", "Give min <= max, or one of them.")
    return Fact(
        id=str(raw["id"]),
        title=str(raw["title"]),
        applies_to=_names(raw["applies_to"], path, where, "applies_to"),
        excluded=_names(raw["except"], path, where, "except") if "except" in raw else (),
        metric=metric,
        args=dict(args),
        low=low,
        high=high,
        tolerance=str(raw["tolerance"]).strip(),
        source=str(raw["source"]).strip(),
        as_of=_as_of(raw["as_of"], path, where),
    )


def _partner_fact(raw: Any, path: Path, i: int) -> Fact:
    where = f"leading_partner[{i}]"
    if not isinstance(raw, dict) or set(raw) != _PARTNER_FIELDS:
        raise _error(
            path,
            where,
            f"an entry must have exactly the fields {sorted(_PARTNER_FIELDS)}, got {raw!r}",
            "Write e.g. {state: CAF, power: RUS, source: '...', as_of: '2024-05'}.",
        )
    state, power = str(raw["state"]), str(raw["power"])
    return Fact(
        id=f"leading_partner_{state}",
        title=f"{state}'s leading partner at month 0 is {power}",
        applies_to=(BASELINE,),
        metric="share_of_runs_led_by",
        args={"states": [state], "power": power, "month": 0},
        low=1.0,
        high=None,
        tolerance="Month 0 is the world file itself, so every run must agree.",
        source=str(raw["source"]).strip(),
        as_of=_as_of(raw["as_of"], path, where),
    )


def load_facts(path: str | Path, ensembles: Sequence[str] | None = None) -> list[Fact]:
    """The facts of a facts file, validated; `ensembles` (the known ensemble names) checks applies_to."""
    path = Path(path)
    try:
        data = data_yaml.load_file(path, str(path))
    except data_yaml.DataYamlError as exc:
        raise FactsError(f"{exc} Give the path of a facts file, e.g. conf/plausibility/facts.yaml.") from None
    except OSError as exc:
        raise FactsError(
            f"{path}: cannot be read ({exc.strerror}). Give the path of a facts file, e.g. "
            "conf/plausibility/facts.yaml."
        ) from exc
    except yaml.YAMLError as exc:
        raise FactsError(
            f"{path}: is not plain YAML ({' '.join(str(exc).split())}). Fix the syntax; tags such as "
            "!!python are not allowed."
        ) from exc
    except ValueError as exc:  # the safe reader passes on PyYAML's impossible dates (2024-06-31) as they come
        raise FactsError(
            f"{path}: holds a date that does not exist ({exc}). Write dates as real months in quotes, "
            "e.g. as_of: '2024-05'."
        ) from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("facts"), list)
        or set(data) - {"facts", "leading_partner"}
    ):
        raise _error(
            path,
            "top level",
            "the file must be a mapping with a list 'facts' (and optionally a list 'leading_partner')",
            "See conf/plausibility/facts.yaml.",
        )
    facts = [_fact(raw, path, i) for i, raw in enumerate(data["facts"])]
    facts += [_partner_fact(raw, path, i) for i, raw in enumerate(data.get("leading_partner") or [])]
    seen: set[str] = set()
    for fact in facts:
        if fact.id in seen:
            raise _error(path, f"fact {fact.id}", "the id is used twice", "Give every fact its own id.")
        seen.add(fact.id)
        if ensembles is not None:
            unknown = [n for n in (*fact.applies_to, *fact.excluded) if n != "all" and n not in ensembles]
            if unknown:
                raise _error(
                    path,
                    f"fact {fact.id}",
                    f"applies_to/except name(s) {unknown} are not ensembles",
                    f"Use 'all' or names among {sorted(ensembles)}.",
                )
    return facts


def check_codes(
    facts: Sequence[Fact], states: Sequence[str], powers: Sequence[str], blocs: Sequence[str], path: str | Path
) -> None:
    """Every state, power and bloc code a fact's arguments name exists in the world."""
    for fact in facts:
        args = fact.args
        for key, known in (("states", states), ("power", powers), ("bloc", blocs)):
            if key not in args or args[key] is None:
                continue
            given = args[key] if isinstance(args[key], list) else [args[key]]
            bad = [c for c in given if c not in known]
            if bad:
                raise FactsError(
                    f"{path}: fact {fact.id}: args.{key} names {bad}, not in the world. Use codes among {list(known)}."
                )
