"""The render pool (app/renderpool.py): pictures drawn by a worker process are the same PNG bytes
as those drawn in the server's process, for several sessions sharing a worker's figures; the page
with a pool shows the new date and then the same pictures; the pool's workers stop when it is shut
down, and when `python -m app` is stopped with Ctrl+C."""

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


def test_a_worker_draws_the_same_pictures_as_this_process(pool):
    first, second = _session(0, 6), _session(3, 14)
    for session in (first, second, first):  # two sessions through the same worker figures, and back
        maker = FrameMaker(session)
        here = maker.overview()
        there = pool.overview(maker.overview_data()).result(timeout=WAIT_S)
        assert there == here  # month, map and share chart, byte for byte
        for state in ("NER", "MLI"):
            assert pool.affinity(maker.affinity_data(state)).result(timeout=WAIT_S) == maker.affinity(state)


def test_a_worker_draws_each_language_on_its_own_figures(pool):
    session = _session(0, 4)
    for lang in ("fr", "en", "fr"):
        maker = FrameMaker(session, lang)
        assert pool.overview(maker.overview_data()).result(timeout=WAIT_S) == maker.overview()
        assert pool.affinity(maker.affinity_data("NER")).result(timeout=WAIT_S) == maker.affinity("NER")
    assert FrameMaker(session, "fr").affinity("NER") != FrameMaker(session, "en").affinity("NER")


def test_the_data_sent_to_a_worker_is_a_copy_of_the_session_now(pool):
    session = _session(0, 2)
    maker = FrameMaker(session)
    data = maker.overview_data()
    session.step(3)  # the run goes on while the worker draws
    assert data.month == 2 and len(data.shares) == 3
    assert pool.overview(data).result(timeout=WAIT_S).month == 2


def test_shutdown_stops_the_workers():
    pool = RenderPool(2)
    pool.overview(FrameMaker(_session(0, 1)).overview_data()).result(timeout=WAIT_S)
    workers = pool.processes()
    assert workers and all(p.is_alive() for p in workers)
    pool.shutdown()
    assert not any(p.is_alive() for p in workers)
    with pytest.raises(RuntimeError):
        pool.overview(FrameMaker(_session(0, 1)).overview_data())
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


def test_the_page_with_a_pool_shows_the_date_then_the_same_pictures():
    from app.page import Page

    renderpool.start(1)
    try:
        _, rc = solara.render(Page(), handle_error=False)
        try:
            reference = _session(0, 0)
            maker = FrameMaker(reference)
            map_png, share_png, affinity_png = _images(rc)[:3]
            assert (map_png, share_png, affinity_png) == (
                maker.overview().map_png,
                maker.overview().share_png,
                maker.affinity("NER"),
            )
            rc.find(v.Btn, children=["Step"]).widget.click()
            assert rc.find(v.Html, class_="sahel-month").widget.children[0] == "Month 1"  # at once
            reference.step()
            wanted = [maker.overview().map_png, maker.overview().share_png, maker.affinity("NER")]
            deadline = time.monotonic() + WAIT_S
            while _images(rc)[:3] != wanted and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _images(rc)[:3] == wanted
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
