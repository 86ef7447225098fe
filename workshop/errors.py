"""The workshop's exceptions for a facilitator's or a team's mistake: the message is one paragraph,
and a refusal adds one line per problem."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # workshop.moves raises WorkshopError: import its Problem for the type only
    from workshop.moves import Problem


class WorkshopError(Exception):
    """A mistake in a command, a move file or a game folder; the message says what and how to fix it."""


class Refused(WorkshopError):
    """A refusal with a list of problems (illegal moves, each with its file, line and field): the
    message is the paragraph above them."""

    def __init__(self, message: str, problems: Sequence[Problem]):
        super().__init__(message)
        self.problems: tuple[Problem, ...] = tuple(problems)


class GameBusy(WorkshopError):
    """A game whose lock another command holds (adjudicating a turn, storing a move) longer than a reader
    chose to wait: nothing was read; ask again in a moment."""
