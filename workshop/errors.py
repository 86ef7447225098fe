"""The one exception for a facilitator's or a team's mistake: its message is one paragraph."""

from __future__ import annotations


class WorkshopError(Exception):
    """A mistake in a command, a move file or a game folder; the message says what and how to fix it."""
