"""Named outcomes of a sweep: a short string that says which number (or yes/no) to take from each run.

The outcome language (codes are case-insensitive; STEP is months after the start, 0 being the
start, or `end` for the last recorded step):

    lead:STATE=POWER@STEP          yes/no: POWER is STATE's leading partner at STEP
                                   (POWER may be `none`: no leading partner)
    regime:STATE=REGIME@STEP       yes/no: STATE is ruled by REGIME (civilian or junta) at STEP
    share:POWER@STEP               number: POWER's population-weighted influence share at STEP (0-1)
    affinity:STATE:POWER@STEP      number: STATE's affinity to POWER at STEP (-1 to 1)
    event:TYPE:STATE@STEP          yes/no: at least one TYPE event in STATE at a step <= STEP
    event:TYPE:STATE:POWER@STEP    yes/no: the same, with POWER involved (expelled, deploying, ...)

For events, STATE may be `any` (anywhere in the region). Examples: `lead:NER=RUS@36` (Russia is
Niger's leading partner at month 36), `event:coup:NER@24` (a coup in Niger by month 24),
`event:expel:NER:USA@end`, `share:CHN@12`, `affinity:MLI:FRA@end`, `regime:BFA=civilian@36`.

`parse_outcome` checks the form; `check_outcome` checks the names and the step against a sweep
(its states, powers and recorded steps) and resolves `end`; `outcome_values` computes one value
per run from the sweep's tables; `sweep_outcome` does all three for a sweep folder, reading only
the columns and steps the outcome needs. Mistakes raise ValueError with one paragraph naming the
bad part and the valid choices.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.colors import POWER_NAMES, canonical_power
from analysis.metrics import influence_share
from analysis.sweep_data import Layout, Sweep, layout, open_sweep, read_table
from sim.core.vocabulary import EVENT_TYPES, EVENTS, REGIMES, event_label

KINDS: tuple[str, ...] = ("lead", "regime", "share", "affinity", "event")
#: The forms of the language, quoted in error messages and the docs.
FORMS: tuple[str, ...] = (
    "lead:STATE=POWER@STEP",
    "regime:STATE=REGIME@STEP",
    "share:POWER@STEP",
    "affinity:STATE:POWER@STEP",
    "event:TYPE:STATE@STEP",
    "event:TYPE:STATE:POWER@STEP",
)
ANY_STATE = "any"
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Outcome:
    """A parsed outcome. `step` is None for `end` until `check_outcome` resolves it."""

    spec: str
    kind: str
    step: int | None
    state: str = ""
    power: str = ""
    event: str = ""
    regime: str = ""

    @property
    def is_boolean(self) -> bool:
        """True for yes/no outcomes (lead, regime, event), False for numbers (share, affinity)."""
        return self.kind in ("lead", "regime", "event")

    @property
    def unit(self) -> str:
        """The unit of the outcome's values, or of their mean over runs for a yes/no outcome."""
        if self.is_boolean:
            return "probability across runs, 0-1"
        return "influence share, 0-1" if self.kind == "share" else "affinity, -1 to 1"

    def needs(self) -> dict[str, list[str]]:
        """The columns of each dataset this outcome is computed from."""
        if self.kind in ("lead", "regime"):
            column = "leading_partner" if self.kind == "lead" else "regime"
            return {"states": ["run", "step", "state", column]}
        if self.kind == "share":
            return {
                "ties": ["run", "step", "date", "state", "power", "affinity"],
                "states": ["run", "step", "state", "population_m"],
            }
        if self.kind == "affinity":
            return {"ties": ["run", "step", "state", "power", "affinity"]}
        return {"events": ["run", "step", "type", "state", "power"]}


def _bad(spec: str, problem: str) -> ValueError:
    return ValueError(
        f"Outcome {spec!r} is not understood: {problem}. An outcome takes one of the forms "
        f"{', '.join(FORMS)}, where STEP is months after the start (0 is the start) or 'end' "
        f"(the last recorded step); for example lead:NER=RUS@36 or event:coup:NER@24."
    )


def _code(spec: str, token: str, what: str) -> str:
    if not _CODE.match(token):
        raise _bad(spec, f"{token!r} is not a {what} code (letters, then letters or digits)")
    return token


def _power(spec: str, token: str) -> str:
    token = _code(spec, token, "power")
    return "none" if token.lower() == "none" else token.upper()


def parse_outcome(spec: str) -> Outcome:
    """Parse an outcome string (see the module docstring) and check its form, event type and regime."""
    text = str(spec).strip()
    body, at, when = text.rpartition("@")
    if not at:
        raise _bad(spec, "it has no '@STEP' at the end to say when")
    when = when.strip().lower()
    if when == "end":
        step = None
    elif re.fullmatch(r"[0-9]+", when):
        step = int(when)
    else:
        raise _bad(spec, f"the step {when!r} after '@' is neither a whole number of months nor 'end'")
    kind, colon, rest = body.partition(":")
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise _bad(spec, f"{kind!r} is not a kind of outcome (choose {', '.join(KINDS)})")
    if not colon or not rest:
        raise _bad(spec, f"nothing follows '{kind}:'")
    if kind in ("lead", "regime"):
        left, eq, right = rest.partition("=")
        if not eq or ":" in rest:
            raise _bad(spec, f"{rest!r} should read STATE={'POWER' if kind == 'lead' else 'REGIME'}")
        state = _code(spec, left, "state").upper()
        if kind == "lead":
            return Outcome(text, kind, step, state=state, power=_power(spec, right))
        regime = right.lower()
        if regime not in REGIMES:
            raise _bad(spec, f"{right!r} is not a regime (choose {' or '.join(REGIMES)})")
        return Outcome(text, kind, step, state=state, regime=regime)
    parts = rest.split(":")
    if "=" in rest:
        raise _bad(spec, f"'=' belongs to lead: and regime: only; write {kind}:{rest.replace('=', ':')}")
    if kind == "share":
        if len(parts) != 1:
            raise _bad(spec, f"{rest!r} should be one POWER code")
        return Outcome(text, kind, step, power=_power(spec, parts[0]))
    if kind == "affinity":
        if len(parts) != 2:
            raise _bad(spec, f"{rest!r} should read STATE:POWER")
        return Outcome(text, kind, step, state=_code(spec, parts[0], "state").upper(), power=_power(spec, parts[1]))
    if len(parts) not in (2, 3):
        raise _bad(spec, f"{rest!r} should read TYPE:STATE or TYPE:STATE:POWER")
    event = parts[0].lower()
    if event not in EVENT_TYPES:
        raise _bad(spec, f"{parts[0]!r} is not an event type (choose {', '.join(EVENT_TYPES)})")
    state = _code(spec, parts[1], "state")
    state = ANY_STATE if state.lower() == ANY_STATE else state.upper()
    power = _power(spec, parts[2]) if len(parts) == 3 else ""
    return Outcome(text, kind, step, state=state, power=power, event=event)


def _unknown(outcome: Outcome, what: str, value: str | int, valid: Iterable[object]) -> ValueError:
    listed = ", ".join(str(v) for v in valid)
    return ValueError(
        f"Outcome {outcome.spec!r} names {what} {value!r}, which this sweep does not have: choose one of {listed}."
    )


def _steps_text(steps: Sequence[int]) -> list[str]:
    if len(steps) > 12:
        return [*map(str, steps[:5]), "...", *map(str, steps[-3:]), "or end"]
    return [*map(str, steps), "or end"]


def check_outcome(outcome: Outcome, *, states: Iterable[str], powers: Iterable[str], steps: Sequence[int]) -> Outcome:
    """Check the outcome's state, power and step against a sweep and resolve `end` to its last step.

    states, powers: the codes in the sweep's tables; steps: the recorded steps (states and ties
    may be kept every k months; events count every month up to the last step).
    """
    states, powers = sorted(set(states)), sorted(set(powers))
    steps = sorted(int(s) for s in steps)
    if outcome.state and outcome.state != ANY_STATE and outcome.state not in states:
        valid = states + ([ANY_STATE] if outcome.kind == "event" else [])
        raise _unknown(outcome, "the state", outcome.state, valid)
    if outcome.power and outcome.power not in powers and not (outcome.power == "none" and outcome.kind == "lead"):
        raise _unknown(outcome, "the power", outcome.power, powers + (["none"] if outcome.kind == "lead" else []))
    step = steps[-1] if outcome.step is None else outcome.step
    if outcome.kind == "event":
        if not 0 <= step <= steps[-1]:
            raise _unknown(outcome, "the month", step, [f"0 to {steps[-1]}", "end"])
    elif step not in steps:
        raise _unknown(outcome, "the step", step, _steps_text(steps))
    return replace(outcome, step=step)


def _at_step(table: pd.DataFrame, outcome: Outcome, name: str) -> pd.DataFrame:
    if table is None:
        raise ValueError(
            f"Outcome {outcome.spec!r} needs the {name} table, which was not given (was the "
            f"sweep run with sweep.tables leaving out {name}?)."
        )
    return table.loc[table["step"] == outcome.step]


def _per_run(values: pd.Series, runs: Sequence[int], outcome: Outcome, what: str) -> pd.Series:
    if values.index.duplicated().any():
        raise ValueError(f"Outcome {outcome.spec!r}: several {what} rows for one run at step {outcome.step}.")
    out = values.reindex(pd.Index(runs, name="run"))
    if out.isna().any():
        run = int(out.index[out.isna()][0])
        raise ValueError(f"Outcome {outcome.spec!r}: run {run} has no {what} row at step {outcome.step}.")
    return out


def outcome_values(
    outcome: Outcome,
    runs: Sequence[int],
    *,
    states: pd.DataFrame | None = None,
    ties: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
) -> pd.Series:
    """One value per run (bool or float), indexed by run and named by the outcome's spec.

    The tables may hold more steps, states and powers than needed; see `Outcome.needs` for the
    columns read. The outcome must have been checked (`check_outcome`) so its step is known.
    """
    if outcome.step is None:
        raise ValueError(f"Outcome {outcome.spec!r} says 'end': resolve it with check_outcome first.")
    runs = [int(r) for r in runs]
    if outcome.kind in ("lead", "regime"):
        st = _at_step(states, outcome, "states")
        st = st.loc[st["state"].astype(str) == outcome.state]
        if outcome.kind == "lead":
            hit = [canonical_power(p) == outcome.power for p in st["leading_partner"].astype(object)]
        else:
            hit = (st["regime"].astype(str) == outcome.regime).tolist()
        values = pd.Series(hit, index=st["run"].to_numpy(), dtype=object)
        return _per_run(values, runs, outcome, f"states ({outcome.state})").astype(bool).rename(outcome.spec)
    if outcome.kind == "affinity":
        ti = _at_step(ties, outcome, "ties")
        ti = ti.loc[(ti["state"].astype(str) == outcome.state) & (ti["power"].astype(str) == outcome.power)]
        values = pd.Series(ti["affinity"].to_numpy(dtype=float), index=ti["run"].to_numpy())
        return _per_run(values, runs, outcome, f"ties ({outcome.state}, {outcome.power})").rename(outcome.spec)
    if outcome.kind == "share":
        ti = _at_step(ties, outcome, "ties")
        st = _at_step(states, outcome, "states")
        cols = ["run", "step", "date", "state", "power", "affinity"]
        shares = influence_share(
            ti[cols].astype({"state": str, "power": str, "date": str}),
            st[["run", "step", "state", "population_m"]].astype({"state": str}),
        )
        mine = shares.loc[shares["power"] == outcome.power]
        values = pd.Series(mine["share"].to_numpy(dtype=float), index=mine["run"].to_numpy())
        return _per_run(values, runs, outcome, f"ties ({outcome.power})").rename(outcome.spec)
    if events is None:
        raise ValueError(f"Outcome {outcome.spec!r} needs the events table, which was not given.")
    hit = (events["type"].astype(str) == outcome.event) & (events["step"] <= outcome.step)
    if outcome.state != ANY_STATE:
        hit &= events["state"].astype(str) == outcome.state
    if outcome.power:
        hit &= events["power"].astype(str) == outcome.power
    with_event = set(events.loc[hit, "run"].astype(int).tolist())
    return pd.Series(
        np.array([r in with_event for r in runs], dtype=bool), index=pd.Index(runs, name="run"), name=outcome.spec
    )


def _name(code: str, names: Mapping[str, str] | None) -> str:
    return (names or {}).get(code, code)


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _event_phrase(event_type: str) -> str:
    """How an event type reads in a label: the catalogue's phrase, or a generic one for a type the
    catalogue does not know. {state} and {power} are to be filled with names."""
    kind = EVENTS.get(event_type)
    return kind.phrase if kind is not None else f"a {event_label(event_type)} event in {{state}}"


def outcome_label(outcome: Outcome, state_names: Mapping[str, str] | None = None, date: str | None = None) -> str:
    """A plain-English label, e.g. "Russia is Niger's leading partner at month 36 (May 2027)".

    state_names: code -> name (from the states table); powers are named from analysis.colors.
    date: the step's date as 'YYYY-MM', added in brackets when given.
    """
    state = "the region" if outcome.state == ANY_STATE else _name(outcome.state, state_names)
    power = POWER_NAMES.get(outcome.power, outcome.power) if outcome.power else "a foreign power"
    power = "the United States" if power == "United States" else power
    step = "the end" if outcome.step is None else f"month {outcome.step}"
    when = f"at {step}"
    if outcome.kind == "lead":
        text = (
            f"{state} has no leading partner {when}"
            if outcome.power == "none"
            else f"{power} is {_possessive(state)} leading partner {when}"
        )
    elif outcome.kind == "regime":
        text = (
            f"{state} is ruled by a junta {when}"
            if outcome.regime == "junta"
            else f"{state} has a civilian government {when}"
        )
    elif outcome.kind == "share":
        text = f"{_possessive(power)} influence share {when}"
    elif outcome.kind == "affinity":
        text = f"{_possessive(state)} affinity to {power} {when}"
    else:
        phrase = _event_phrase(outcome.event)
        if outcome.state == ANY_STATE:
            phrase = phrase.replace("in {state}", "anywhere").replace("{state}", "a state")
        text = f"{phrase.format(state=state, power=power)} by {step}"
        text = text[0].upper() + text[1:]
    if date:
        text += f" ({pd.Timestamp(date + '-01'):%b %Y})"
    return text


def sweep_outcome(
    sweep: Sweep | str | Path, spec: str | Outcome, frame: Layout | None = None
) -> tuple[Outcome, pd.Series]:
    """Parse, check and compute an outcome for every run found in a sweep folder.

    Reads only the outcome's columns at its step (events up to its step), never whole datasets.
    Returns the checked outcome (step resolved) and its values indexed by run. `frame` is the
    sweep's layout if already read.
    """
    sweep = sweep if isinstance(sweep, Sweep) else open_sweep(sweep)
    outcome = spec if isinstance(spec, Outcome) else parse_outcome(spec)
    for table in outcome.needs():
        if table not in sweep.tables:
            raise ValueError(
                f"Outcome {outcome.spec!r} needs the {table}/ dataset, which the sweep in "
                f"{sweep.path} did not write (see sweep.tables); choose an outcome computed from "
                f"{', '.join(sweep.tables)}."
            )
    frame = frame or layout(sweep)
    outcome = check_outcome(outcome, states=frame.states, powers=frame.powers, steps=frame.steps)
    tables: dict[str, pd.DataFrame] = {}
    for table, columns in outcome.needs().items():
        if table == "events":
            tables[table] = read_table(sweep.path, table, columns, max_step=outcome.step)
        else:
            tables[table] = read_table(sweep.path, table, columns, steps=[outcome.step])
    return outcome, outcome_values(outcome, frame.runs, **tables)
