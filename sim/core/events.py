"""The record each event leaves in the log (the event types are in sim.core.vocabulary)."""

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
