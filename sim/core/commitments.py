"""Dated commitments known at a world's start: treaty exits with their notice period, transition
timetables (elections), announced drawdowns of foreign forces (world file section `commitments`).

At its due month a commitment is kept with probability `on_time`; otherwise it is dropped for good
with probability `dropped`, or else postponed by `delay_months` and tried again then (parameters
`commitments.KIND.*`, docs/model.md 7.16). One uniform draw per commitment and month decides:
`u < on_time` keeps it, `u < on_time + (1 - on_time) * dropped` drops it, anything above postpones
it. An election is void once the junta that promised it is gone (a coup or another transition since
the start). The phase that applies them is `sim.core.phases.keep_commitments`; this module holds the
record and the pure functions over arrays it uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: The kinds of commitment, as written in world files (and the sections of `commitments.*` in conf).
KINDS: tuple[str, ...] = ("bloc_exit", "election", "drawdown")

# the status of a commitment in one run, (C, R) int8 in SimState.commitment_status
PENDING = 0
KEPT = 1
DROPPED = 2
VOID = 3  # overtaken: the junta that promised an election is gone, nothing left to leave or cut
LEFT_TO_PLAYERS = 4  # due while a workshop team plays its actor: the team decides, no rule
STATUS_NAMES: tuple[str, ...] = ("pending", "kept", "dropped", "void", "left to players")


@dataclass(frozen=True)
class Commitment:
    """One dated commitment of a world file, by indices into the world."""

    id: str
    kind: str  # one of KINDS
    states: tuple[int, ...]  # the state, or the states of a joint exit
    due: int  # step of its due month (>= 1)
    on_time: float | None = None  # its own chance of being kept on time; None: commitments.KIND.on_time
    bloc: int = -1  # bloc_exit: the bloc left
    power: int = -1  # drawdown: the power whose forces are cut
    troops: float = 0.0  # drawdown: the troops left after the cut
    note: str = ""  # what was promised, in words (the events' causes quote it)
    source: str = ""
    as_of: str = ""


def due_now(*, due: np.ndarray, status: np.ndarray, step: int) -> np.ndarray:
    """Commitments due this month and still pending: (C, R) bool."""
    return (status == PENDING) & (due == step)


def outcome(*, draw: np.ndarray, on_time: np.ndarray, dropped: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(kept, dropped, postponed) masks of commitments at their due month, from one uniform draw
    each: kept when draw < on_time, dropped when below on_time + (1 - on_time) * dropped, else
    postponed. The three masks partition the draws."""
    keep = draw < on_time
    drop = ~keep & (draw < on_time + (1.0 - on_time) * dropped)
    return keep, drop, ~keep & ~drop


def same_junta(
    *, junta: np.ndarray, months_since_coup: np.ndarray, months_at_start: np.ndarray, step: int
) -> np.ndarray:
    """States still ruled by the junta that ruled them at the start: (S, R) bool. The clock since
    the last coup runs on unbroken (it reads months_at_start + step - 1 before the month closes)
    and the state is a junta; a coup since resets the clock, a transition ends the junta."""
    return junta & (months_since_coup == months_at_start[:, None] + step - 1)


def month_words(date: str) -> str:
    """'2025-08' as 'August 2025'."""
    year, month = date.split("-")[:2]
    names = (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
    return f"{names[int(month) - 1]} {year}"
