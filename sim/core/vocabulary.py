"""The model's closed vocabularies, declared once: event types (the event catalogue), regimes,
budget channels and incentive terms.

This module depends on nothing but the standard library, so every layer may read it: the model
core (validation of world files, scripted events, explanations), the analysis (tables, plots,
summaries: `analysis` imports nothing else of the model), the web app and the workshop (headlines,
injects, the debrief). Adding an event type means adding its entry to `EVENTS` here and the rule
that raises it (a phase in `sim.core.phases`, and, if it can be scripted, its handler in
`sim.core.scripted`); everything else (validation, tables, plots, summaries, the forecast grid,
the debrief, the docs table in docs/model.md) reads this catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

#: A power counts as one of a state's partners while the state's affinity to it is above this (the `partners`
#: column of the states table, the hedging measure of tables, summaries and plots).
PARTNER_AFFINITY: float = 0.25

#: Regime types, in the order of the world file's codes (0 civilian, 1 junta).
REGIMES: tuple[str, ...] = ("civilian", "junta")

#: A power's budget channels, in the order of every (..., 3) budget or allocation array.
CHANNELS: tuple[str, ...] = ("security", "economic", "information")

#: The incentive terms, in the order of every (T, ...) array, table column (`term_NAME`) and explanation.
TERMS: tuple[str, ...] = (
    "security",
    "economic",
    "regime_protection",
    "sovereignty",
    "conditionality",
    "peer",
    "opinion",
)
#: Terms that are costs: they enter utility with a minus sign.
COST_TERMS: frozenset[str] = frozenset({"sovereignty", "conditionality"})
#: How each term is named in words (explanations, the app, the briefs).
TERM_LABELS: MappingProxyType[str, str] = MappingProxyType(
    {
        "security": "security value",
        "economic": "economic value",
        "regime_protection": "regime protection",
        "sovereignty": "sovereignty cost",
        "conditionality": "conditionality cost",
        "peer": "peer pressure",
        "opinion": "public opinion",
    }
)


class EventType(StrEnum):
    """Every event the model can record (the `type` column of events.parquet)."""

    COUP = "coup"
    COUP_ATTEMPT = "coup_attempt"
    TRANSITION = "transition"
    ELECTION = "election"
    TRANSITION_EXTENDED = "transition_extended"
    EXPEL = "expel"
    WITHDRAW_COMPLETE = "withdraw_complete"
    DRAWDOWN = "drawdown"
    PULL_OUT = "pull_out"
    REENGAGE = "reengage"
    INVITE = "invite"
    DEPLOY = "deploy"
    BASE_HANDOVER = "base_handover"
    INCIDENT = "incident"
    SANCTION = "sanction"
    SANCTION_LIFT = "sanction_lift"
    AID_SUSPEND = "aid_suspend"
    AID_RESUME = "aid_resume"
    BLOC_JOIN = "bloc_join"
    BLOC_LEAVE = "bloc_leave"
    COMMITMENT_SLIPPED = "commitment_slipped"


#: A matplotlib marker: a name such as "X", or (sides, style, angle) for a star or polygon.
Marker = str | tuple[int, int, int]


@dataclass(frozen=True)
class EventKind:
    """What the model, its tables, plots, pages and docs know about one event type."""

    type: EventType
    partner: str  # what it names besides the state: "power", "bloc" or "" (nothing)
    names_base: bool  # whether it names a base (the `base` column)
    scriptable: bool  # whether a world file, an experiment, an inject or a move may set it
    headline: str  # a news headline: {state}, {power}, {bloc}, {base} are names
    phrase: str  # a clause for outcome labels: {state}, {power} are names
    marker: Marker  # its marker in event plots (filled, so scripted events can be drawn hollow)
    priority: int  # rank among a turn's events in the debrief (0 comes first)
    main: bool  # listed among the main events of a run's summary
    arises: str  # how it arises by rule (phase number in docs/model.md)
    consequences: str  # what it changes

    @property
    def value(self) -> str:
        return self.type.value

    @property
    def label(self) -> str:
        """The type in words, e.g. 'withdraw complete'."""
        return self.type.value.replace("_", " ")


_KINDS: tuple[EventKind, ...] = (
    EventKind(
        EventType.COUP,
        partner="",
        names_base=False,
        scriptable=True,
        headline="Coup in {state}",
        phrase="a coup in {state}",
        marker="X",
        priority=0,
        main=True,
        arises="`u < p_attempt` and `u < p_success` (7)",
        consequences="junta, legitimacy reset, sanctions and aid suspensions drawn, junta weights from next month",
    ),
    EventKind(
        EventType.COUP_ATTEMPT,
        partner="",
        names_base=False,
        scriptable=False,
        headline="Coup attempt fails in {state}",
        phrase="a failed coup attempt in {state}",
        marker=(4, 1, 45),
        priority=14,
        main=True,
        arises="`u < p_attempt`, then `u >= p_success` (7)",
        consequences="none: the government stays (the cause gives the attempt's risk and its chance of success)",
    ),
    EventKind(
        EventType.TRANSITION,
        partner="",
        names_base=False,
        scriptable=True,
        headline="{state} returns to civilian rule",
        phrase="a return to civilian rule in {state}",
        marker="P",
        priority=1,
        main=True,
        arises="junta past the minimum, `u < p_trans` (7)",
        consequences="civilian rule, legitimacy reset, all sanctions lifted and aid resumed",
    ),
    EventKind(
        EventType.ELECTION,
        partner="",
        names_base=False,
        scriptable=False,
        headline="{state} holds its promised election",
        phrase="an election in {state} as promised",
        marker="d",
        priority=2,
        main=True,
        arises="a junta's election commitment at its due month, `u < on_time` (6)",
        consequences="as a transition: civilian rule, legitimacy reset, all sanctions lifted and aid resumed",
    ),
    EventKind(
        EventType.TRANSITION_EXTENDED,
        partner="",
        names_base=False,
        scriptable=False,
        headline="The junta of {state} extends its transition",
        phrase="{state}'s transition extended",
        marker="H",
        priority=11,
        main=True,
        arises="a junta's election commitment missed at its due month: postponed by `delay_months` or dropped (6)",
        consequences="the election is due later (postponed) or no longer (dropped, the monthly transition "
        "chance applies again)",
    ),
    EventKind(
        EventType.EXPEL,
        partner="power",
        names_base=False,
        scriptable=True,
        headline="{state} orders {power} forces out",
        phrase="{state} expels {power}",
        marker="<",
        priority=3,
        main=True,
        arises="affinity below threshold, `u < expel_rate` (8)",
        consequences="withdrawal starts, `expelled`, no more security aid (heuristic and fixed)",
    ),
    EventKind(
        EventType.WITHDRAW_COMPLETE,
        partner="power",
        names_base=False,
        scriptable=True,
        headline="The last {power} forces leave {state}",
        phrase="{power} completes its withdrawal from {state}",
        marker="v",
        priority=4,
        main=True,
        arises="last month of a withdrawal (9)",
        consequences="troops 0, base handover",
    ),
    EventKind(
        EventType.DRAWDOWN,
        partner="power",
        names_base=False,
        scriptable=False,
        headline="{power} cuts its forces in {state}",
        phrase="{power} draws down in {state}",
        marker=(3, 1, 180),
        priority=5,
        main=True,
        arises="a power's drawdown commitment at its due month, `u < on_time` (6); a power's own review: "
        "host cooled and no fight, or over-committed, `u < drawdown_rate` (12)",
        consequences="troops down to the announced level (a review: to half, not below `drawdown_floor`), "
        "the rest back in the power's deployable pool",
    ),
    EventKind(
        EventType.PULL_OUT,
        partner="power",
        names_base=False,
        scriptable=False,
        headline="{power} decides to pull its forces out of {state}",
        phrase="{power} pulls out of {state}",
        marker=(5, 0, 180),
        priority=19,
        main=True,
        arises="a power's own review: host's affinity below `pull_out_affinity`, `u < pull_out_rate` (12)",
        consequences="withdrawal starts (not an expulsion: the power may be invited back)",
    ),
    EventKind(
        EventType.REENGAGE,
        partner="power",
        names_base=False,
        scriptable=False,
        headline="{power} re-engages with {state}",
        phrase="{power} re-engages with {state}",
        marker=(8, 1, 0),
        priority=20,
        main=False,
        arises="a power's own review: a civilian government, new since the state expelled it, affinity at "
        "least `reengage_affinity` (12)",
        consequences="no longer expelled: aid and invitations possible again; suspended aid resumes",
    ),
    EventKind(
        EventType.INVITE,
        partner="power",
        names_base=False,
        scriptable=True,
        headline="{state} invites {power} forces",
        phrase="{state} invites {power}",
        marker=">",
        priority=8,
        main=False,
        arises="affinity above threshold, troops available, `u < invite_rate` (8)",
        consequences="open invitation",
    ),
    EventKind(
        EventType.DEPLOY,
        partner="power",
        names_base=False,
        scriptable=True,
        headline="{power} deploys troops to {state}",
        phrase="{power} deploys troops to {state}",
        marker="^",
        priority=6,
        main=True,
        arises="open invitation, `u < deploy_rate`, one per power per month (8)",
        consequences="`deploy_size` troops, bases taken or shared",
    ),
    EventKind(
        EventType.BASE_HANDOVER,
        partner="power",
        names_base=True,
        scriptable=False,
        headline="{base} changes hands",
        phrase="a base in {state} handed over to {power}",
        marker="s",
        priority=7,
        main=True,
        arises="consequence of `withdraw_complete` or `deploy` (8, 9)",
        consequences="base owner changes",
    ),
    EventKind(
        EventType.INCIDENT,
        partner="power",
        names_base=True,
        scriptable=False,
        headline="Incident between foreign forces in {state}",
        phrase="an incident involving {power} in {state}",
        marker="*",
        priority=18,
        main=True,
        arises="shared base, `u < incident_base * rivalry` (9)",
        consequences="none",
    ),
    EventKind(
        EventType.SANCTION,
        partner="bloc",
        names_base=False,
        scriptable=True,
        headline="{bloc} sanctions {state}",
        phrase="sanctions on {state}",
        marker="D",
        priority=12,
        main=True,
        arises="consequence of a coup, probability `sanction_on_coup` (7)",
        consequences="lower legitimacy target, higher transition probability, push to leave the bloc",
    ),
    EventKind(
        EventType.SANCTION_LIFT,
        partner="bloc",
        names_base=False,
        scriptable=True,
        headline="{bloc} lifts its sanctions on {state}",
        phrase="sanctions on {state} lifted",
        marker=(4, 1, 0),
        priority=13,
        main=True,
        arises="junta, probability `sanction_lift` (10); transition (7)",
        consequences="removes those effects",
    ),
    EventKind(
        EventType.AID_SUSPEND,
        partner="power",
        names_base=False,
        scriptable=True,
        headline="{power} suspends aid to {state}",
        phrase="{power} suspends aid to {state}",
        marker="p",
        priority=15,
        main=False,
        arises="consequence of a coup, probability `conditionality[p]` (7)",
        consequences="aid worth nothing, full conditionality cost for a junta, aid ineligible",
    ),
    EventKind(
        EventType.AID_RESUME,
        partner="power",
        names_base=False,
        scriptable=True,
        headline="{power} resumes aid to {state}",
        phrase="{power} resumes aid to {state}",
        marker="h",
        priority=16,
        main=False,
        arises="junta, probability `aid_resume * (1 - conditionality)` (10); transition (7)",
        consequences="the reverse",
    ),
    EventKind(
        EventType.BLOC_JOIN,
        partner="bloc",
        names_base=False,
        scriptable=True,
        headline="{state} joins {bloc}",
        phrase="{state} joins a bloc",
        marker="o",
        priority=10,
        main=True,
        arises="junta joining or founding the alliance (10)",
        consequences="membership (peer pressure, pull out of sanctioning blocs)",
    ),
    EventKind(
        EventType.BLOC_LEAVE,
        partner="bloc",
        names_base=False,
        scriptable=True,
        headline="{state} leaves {bloc}",
        phrase="{state} leaves a bloc",
        marker=(6, 1, 0),
        priority=9,
        main=True,
        arises="junta leaving a sanctioning bloc, or a civilian government leaving the alliance (10); a "
        "bloc exit commitment kept (6)",
        consequences="membership removed, that bloc's sanction dropped",
    ),
    EventKind(
        EventType.COMMITMENT_SLIPPED,
        partner="",
        names_base=False,
        scriptable=False,
        headline="A dated commitment of {state} slips",
        phrase="a commitment of {state} slips",
        marker=(3, 1, 0),
        priority=17,
        main=False,
        arises="a bloc exit or a drawdown missed at its due month: postponed by `delay_months` or dropped (6)",
        consequences="due later (postponed) or never (dropped)",
    ),
)

#: The event catalogue: every event type, in the order of counts, legends and tables.
EVENTS: MappingProxyType[str, EventKind] = MappingProxyType({k.type.value: k for k in _KINDS})
#: The event types in catalogue order (the closed vocabulary of the `type` column).
EVENT_TYPES: tuple[str, ...] = tuple(EVENTS)
#: Event types a world file, an experiment, a facilitator's inject or a team's move may set.
SCRIPTABLE: tuple[str, ...] = tuple(t for t, k in EVENTS.items() if k.scriptable)
#: Event types by their rank in the debrief (most important first).
BY_PRIORITY: tuple[str, ...] = tuple(sorted(EVENTS, key=lambda t: EVENTS[t].priority))
#: Event types listed among a run's main events.
MAIN_EVENTS: tuple[str, ...] = tuple(t for t, k in EVENTS.items() if k.main)

assert [k.type for k in _KINDS] == list(EventType), "the catalogue lists every EventType once, in order"
assert sorted(k.priority for k in _KINDS) == list(range(len(_KINDS))), "priorities rank the types 0..N-1"


def event_label(event_type: str) -> str:
    """An event type in words ('withdraw complete'); an unknown type with its underscores as spaces."""
    return str(event_type).replace("_", " ")
