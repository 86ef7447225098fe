"""Causes of events as templates: each kind of cause is declared once here, as a function that
writes the text from the event's indices, its small numeric payload (the numbers the text quotes,
captured when the event happened) and a few words shared by the events of one rule call (a
scripted event's note, a commitment's date).

The phases record only the kind's code and the payload (sim.core.context.StepContext.add), column by
column; the text is written only when asked (the events table's `cause` column, an Event read from
the log), so runs that never read causes never pay for them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from sim.core.commitments import month_words
from sim.core.explain import explain_hazard, explain_odds, explain_turn
from sim.core.vocabulary import TERMS

if TYPE_CHECKING:
    from sim.core.world import World


class CauseRow(NamedTuple):
    """What a template reads of one event: its month and indices (-1: none), payload and words."""

    step: int
    state: int
    power: int
    bloc: int
    base: int
    v: Sequence[float]  # (k,): the numbers captured when the event happened
    words: tuple[str, ...]  # shared by the events of one rule call


Template = Callable[["World", CauseRow], str]


@dataclass(frozen=True)
class Cause:
    """A kind of cause: its name, its code (the index in CAUSES) and its template."""

    name: str
    code: int
    text: Template


CAUSES: list[Cause] = []


def _declare(name: str, text: Template) -> Cause:
    kind = Cause(name, len(CAUSES), text)
    assert name not in {c.name for c in CAUSES}, f"cause {name!r} declared twice"
    CAUSES.append(kind)
    return kind


def format_cause(world: World, code: int, row: CauseRow) -> str:
    """The text of one event's cause."""
    return CAUSES[code].text(world, row)


# -- scripted events -------------------------------------------------------------------------------

#: words: (note,): the scripted event's note, or the default one
NOTE = _declare("note", lambda w, e: e.words[0])

# -- consequences (sim.core.consequences) ----------------------------------------------------------

SANCTION_AFTER_COUP = _declare(
    "sanction_after_coup", lambda w, e: f"{w.bloc_names[e.bloc]} sanctions {w.state_names[e.state]} after the coup"
)
#: v: (conditionality,)
AID_SUSPEND_AFTER_COUP = _declare(
    "aid_suspend_after_coup",
    lambda w, e: (
        f"{w.power_names[e.power]} suspends aid to {w.state_names[e.state]} after the coup "
        f"(conditionality {e.v[0]:.2f})"
    ),
)
SANCTION_LIFT_CIVILIAN = _declare(
    "sanction_lift_civilian",
    lambda w, e: (
        f"{w.bloc_names[e.bloc]} lifts sanctions on {w.state_names[e.state]} after the return to civilian rule"
    ),
)
AID_RESUME_CIVILIAN = _declare(
    "aid_resume_civilian",
    lambda w, e: f"{w.power_names[e.power]} resumes aid to {w.state_names[e.state]} after the return to civilian rule",
)
WITHDRAW_COMPLETE = _declare(
    "withdraw_complete", lambda w, e: f"the last {w.power_names[e.power]} forces leave {w.state_names[e.state]}"
)


def _base_left(w: World, e: CauseRow) -> str:
    owner, new = int(e.v[0]), int(e.v[1])
    to = f"the {w.power_names[new]} forces there" if new >= 0 else f"the {w.state_names[e.state]} armed forces"
    return f"{w.power_names[owner]} leaves {w.base_names[e.base]}, handed over to {to}"


#: v: (owner leaving, successor or -1 for the host)
BASE_LEFT = _declare("base_left", _base_left)
BASE_TAKEN = _declare("base_taken", lambda w, e: f"{w.power_names[e.power]} takes over {w.base_names[e.base]}")
#: v: (troops,)
DEPLOY = _declare(
    "deploy", lambda w, e: f"{w.power_names[e.power]} deploys {e.v[0]:.0f} troops to {w.state_names[e.state]}"
)

# -- dated commitments (sim.core.phases._settle) ---------------------------------------------------


def _missed(w: World, e: CauseRow) -> str:
    """v: (dropped?, chance on time, chance of being dropped once missed, months of delay, ...)."""
    drop, on_time, dropped, delay = bool(e.v[0]), e.v[1], e.v[2], int(e.v[3])
    if drop:
        return f"dropped (chance on time {on_time:.0%}, of being dropped once missed {dropped:.0%})"
    later = month_words(w.date_of(e.step + delay))
    return f"postponed by {delay} months, to {later} (chance on time {on_time:.0%})"


#: words: (when, note)
ELECTION_HELD = _declare(
    "election_held", lambda w, e: f"{w.state_names[e.state]} holds the election announced for {e.words[0]}{e.words[1]}"
)
#: words: (when, note); v: as _missed
ELECTION_MISSED = _declare(
    "election_missed",
    lambda w, e: (
        f"the junta of {w.state_names[e.state]} does not hold the election due {e.words[0]}: "
        f"{_missed(w, e)}{e.words[1]}"
    ),
)
#: words: (bloc, states, when, note)
EXIT_NOTIFIED = _declare(
    "exit_notified",
    lambda w, e: (
        f"{w.state_names[e.state]} leaves {e.words[0]} as notified ({e.words[1]}, due {e.words[2]}){e.words[3]}"
    ),
)
#: words: (bloc, states, when, note); v: as _missed
EXIT_MISSED = _declare(
    "exit_missed",
    lambda w, e: f"the exit of {e.words[1]} from {e.words[0]} due {e.words[2]} is {_missed(w, e)}{e.words[3]}",
)
#: words: (power, when, note); v: (troops before, troops announced)
DRAWDOWN_ANNOUNCED = _declare(
    "drawdown_announced",
    lambda w, e: (
        f"{e.words[0]} cuts its forces in {w.state_names[e.state]} from {e.v[0]:.0f} to "
        f"{e.v[1]:.0f}, as announced for {e.words[1]}{e.words[2]}"
    ),
)
#: words: (power, when, note); v: as _missed
DRAWDOWN_MISSED = _declare(
    "drawdown_missed",
    lambda w, e: (
        f"the {e.words[0]} drawdown in {w.state_names[e.state]} due {e.words[1]} is {_missed(w, e)}{e.words[2]}"
    ),
)

# -- regime events ---------------------------------------------------------------------------------


def _coup_odds(e: CauseRow) -> str:
    """v: (junta?, attempt risk, success chance, n attempt factors, *attempt factors, *success factors);
    words: the attempt factors' names, then the success factors'."""
    junta, p_attempt, p_success, n = bool(e.v[0]), float(e.v[1]), float(e.v[2]), int(e.v[3])
    factors = [float(x) for x in e.v[4:]]
    attempt = dict(zip(e.words[:n], factors[:n], strict=True))
    success = dict(zip(e.words[n:], factors[n:], strict=True))
    against = "the junta" if junta else "the government"
    return (
        f"attempt against {against}: "
        + explain_hazard(p_attempt, attempt)
        + "; "
        + explain_odds("success chance", p_success, success)
    )


COUP = _declare("coup", lambda w, e: ("counter-coup: " if e.v[0] else "") + _coup_odds(e))
COUP_ATTEMPT = _declare("coup_attempt", lambda w, e: _coup_odds(e))
#: v: (months in power, sanctioned?, monthly chance)
TRANSITION = _declare(
    "transition",
    lambda w, e: (
        f"the junta hands power to civilians after {int(e.v[0])} months "
        f"({'under sanctions, ' if e.v[1] else ''}"
        f"monthly chance {float(e.v[2]):.1%})"
    ),
)

# -- alignment decisions ---------------------------------------------------------------------------


def _turn(w: World, e: CauseRow, against: bool, first: int) -> str:
    """explain_turn from v[first - 1] (affinity) and v[first:] (the state's terms, T x P)."""
    terms = np.asarray(e.v[first:], dtype=np.float64).reshape(len(TERMS), len(w.powers))
    return explain_turn(against, terms, e.power, float(e.v[first - 1]))


#: v: (affinity, *terms (T x P))
EXPEL = _declare(
    "expel",
    lambda w, e: f"{w.state_names[e.state]} orders out {w.power_names[e.power]} forces: " + _turn(w, e, True, 1),
)
#: v: (more?, troops, affinity, *terms (T x P))
INVITE = _declare(
    "invite",
    lambda w, e: (
        (
            f"{w.state_names[e.state]} asks {w.power_names[e.power]} for more forces ({e.v[1]:.0f} there): "
            if e.v[0]
            else f"{w.state_names[e.state]} invites {w.power_names[e.power]} forces: "
        )
        + _turn(w, e, False, 3)
    ),
)


def _incident(w: World, e: CauseRow) -> str:
    o = int(e.v[0])
    return (
        f"incident between {w.power_names[o]} and {w.power_names[e.power]} forces sharing "
        f"{w.base_names[e.base]} (rivalry {e.v[1]:.1f}, monthly risk {e.v[2]:.1%})"
    )


#: v: (owner, rivalry, monthly risk); the power is the co-tenant
INCIDENT = _declare("incident", _incident)

# -- blocs -----------------------------------------------------------------------------------------

SANCTION_LIFT = _declare(
    "sanction_lift", lambda w, e: f"{w.bloc_names[e.bloc]} lifts sanctions on {w.state_names[e.state]}"
)
#: v: (junta?,)
AID_RESUME = _declare(
    "aid_resume",
    lambda w, e: (
        f"{w.power_names[e.power]} resumes aid to "
        + (
            f"the junta in {w.state_names[e.state]}"
            if e.v[0]
            else f"the civilian government of {w.state_names[e.state]}"
        )
    ),
)
#: v: (the bloc is the alliance of juntas?,)
BLOC_LEAVE = _declare(
    "bloc_leave",
    lambda w, e: (
        f"{w.state_names[e.state]} leaves {w.bloc_names[e.bloc]}: "
        + (
            "a civilian government quits the alliance of juntas"
            if e.v[0]
            else "a junta under sanctions or with allies elsewhere breaks away"
        )
    ),
)
#: v: (share of neighbours, alliance empty?)
BLOC_JOIN = _declare(
    "bloc_join",
    lambda w, e: (
        f"{w.state_names[e.state]} founds {w.bloc_names[e.bloc]}: {e.v[0]:.0%} of its neighbours are under juntas"
        if e.v[1]
        else f"{w.state_names[e.state]} joins {w.bloc_names[e.bloc]}: {e.v[0]:.0%} of its neighbours are members"
    ),
)

# -- the powers' postures --------------------------------------------------------------------------

#: v: (affinity,)
REENGAGE = _declare(
    "reengage",
    lambda w, e: (
        f"{w.power_names[e.power]} re-engages with {w.state_names[e.state]}, which once ordered its forces out: a new "
        f"civilian government since, affinity {e.v[0]:+.2f} (a decision of {w.power_names[e.power]})"
    ),
)
#: v: (troops, affinity, threshold)
PULL_OUT = _declare(
    "pull_out",
    lambda w, e: (
        f"{w.power_names[e.power]} decides to pull its {e.v[0]:.0f} troops out of {w.state_names[e.state]} before "
        f"it is ordered out: the government's affinity {e.v[1]:+.2f} is below "
        f"{e.v[2]:+.2f} (a decision of {w.power_names[e.power]})"
    ),
)


def _posture_drawdown(w: World, e: CauseRow) -> str:
    """v: (troops, left, strained?, overstretch, anchor, over?, deployed, deployable, affinity, threat)."""
    troops, left, strained, overstretch, anchor, over, deployed, deployable, affinity, threat = e.v[:10]
    pname = w.power_names[e.power]
    return (
        f"{pname} cuts its forces in {w.state_names[e.state]} from {troops:.0f} to {left:.0f}: "
        + (
            f"its forces are needed elsewhere (overstretch {overstretch:.2f} against "
            f"{anchor:.2f}: {w.strain_drivers[e.power]})"
            if strained
            else f"more troops deployed ({deployed:.0f}) than it can sustain ({deployable:.0f})"
            if over
            else f"the government has cooled (affinity {affinity:+.2f}) and no insurgency needs them "
            f"(threat {threat:.2f})"
        )
        + f" (a decision of {pname})"
    )


POSTURE_DRAWDOWN = _declare("posture_drawdown", _posture_drawdown)
#: v: (troops sent, threat, affinity)
REINFORCE = _declare(
    "reinforce",
    lambda w, e: (
        f"{w.power_names[e.power]} reinforces {w.state_names[e.state]} under pressure with {e.v[0]:.0f} troops "
        f"(threat {e.v[1]:.2f}, affinity {e.v[2]:+.2f}; a decision of "
        f"{w.power_names[e.power]})"
    ),
)
