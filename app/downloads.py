"""What the page's downloads hold: the run's tables as CSV (the same columns as `python -m sim`
writes to states.parquet, ties.parquet, events.parquet and bases.parquet, docs/model.md, 7.14) and the
file names, which say which run and month they come from."""

from __future__ import annotations

from app.session import RunSession
from app.settings import Settings

#: The tables offered, as the recorder names them.
TABLES: tuple[str, ...] = ("states", "ties", "events", "bases")
#: The pictures offered: the map and the two charts.
PICTURES: tuple[str, ...] = ("map", "share", "affinity")


def file_stem(settings: Settings, month: int) -> str:
    """'sahel_2024-us_stays-seed7-month18': the start of every file name of this run at this month."""
    return f"{settings.world}-{settings.experiment}-seed{settings.seed}-month{month}"


def table_csv(session: RunSession, table: str) -> bytes:
    """One of TABLES of the session's run so far, as CSV bytes (UTF-8, a header row, no index)."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}: use one of {', '.join(TABLES)}")
    with session.lock:
        frame = getattr(session.model.recorder, f"{table}_table")()
    return frame.to_csv(index=False).encode("utf-8")
