"""Event records: the record each event leaves in the log, and a scripted event as the month's
first phase applies it (the event types and what each needs are in sim.core.vocabulary)."""

from __future__ import annotations

from dataclasses import dataclass


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


@dataclass
class ScriptedEvent:
    """An event applied on a given step whatever the rules say."""

    step: int
    type: str
    state: int
    power: int = -1
    bloc: int = -1
    troops: float = 0.0
    note: str = ""
    source: str = ""
