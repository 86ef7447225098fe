"""A run as a link: the page's `Settings` and the month reached <-> the query string of its address.

`to_query` writes world, experiment, seed and month (and the page's language, `lang=fr`, when it
is not English), and every incentive weight and power knob that
differs from the chosen world and experiment (`junta.sovereignty=2.5`, `RUS.overstretch=0.9`), so a
link is short and reads like the command line. `from_query` reads one back; it never raises on what
a link holds: a value it cannot use (an unknown world, a seed that is not a whole number, a weight
outside its slider's range, an unknown field) is left at the world's own value and named in
`Shared.problems`, which the page shows as one paragraph (`problem_message`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from urllib.parse import parse_qsl, urlencode

from app.catalog import NO_EXPERIMENT, experiments, world_names
from app.i18n import SOURCE
from app.settings import DEFAULT_WORLD, KNOBS, WEIGHT_RANGE, Settings, scenario_defaults
from sim.core.params import Config, ConfigError, RunConf
from sim.core.vocabulary import REGIMES, TERMS
from sim.core.world import WorldError

#: The longest query the page reads (a link with every weight and knob changed is under 1,000 characters).
MAX_QUERY_CHARS = 4000
SEED_RANGE: tuple[int, int] = next(f.metadata["range"] for f in fields(Config) if f.name == "seed")
MONTH_RANGE: tuple[int, int] = (0, next(f.metadata["range"][1] for f in fields(RunConf) if f.name == "steps"))
_WHOLE = re.compile(r"[0-9]{1,19}")
_FIXED = ("world", "experiment", "seed", "month", "lang")  # lang: the page's language (app.i18n.lang_from_query)


@dataclass(frozen=True)
class Shared:
    """What a link restores: the settings of the run, the month it had reached, and what was wrong
    with the link (empty when everything in it was used)."""

    settings: Settings
    month: int = 0
    problems: tuple[str, ...] = ()


def _number(value: float) -> str:
    return repr(float(value))  # the shortest text that reads back as the same float


def to_query(settings: Settings, month: int = 0, lang: str = SOURCE) -> str:
    """The query string (without '?') of a run with these settings at this month, and the page's
    language when it is not English (`lang=fr`)."""
    base = scenario_defaults(settings.world, settings.experiment)
    pairs = [
        ("world", settings.world),
        ("experiment", settings.experiment),
        ("seed", str(settings.seed)),
        ("month", str(int(month))),
    ]
    for regime in REGIMES:
        for term in TERMS:
            value = settings.weights[regime][term]
            if value != base.weights[regime][term]:
                pairs.append((f"{regime}.{term}", _number(value)))
    for code, knobs in settings.powers.items():
        for knob, value in knobs.items():
            if value != base.powers[code][knob]:
                pairs.append((f"{code}.{knob}", _number(value)))
    if lang != SOURCE:
        pairs.append(("lang", lang))
    return urlencode(pairs, safe=".")


def _shown(text: str) -> str:
    """A value from the link as the message quotes it (short, one line)."""
    text = " ".join(text.split())
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _whole(key: str, text: str, low: int, high: int, problems: list[str]) -> int | None:
    if _WHOLE.fullmatch(text) and low <= int(text) <= high:
        return int(text)
    problems.append(f"{key} {_shown(text)} is not a whole number from {low} to {high:,}")
    return None


def _float(key: str, text: str, low: float, high: float, problems: list[str]) -> float | None:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if math.isfinite(value) and low <= value <= high:
        return value
    problems.append(f"{key} {_shown(text)} is not a number from {low:g} to {high:g}")
    return None


def _choose(key: str, text: str | None, names: list[str], default: str, problems: list[str]) -> str:
    if text is None or text in names:
        return default if text is None else text
    problems.append(f"{key} {_shown(text)} is not one of {', '.join(names)}")
    return default


def from_query(query: str | None) -> Shared:
    """The run a query string describes (with or without its leading '?'); what cannot be used is
    replaced by the world's own value and listed in `problems`. An empty query is the default run."""
    query = (query or "").lstrip("?")
    problems: list[str] = []
    if len(query) > MAX_QUERY_CHARS:
        return Shared(
            scenario_defaults(),
            0,
            (f"the link is {len(query):,} characters long, more than the {MAX_QUERY_CHARS:,} a run's link can have",),
        )
    given: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key in given:
            problems.append(f"{_shown(key)} is given twice (the first one used)")
        else:
            given[key] = value
    world = _choose("world", given.get("world"), world_names(), DEFAULT_WORLD, problems)
    experiment = _choose(
        "experiment", given.get("experiment"), [c.name for c in experiments()], NO_EXPERIMENT, problems
    )
    try:
        settings = scenario_defaults(world, experiment)
    except (ConfigError, WorldError):
        problems.append(f"world {world!r} with experiment {experiment!r} cannot be loaded")
        settings = scenario_defaults()
    seed = _whole("seed", given["seed"], *SEED_RANGE, problems) if "seed" in given else None
    month = _whole("month", given["month"], *MONTH_RANGE, problems) if "month" in given else None
    settings = settings.with_seed(seed or 0)
    unknown = []
    for key, text in given.items():
        owner, _, name = key.partition(".")
        if key in _FIXED:
            continue
        if owner in REGIMES and name in TERMS:
            value = _float(key, text, *WEIGHT_RANGE[:2], problems)
            if value is not None:
                settings = settings.with_weight(owner, name, value)
        elif owner in settings.powers and name in KNOBS:
            value = _float(key, text, *KNOBS[name][:2], problems)
            if value is not None:
                settings = settings.with_knob(owner, name, value)
        else:
            unknown.append(_shown(key))
    if unknown:
        problems.append(
            f"{', '.join(unknown)} {'is not a setting' if len(unknown) == 1 else 'are not settings'} "
            f"of this page (weights are named like junta.sovereignty, a power's knobs like "
            f"{next(iter(settings.powers), 'RUS')}.overstretch)"
        )
    return Shared(settings, month or 0, tuple(problems))


def problem_message(problems: tuple[str, ...] | list[str]) -> str:
    """One paragraph for the page: what in the link was not used, and what to do."""
    if not problems:
        return ""
    listed = "; ".join(problems)
    return (
        f"This link's settings could not all be used: {listed}. Those values were replaced by the world's "
        f"own (a seed or a month by 0); the rest of the link was applied. Ask for a new link (Copy link) or "
        f"correct the address."
    )
