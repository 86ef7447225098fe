"""One browser session's run: an InfluenceModel, the settings it was built from, and the history
the live charts draw (influence shares and affinities, one row per month).

Plain Python with no Solara in it, so the page logic can be tested directly. A lock makes Step,
Play and Reset safe when they arrive from different threads of the same session.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.metrics import influence_share
from app.i18n import SOURCE, month_name
from app.plain import plain_cause, plain_headline
from app.settings import Settings, build_config, scenario_defaults
from sim.core.events import Event
from sim.core.vocabulary import EVENTS, TERMS, event_label
from sim.core.world import World
from sim.model import InfluenceModel


@dataclass(frozen=True)
class EventLine:
    """An event as the feed shows it."""

    step: int
    date: str
    type: str
    headline: str
    cause: str
    scripted: bool
    plain: str = ""  # the cause's numbers in plain words (app.plain), or "" when the cause is plain already
    state: str = ""  # the state's code, "" when the event names none
    power: str = ""  # the power's code, "" when the event names none
    bloc: str = ""  # the bloc's code, "" when the event names none
    base: str = ""  # the base's name, "" when the event names none


@dataclass(frozen=True)
class StateDetails:
    """What the page shows about the selected state."""

    code: str
    name: str
    regime: str
    months_since_coup: int
    legitimacy: float
    insurgency: float
    leading_partner: str
    blocs: list[str]
    sanctioned_by: list[str]
    affinity: dict[str, float]
    opinion: dict[str, float]
    troops: dict[str, float]


def share_of_influence(model: InfluenceModel) -> np.ndarray:
    """Each power's population-weighted share of positive affinity now, in the world's power order
    (analysis.metrics.influence_share on this month's rows)."""
    w, st = model.world, model.state
    S, P = len(w.states), len(w.powers)
    ties = pd.DataFrame(
        {
            "run": 0,
            "step": st.step,
            "date": model.date,
            "state": np.repeat(w.states, P),
            "power": np.tile(w.powers, S),
            "affinity": st.affinity[:, :, 0].reshape(-1),
        }
    )
    states = pd.DataFrame({"run": 0, "step": st.step, "state": w.states, "population_m": w.population_m})
    share = influence_share(ties, states).set_index("power")["share"]
    return share.reindex(w.powers).to_numpy(dtype=float)


def month_label(date: str, lang: str = SOURCE) -> str:
    """'2024-06' -> 'June 2024' (in French 'juin 2024': app.i18n.month_name)."""
    return month_name(date, lang)


class RunSession:
    """The run of one browser session."""

    def __init__(self, settings: Settings | None = None):
        self.lock = threading.RLock()
        self.settings: Settings = settings or scenario_defaults()
        self.model: InfluenceModel = self._build(self.settings)
        self.shares: list[np.ndarray] = [share_of_influence(self.model)]
        self.affinities: list[np.ndarray] = [self.model.state.affinity[:, :, 0].copy()]

    @staticmethod
    def _build(settings: Settings) -> InfluenceModel:
        return InfluenceModel(build_config(settings))

    def reset(self, settings: Settings) -> None:
        """Start a new run from month 0 with these settings (built before the old run is replaced,
        so a bad setting leaves the current run as it was)."""
        model = self._build(settings)
        with self.lock:
            self.settings, self.model = settings, model
            self.shares = [share_of_influence(model)]
            self.affinities = [model.state.affinity[:, :, 0].copy()]

    def step(self, months: int = 1) -> None:
        """Advance the run by `months` months (none when `months` is 0 or less)."""
        with self.lock:
            for _ in range(months):
                self.model.step()
                self.shares.append(share_of_influence(self.model))
                self.affinities.append(self.model.state.affinity[:, :, 0].copy())

    @property
    def world(self) -> World:
        return self.model.world

    @property
    def month(self) -> int:
        """Months since the start (0 at the world's as_of month)."""
        return self.model.state.step

    @property
    def date(self) -> str:
        """The current month as 'YYYY-MM'."""
        return self.model.date

    def share_history(self) -> np.ndarray:
        """(months + 1, P) influence shares."""
        with self.lock:
            return np.array(self.shares)

    def affinity_history(self, state: str) -> np.ndarray:
        """(months + 1, P) affinities of one state towards each power."""
        s = self.world.states.index(state)
        with self.lock:
            return np.array([a[s] for a in self.affinities])

    def details(self, state: str) -> StateDetails:
        """The selected state's regime, legitimacy, insurgency, blocs, ties and troops now."""
        with self.lock:
            agent = self.model.state_agents[self.world.states.index(state)]
            sanctioned = self.model.state.sanctioned[agent.index, :, 0]
            return StateDetails(
                code=agent.code,
                name=agent.name,
                regime=agent.regime,
                months_since_coup=int(self.model.state.months_since_coup[agent.index, 0]),
                legitimacy=agent.legitimacy,
                insurgency=agent.insurgency,
                leading_partner=agent.leading_partner,
                blocs=agent.blocs,
                sanctioned_by=[b for b, on in zip(self.world.blocs, sanctioned, strict=True) if on],
                affinity=agent.affinity,
                opinion=agent.opinion,
                troops=agent.troops_hosted,
            )

    def incentive_terms(self, state: str) -> dict[str, dict[str, float]]:
        """The seven signed weighted terms with which `state`'s government scored each power this
        month (power -> term -> value; costs negative), as the ties table's `term_*` columns hold
        them. All zero at month 0: the first scores are computed in the first month."""
        s = self.world.states.index(state)
        with self.lock:
            values = self.model.state.contributions[:, s, :, 0]
            return {p: dict(zip(TERMS, values[:, k].tolist(), strict=True)) for k, p in enumerate(self.world.powers)}

    def event_lines(self, limit: int | None = None) -> list[EventLine]:
        """The run's events, newest first, as headlines with the model's plain-language causes."""
        with self.lock:
            events = list(self.model.events)
        chosen = events[::-1] if limit is None else events[::-1][:limit]
        return [event_line(self.world, e) for e in chosen]


def event_line(w: World, e: Event) -> EventLine:
    """An event as a headline with the model's plain-language cause (also used by the facilitator page)."""
    names = {
        "state": w.state_names[e.state] if e.state >= 0 else "",
        "power": w.power_names[e.power] if e.power >= 0 else "",
        "bloc": w.blocs[e.bloc] if e.bloc >= 0 else "",
        "base": w.base_names[e.base] if e.base >= 0 else "a base",
    }
    kind = EVENTS.get(e.type)
    headline = (kind.headline if kind else event_label(e.type)).format(**names)
    cause = e.cause
    if cause.lower().startswith(headline.lower()):  # the cause repeats the headline: keep the reason only
        cause = cause[len(headline) :].lstrip(" :,")
    return EventLine(
        step=e.step,
        date=w.date_of(e.step),
        type=e.type,
        headline=plain_headline(e.type, headline, names),
        cause=cause,
        scripted=e.scripted,
        plain=plain_cause(cause),
        state=w.states[e.state] if e.state >= 0 else "",
        power=w.powers[e.power] if e.power >= 0 else "",
        bloc=names["bloc"],
        base=names["base"] if e.base >= 0 else "",
    )


def filter_events(lines: list[EventLine], state: str = "", power: str = "", kind: str = "") -> list[EventLine]:
    """The lines of one state, one power and one event type (an empty filter keeps every line)."""
    return [
        line
        for line in lines
        if (not state or line.state == state) and (not power or line.power == power) and (not kind or line.type == kind)
    ]
