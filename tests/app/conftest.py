"""The app's tests keep Solara's files out of the user's home (SOLARA_HOME in a temporary folder,
removed at exit) and never send telemetry. Set before any test module imports Solara. Pages
rendered in-process use the server's renderer (reacton's fast one, app.server.FAST_RENDERER_ENV).

`sync_playwright` is the browser tests' way in: Playwright's sync API driving Debian's Chromium
(app.browser.CHROMIUM), a clear failure without it, a skip only when SAHEL_SKIP_BROWSER=1."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from app.server import FAST_RENDERER_ENV

if "SOLARA_HOME" not in os.environ:
    _home = tempfile.mkdtemp(prefix="sahel-solara-home-")
    os.environ["SOLARA_HOME"] = _home
    atexit.register(shutil.rmtree, _home, ignore_errors=True)
os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
# the pages rendered in-process use the renderer the server uses (app.server.FAST_RENDERER_ENV)
for _key, _value in FAST_RENDERER_ENV.items():
    os.environ.setdefault(_key, _value)


@pytest.fixture(scope="module")
def sync_playwright():
    """Playwright's sync API, or a clear failure (a skip only when SAHEL_SKIP_BROWSER=1)."""
    from app.browser import CHROMIUM

    if os.environ.get("SAHEL_SKIP_BROWSER") == "1":
        pytest.skip("SAHEL_SKIP_BROWSER=1")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: run `make browser` (Debian's chromium package) or set "
            f"SAHEL_CHROMIUM to its path; SAHEL_SKIP_BROWSER=1 skips this test"
        )
    from playwright.sync_api import sync_playwright

    return sync_playwright
