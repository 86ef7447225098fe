"""Event records: the log of a simulation's events, column by column, the record each event leaves
(`Event`, read from the log), and a scripted event as the month's first phase applies it (the
event types and what each needs are in sim.core.vocabulary; the causes' templates in sim.core.causes)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

import numpy as np

from sim.core.causes import CAUSES, CauseRow, format_cause
from sim.core.vocabulary import EVENT_TYPES

if TYPE_CHECKING:
    from sim.core.world import World


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


@dataclass(frozen=True)
class EventChunk:
    """The events one rule recorded in one month (one call of StepContext.add), column by column:
    one type, one kind of cause and its words for all of them, indices (-1: none) and the numbers
    each cause quotes (`values`, one row per event) captured when they happened."""

    step: int
    type: int  # index in vocabulary.EVENT_TYPES
    cause: int  # code of the kind of cause (sim.core.causes.CAUSES)
    scripted: bool
    run: np.ndarray  # (n,) int64, like the other index columns
    state: np.ndarray
    power: np.ndarray
    bloc: np.ndarray
    base: np.ndarray
    values: np.ndarray  # (n, k) float64
    words: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.run)

    def cause_text(self, world: World, j: int) -> str:
        """The cause of event j of the chunk, in words."""
        row = CauseRow(
            self.step,
            int(self.state[j]),
            int(self.power[j]),
            int(self.bloc[j]),
            int(self.base[j]),
            self.values[j].tolist(),
            self.words,
        )
        return format_cause(world, self.cause, row)

    def cause_texts(self, world: World) -> list[str]:
        """The causes of every event of the chunk, in words (plain Python numbers: faster to format)."""
        text, step, words = CAUSES[self.cause].text, self.step, self.words
        columns = zip(
            self.state.tolist(),
            self.power.tolist(),
            self.bloc.tolist(),
            self.base.tolist(),
            self.values.tolist(),
            strict=True,
        )
        return [text(world, CauseRow(step, s, p, b, k, v, words)) for s, p, b, k, v in columns]

    def event(self, world: World, j: int) -> Event:
        """Event j of the chunk as a record, its cause written out."""
        return Event(
            run=int(self.run[j]),
            step=self.step,
            type=EVENT_TYPES[self.type],
            state=int(self.state[j]),
            power=int(self.power[j]),
            bloc=int(self.bloc[j]),
            base=int(self.base[j]),
            scripted=self.scripted,
            cause=self.cause_text(world, j),
        )


#: The index columns of the log (see EventLog.columns).
INDEX_COLUMNS = ("run", "step", "type", "state", "power", "bloc", "base", "scripted")


class EventLog(Sequence[Event]):
    """The events of a simulation in the order they happened, stored as chunks of columns (no
    Python object per event while the runs step). Read as a sequence it gives Event records with
    their causes written out; the tables read `columns()` and, only if they want them, `causes()`."""

    def __init__(self, world: World, chunks: Sequence[EventChunk] = ()):
        self.world = world
        self.chunks: list[EventChunk] = []
        self._ends: list[int] = []  # cumulative event counts after each chunk
        self.extend(chunks)

    def extend(self, chunks: Sequence[EventChunk] | EventLog) -> None:
        """Append the chunks (of a month, or another log's)."""
        if isinstance(chunks, EventLog):
            chunks = chunks.chunks
        total = self._ends[-1] if self._ends else 0
        for c in chunks:
            if len(c):
                total += len(c)
                self.chunks.append(c)
                self._ends.append(total)

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __iter__(self) -> Iterator[Event]:
        for c in self.chunks:
            for j in range(len(c)):
                yield c.event(self.world, j)

    @overload
    def __getitem__(self, i: int) -> Event: ...
    @overload
    def __getitem__(self, i: slice) -> EventLog: ...
    def __getitem__(self, i: int | slice) -> Event | EventLog:
        if isinstance(i, slice):
            return self._slice(i)
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("event index out of range")
        k = int(np.searchsorted(self._ends, i, side="right"))
        start = self._ends[k - 1] if k else 0
        return self.chunks[k].event(self.world, i - start)

    def _slice(self, s: slice) -> EventLog:
        """The events start:stop as a log (whole chunks where they can be; step 1 only)."""
        start, stop, step = s.indices(len(self))
        if step != 1:
            raise ValueError("an event log slices with step 1 only")
        out = EventLog(self.world)
        begin = 0
        for c, end in zip(self.chunks, self._ends, strict=True):
            lo, hi = max(start, begin), min(stop, end)
            if lo < hi:
                out.extend([c if (lo, hi) == (begin, end) else _take(c, slice(lo - begin, hi - begin))])
            begin = end
        return out

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EventLog | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"EventLog({len(self)} events)"

    def columns(self) -> dict[str, np.ndarray]:
        """Every event's run, step, type (index in vocabulary.EVENT_TYPES), state, power, bloc, base
        (-1: none) and scripted flag, one array each, in the log's order."""
        sizes = [len(c) for c in self.chunks]
        out = {
            "run": _cat([c.run for c in self.chunks], np.int64),
            "step": np.repeat(np.array([c.step for c in self.chunks], np.int64), sizes),
            "type": np.repeat(np.array([c.type for c in self.chunks], np.int64), sizes),
        }
        for name in ("state", "power", "bloc", "base"):
            out[name] = _cat([getattr(c, name) for c in self.chunks], np.int64)
        out["scripted"] = np.repeat(np.array([c.scripted for c in self.chunks], bool), sizes)
        return out

    def causes(self) -> list[str]:
        """Every event's cause in words, in the log's order (written now: the costly part)."""
        return [text for c in self.chunks for text in c.cause_texts(self.world)]

    def last_step(self) -> int:
        """The latest month with an event (0 without events)."""
        return max((c.step for c in self.chunks), default=0)


def _cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)


def _take(c: EventChunk, s: slice) -> EventChunk:
    return EventChunk(
        c.step,
        c.type,
        c.cause,
        c.scripted,
        c.run[s],
        c.state[s],
        c.power[s],
        c.bloc[s],
        c.base[s],
        c.values[s],
        c.words,
    )


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
