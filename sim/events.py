"""The closed vocabulary of events and the record each event leaves in the log."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventType(StrEnum):
    """Every event the model can record (the `type` column of events.parquet)."""

    COUP = "coup"
    TRANSITION = "transition"
    EXPEL = "expel"
    WITHDRAW_COMPLETE = "withdraw_complete"
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


EVENT_TYPES: tuple[str, ...] = tuple(e.value for e in EventType)


@dataclass
class Event:
    """One event of one run, with indices into the world and a plain-language cause."""

    run: int
    step: int
    type: str
    state: int
    power: int = -1
    bloc: int = -1
    base: int = -1
    scripted: bool = False
    cause: str = ""
