"""The render pool (app/renderpool.py): maps drawn by a worker process are the same PNG bytes as
those drawn in the server's process, for several sessions sharing a worker's figures; the page with
a pool shows the new date and charts at once and then the same map; the pool's workers stop when it
is shut down, and when `python -m app` is stopped with Ctrl+C."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara

from app import renderpool
from app.frames import FrameMaker
from app.renderpool import RenderPool
from app.session import RunSession
from app.settings import scenario_defaults

WAIT_S = 60.0  # how long a test waits for a worker's pictures before it fails (not a speed limit)


def _alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.fixture(scope="module")
def pool():
    pool = RenderPool(1)
    yield pool
    pool.shutdown()


def _session(seed: int, months: int) -> RunSession:
    session = RunSession(scenario_defaults().with_seed(seed))
    session.step(months)
    return session


def test_a_worker_draws_the_same_map_as_this_process(pool):
    first, second = _session(0, 6), _session(3, 14)
    for session in (first, second, first):  # two sessions through the same worker figures, and back
        maker = FrameMaker(session)
        here = maker.map()
        there = pool.map(maker.overview_data()).result(timeout=WAIT_S)
        assert there == here and here.share_png == b""  # month, map and its text, byte for byte; no chart
        assert here.map_png == maker.overview().map_png


def test_a_worker_draws_each_language_on_its_own_figures(pool):
    session = _session(0, 4)
    for lang in ("fr", "en", "fr"):
        maker = FrameMaker(session, lang)
        assert pool.map(maker.overview_data()).result(timeout=WAIT_S) == maker.map()
    assert FrameMaker(session, "fr").map().map_alt != FrameMaker(session, "en").map().map_alt


def test_the_data_sent_to_a_worker_is_a_copy_of_the_session_now(pool):
    session = _session(0, 2)
    maker = FrameMaker(session)
    data = maker.overview_data()
    session.step(3)  # the run goes on while the worker draws
    assert data.month == 2 and len(data.shares) == 3
    assert pool.map(data).result(timeout=WAIT_S).month == 2


def test_shutdown_stops_the_workers():
    pool = RenderPool(2)
    pool.map(FrameMaker(_session(0, 1)).overview_data()).result(timeout=WAIT_S)
    workers = pool.processes()
    assert workers and all(p.is_alive() for p in workers)
    pool.shutdown()
    assert not any(p.is_alive() for p in workers)
    with pytest.raises(RuntimeError):
        pool.map(FrameMaker(_session(0, 1)).overview_data())
    with pytest.raises(ValueError):
        RenderPool(0)


def test_start_and_stop_set_the_process_pool():
    assert renderpool.start(0) is None and renderpool.current() is None
    pool = renderpool.start(1)
    try:
        assert renderpool.current() is pool and pool.workers == 1
    finally:
        renderpool.stop()
    assert renderpool.current() is None
    assert renderpool.default_workers() >= 1


def _images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(widgets.Image).widgets]


def _month(rc) -> str:
    return rc.find(v.Html, class_="sahel-month").widget.children[0]


def _share_chart(rc) -> dict:
    (chart,) = [
        w.chart for w in rc.find(v.VuetifyTemplate).widgets if w.has_trait("chart") and w.chart["kind"] == "share"
    ]
    return chart


def test_the_page_with_a_pool_shows_the_date_and_charts_then_the_same_map():
    from app.page import Page

    renderpool.start(1)
    try:
        _, rc = solara.render(Page(), handle_error=False)
        try:
            reference = _session(0, 0)
            maker = FrameMaker(reference)
            assert _images(rc) == [maker.map().map_png]  # the map only: the charts are drawn in the browser
            for month in range(1, 6):
                rc.find(v.Btn, children=["Step"]).widget.click()
                deadline = time.monotonic() + WAIT_S  # a map arriving from the pool may re-render meanwhile

                def caught_up(month: int = month) -> bool:  # the date and its chart data (a render apart)
                    return _month(rc) == f"Month {month}" and len(_share_chart(rc)["dates"]) == month + 1

                while not caught_up() and time.monotonic() < deadline:
                    time.sleep(0.02)
                assert _month(rc) == f"Month {month}"
                assert len(_share_chart(rc)["dates"]) == month + 1  # the chart's data with the date
            reference.step(5)
            wanted = [maker.map().map_png]
            assert wanted != [FrameMaker(_session(0, 0)).map().map_png]  # the map has changed by month 5
            deadline = time.monotonic() + WAIT_S
            while _images(rc) != wanted and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _images(rc) == wanted
        finally:
            rc.close()
    finally:
        renderpool.stop()


def test_ctrl_c_stops_the_server_and_its_workers(tmp_path):
    from app.browser import AppProcess

    server = AppProcess(tmp_path, args=["--render-workers", "1"], log=tmp_path / "log.txt")
    server.start()
    try:
        pid = server.process.pid
        deadline = time.monotonic() + WAIT_S
        children: list[int] = []
        while not children and time.monotonic() < deadline:
            children = [
                int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()
            ]
            time.sleep(0.1)
        assert children and all(_alive(c) for c in children)
        os.kill(pid, signal.SIGINT)
        server.process.wait(timeout=WAIT_S)
        deadline = time.monotonic() + WAIT_S
        while any(_alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(c) for c in children)
    finally:
        server.stop()
    log = (tmp_path / "log.txt").read_text()
    assert "Classroom app stopped." in log and "Traceback" not in log
