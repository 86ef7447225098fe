"""Draw the page's pictures in worker processes, off the server's process: matplotlib's drawing
holds Python's global lock, so with a class of tabs on one server it would make every other tab
wait. The server starts one pool (`start`, from `python -m app --render-workers N`) and shuts it
down when it stops (`stop`); without a pool (0 workers, and in the tests of the page) the page
draws in its own process as before.

A worker keeps the figures of the last few worlds it has drawn (app/frames.py `Figures`) and draws
the data it is sent with the same functions as the server's process (`draw_overview`,
`draw_affinity`), so the PNG bytes are the same either way. Workers ignore Ctrl+C: the server
stops them when it stops.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor

from app.frames import AffinityData, Figures, Overview, OverviewData, draw_affinity, draw_overview, world_key

#: How many worlds' figures a worker keeps (a class uses one or two worlds at a time).
WORLDS_KEPT = 4


def default_workers() -> int:
    """Render workers when none is asked for: one core is left to the server's own process (the
    page's re-renders and the model), the others draw; at least one."""
    return max(1, (os.cpu_count() or 1) - 1)


_figures: OrderedDict[tuple[str, str, str], Figures] = OrderedDict()  # in a worker: its figures per world


def _worker_figures(data: OverviewData | AffinityData) -> Figures:
    key = world_key(data.world, data.lang)
    if key not in _figures:
        _figures[key] = Figures(data.world, data.lang)
        while len(_figures) > WORLDS_KEPT:
            _figures.popitem(last=False)
    _figures.move_to_end(key)
    return _figures[key]


def _init_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server, which then stops the pool
    os.environ.setdefault("MPLBACKEND", "Agg")


def _warm() -> int:
    """In a worker: nothing but its start (its imports), so the first tab does not wait for it."""
    return os.getpid()


def overview_job(data: OverviewData) -> Overview:
    """In a worker: the map and share chart of `data`."""
    return draw_overview(data, _worker_figures(data))


def affinity_job(data: AffinityData) -> bytes:
    """In a worker: the affinity chart of `data`."""
    return draw_affinity(data, _worker_figures(data))


class RenderPool:
    """A process pool that draws pictures (`workers` processes, started with the 'spawn' method so
    that none inherits the server's threads)."""

    def __init__(self, workers: int):
        if workers < 1:
            raise ValueError(f"a render pool needs at least one worker, not {workers}")
        self.workers = workers
        self._executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker
        )
        for _ in range(workers):  # start the workers now (one is spawned per job waiting for a free one)
            self._executor.submit(_warm)

    def overview(self, data: OverviewData) -> Future[Overview]:
        """The map and share chart of `data`, drawn by a worker."""
        return self._executor.submit(overview_job, data)

    def affinity(self, data: AffinityData) -> Future[bytes]:
        """The affinity chart of `data`, drawn by a worker."""
        return self._executor.submit(affinity_job, data)

    def processes(self) -> list[multiprocessing.process.BaseProcess]:
        """The worker processes alive now (started on the first job)."""
        return list(getattr(self._executor, "_processes", {}).values())

    def shutdown(self) -> None:
        """Drop the jobs not started, wait for the running ones and stop the workers."""
        self._executor.shutdown(wait=True, cancel_futures=True)


_lock = threading.Lock()
_pool: RenderPool | None = None


def start(workers: int) -> RenderPool | None:
    """Start the process's render pool with `workers` processes (0: none, pictures are drawn in
    this process); a pool already running is stopped first."""
    global _pool
    stop()
    with _lock:
        _pool = RenderPool(workers) if workers > 0 else None
        return _pool


def current() -> RenderPool | None:
    """The process's render pool, or None when pictures are drawn in this process."""
    return _pool


def stop() -> None:
    """Shut the render pool down (nothing happens when there is none)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown()
