"""A workshop game's lock held as the workshop's commands hold it, and a request's answer awaited for a
bounded time: for the tests of the pages that read a game under its lock (tests/app/)."""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def held(game: Path, mode: int) -> Iterator[None]:
    """The game's lock held as a workshop command holds it (LOCK_EX: adjudicate, submit; LOCK_SH: status)."""
    with open(game / ".lock", "a+") as handle:
        fcntl.flock(handle.fileno(), mode)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def answered(request: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A request's answer, or a failure if none comes within a minute (a page hanging on the lock)."""
    pool = ThreadPoolExecutor(1)
    try:
        return pool.submit(request, *args, **kwargs).result(timeout=60)
    finally:
        pool.shutdown(wait=False)  # a hanging request is left behind, the test fails
