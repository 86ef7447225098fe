"""Class sessions: a teacher starts one and gets a short code; groups join it with the code and a
group name, each publishes the headline results of its own run (app/runsummary.py), and the
teacher's view reads every group's side by side.

Sessions live in this server process's memory only (one registry, `REGISTRY`, guarded by one
lock): nothing is written to disk, and a server restart ends every session. A session ends
`LIFETIME_S` after it started, or when the teacher ends it.

Who may do what:
- the teacher's token (`workshop.tokens.new_token`: 256 random bits) opens the teacher's view;
  the session's projector token (the same kind) opens only the read-only projector view of a
  group's run (its link may show on the room's screen: it opens nothing else). Tokens are
  compared in constant time (hmac.compare_digest) and never logged or put in an error message;
- joining returns a group token (the same kind), kept by that browser tab only; publishing needs
  it, so a group publishes its own results and no other group's. A group name is taken once per
  session: nobody can join as a group that is already in;
- the code is `CODE_LENGTH` symbols of `ALPHABET` (31 symbols, no 0/O, 1/I/L): 31**8, about
  8.5e11 codes. Wrong codes are limited to `MAX_WRONG_CODES` per `WRONG_CODE_WINDOW_S` for the
  whole server (once spent, every join waits, right code or not, so the limit says nothing about
  a guess); with at most `MAX_SESSIONS` sessions living at most `LIFETIME_S`, a guesser's chance
  of finding any live code is at most `guess_chance()` (about 5e-7).
"""

from __future__ import annotations

import hmac
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from app.runsummary import RunSummary
from workshop.tokens import new_token

#: The code's symbols: capitals and digits without the look-alikes 0/O and 1/I/L.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
LIFETIME_S = 8 * 3600  # a school day
MAX_SESSIONS = 30  # live sessions on one server
MAX_GROUPS = 40  # groups in one session
MAX_NAME_CHARS = 24
MAX_WRONG_CODES = 30  # wrong codes tried, server-wide, per window
WRONG_CODE_WINDOW_S = 60.0
MAX_TOKEN_CHARS = 256
#: a group's name: letters (any script), digits, spaces and . ' - (e.g. "B", "Groupe É", "Table 3")
GROUP_NAME = re.compile(r"^\w[\w .'-]*$")

REFUSED = "This link does not open a class session: it has ended, or the link is not the teacher's."
NO_SESSION = "No class session has this code: check it with your teacher (it is on the board)."
TOO_MANY_TRIES = "Too many wrong codes were tried on this server: wait a minute, then join again."
FULL = "The server has {n} class sessions already: end one (its teacher's view has End the session) first."


class Keys(NamedTuple):
    """A new session's code, the teacher's token and the projector's token."""

    code: str
    teacher: str
    projector: str


class ClassError(ValueError):
    """A refused action of a class session; its message is one sentence for the page."""


def normalize_code(text: str) -> str:
    """'k7p2-qx4m ' -> 'K7P2QX4M' (case, spaces and dashes do not matter)."""
    return re.sub(r"[\s-]+", "", text or "").upper()


def show_code(code: str) -> str:
    """'K7P2QX4M' -> 'K7P2-QX4M' (as the board shows it)."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def guess_chance(
    guesses_per_window: int = MAX_WRONG_CODES,
    window_s: float = WRONG_CODE_WINDOW_S,
    lifetime_s: float = LIFETIME_S,
    sessions: int = MAX_SESSIONS,
) -> float:
    """The largest chance that guessing for a session's whole lifetime finds a live code."""
    guesses = guesses_per_window * lifetime_s / window_s
    return guesses * sessions / len(ALPHABET) ** CODE_LENGTH


def _same(given: str | None, token: str) -> bool:
    if not given or len(given) > MAX_TOKEN_CHARS:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


@dataclass
class _Group:
    name: str
    token: str = field(repr=False)
    summary: RunSummary | None = None


@dataclass
class _Session:
    code: str
    teacher: str = field(repr=False)
    projector: str = field(repr=False)
    started: float = 0.0
    groups: dict[str, _Group] = field(default_factory=dict)
    version: int = 0


@dataclass(frozen=True)
class GroupResult:
    """A group in the teacher's view: its name and its last published results (None: none yet)."""

    name: str
    summary: RunSummary | None


@dataclass(frozen=True)
class TeacherView:
    """What the teacher sees: the code, the groups in the order they joined, a version that
    changes whenever a group joins, leaves or publishes, and the projector's token (for the
    projector links: a reopened teacher's view has it too)."""

    code: str
    groups: tuple[GroupResult, ...]
    version: int
    ends_in_s: float
    projector: str = field(default="", repr=False)


class Classroom:
    """The registry of class sessions (thread-safe). `clock` is injectable for tests."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, _Session] = {}
        self._wrong: deque[float] = deque()

    def _prune(self) -> None:
        now = self._clock()
        for code in [c for c, s in self._sessions.items() if now - s.started >= LIFETIME_S]:
            del self._sessions[code]
        while self._wrong and now - self._wrong[0] >= WRONG_CODE_WINDOW_S:
            self._wrong.popleft()

    def _opened(self, code: str, token: str | None, projector: bool = False) -> _Session:
        """The session `token` opens: the teacher's token, or (if `projector`) the projector's."""
        session = self._sessions.get(normalize_code(code or ""))
        if session is None:
            raise ClassError(REFUSED)
        teacher = _same(token, session.teacher)
        shown = _same(token, session.projector)  # both compared, always
        if not (teacher or (projector and shown)):
            raise ClassError(REFUSED)
        return session

    def start(self) -> Keys:
        """A new session: its code, the teacher's token and the projector's."""
        with self._lock:
            self._prune()
            if len(self._sessions) >= MAX_SESSIONS:
                raise ClassError(FULL.format(n=MAX_SESSIONS))
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            while code in self._sessions:
                code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            keys = Keys(code, new_token(), new_token())
            self._sessions[code] = _Session(code, keys.teacher, keys.projector, self._clock())
            return keys

    def join(self, code: str, group: str) -> str:
        """Join the session `code` as `group`; returns the group's token (publishing needs it)."""
        name = " ".join((group or "").split())
        if not name or len(name) > MAX_NAME_CHARS or not GROUP_NAME.match(name):
            raise ClassError(
                f"A group name is 1 to {MAX_NAME_CHARS} letters or digits (spaces, . ' - allowed), "
                "for example B or Table 3."
            )
        with self._lock:
            self._prune()
            if len(self._wrong) >= MAX_WRONG_CODES:
                raise ClassError(TOO_MANY_TRIES)
            session = self._sessions.get(normalize_code(code))
            if session is None:
                self._wrong.append(self._clock())
                raise ClassError(NO_SESSION)
            if name.casefold() in (g.casefold() for g in session.groups):
                raise ClassError(
                    f"A group named {name} is in this session already: pick another name, or ask "
                    "the teacher to remove it."
                )
            if len(session.groups) >= MAX_GROUPS:
                raise ClassError(f"This session has {MAX_GROUPS} groups already.")
            token = new_token()
            session.groups[name] = _Group(name, token)
            session.version += 1
            return token

    def _own(self, code: str, group: str, group_token: str | None) -> tuple[_Session, _Group]:
        session = self._sessions.get(normalize_code(code))
        member = session.groups.get(group) if session is not None else None
        if session is None or member is None or not _same(group_token, member.token):
            raise ClassError(
                "This tab is no longer in the class session (it ended, or the teacher removed the group): join again."
            )
        return session, member

    def publish(self, code: str, group: str, group_token: str | None, summary: RunSummary) -> None:
        """Record `group`'s current results (its own token only)."""
        with self._lock:
            self._prune()
            session, member = self._own(code, group, group_token)
            member.summary = summary
            session.version += 1

    def leave(self, code: str, group: str, group_token: str | None) -> None:
        """Take `group` out of the session (its own token only)."""
        with self._lock:
            session, member = self._own(code, group, group_token)
            del session.groups[member.name]
            session.version += 1

    def teacher_view(self, code: str, teacher_token: str | None) -> TeacherView:
        """Every group's name and results, for the teacher (the teacher's token only)."""
        with self._lock:
            self._prune()
            s = self._opened(code, teacher_token)
            return TeacherView(
                s.code,
                tuple(GroupResult(g.name, g.summary) for g in s.groups.values()),
                s.version,
                LIFETIME_S - (self._clock() - s.started),
                s.projector,
            )

    def version(self, code: str, token: str | None) -> int:
        """The session's version (the teacher's or the projector's token): a cheap question for polling."""
        with self._lock:
            self._prune()
            return self._opened(code, token, projector=True).version

    def group_summary(self, code: str, token: str | None, group: str) -> RunSummary | None:
        """One group's last results, for the projector view (the teacher's or the projector's token)."""
        with self._lock:
            self._prune()
            member = self._opened(code, token, projector=True).groups.get(group)
            if member is None:
                raise ClassError(f"No group named {group} is in this session.")
            return member.summary

    def remove(self, code: str, teacher_token: str | None, group: str) -> None:
        """The teacher takes a group out (its name is free again; that tab's publishing stops)."""
        with self._lock:
            session = self._opened(code, teacher_token)
            if session.groups.pop(group, None) is not None:
                session.version += 1

    def end(self, code: str, teacher_token: str | None) -> None:
        """The teacher ends the session: its code opens nothing any more."""
        with self._lock:
            session = self._opened(code, teacher_token)
            del self._sessions[session.code]


#: The server's sessions (one per process).
REGISTRY = Classroom()


def registry() -> Classroom:
    """The server's registry (a function, so tests can replace REGISTRY)."""
    return REGISTRY
