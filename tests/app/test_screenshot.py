"""`python -m app.screenshot` (the script behind `make app-screenshot` and docs/img/app.png): two
months of the classroom app in Debian's headless Chromium, saved as a PNG; and its one-line error
without Chromium. Like tests/app/test_browser.py, the browser test fails without Chromium
(`make browser`) and is skipped with SAHEL_SKIP_BROWSER=1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from app.browser import CHROMIUM, ROOT


def _screenshot(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.screenshot", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


@pytest.mark.browser
def test_screenshot_of_the_app(tmp_path):
    if os.environ.get("SAHEL_SKIP_BROWSER") == "1":
        pytest.skip("SAHEL_SKIP_BROWSER=1")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: run `make browser` (Debian's chromium package) or set "
            f"SAHEL_CHROMIUM to its path; SAHEL_SKIP_BROWSER=1 skips this test"
        )
    out = tmp_path / "shots" / "app.png"
    done = _screenshot(str(out), "--steps", "2")
    assert done.returncode == 0, done.stderr
    assert "after 2 steps" in done.stdout
    assert out.stat().st_size > 30_000  # a rendered page, not a blank window
    with Image.open(out) as image:
        assert image.format == "PNG" and image.size == (1600, 1000)
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 16) or []) > 50


def test_screenshot_without_chromium(tmp_path):
    env = {**os.environ, "SAHEL_CHROMIUM": str(tmp_path / "no-chromium")}
    done = _screenshot(str(tmp_path / "app.png"), env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("error: no Chromium at ") and len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "app.png").exists()


def test_screenshot_needs_a_file_or_the_workshop_folder(tmp_path):
    for args in ([], [str(tmp_path / "app.png"), "--workshop", str(tmp_path)]):
        done = _screenshot(*args)
        assert done.returncode == 2 and "give either OUT.png" in done.stderr, args
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.browser
def test_screenshots_of_the_workshop(tmp_path):
    if os.environ.get("SAHEL_SKIP_BROWSER") == "1":
        pytest.skip("SAHEL_SKIP_BROWSER=1")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make browser` or set SAHEL_CHROMIUM; SAHEL_SKIP_BROWSER=1 skips")
    from app.roomshots import NAMES

    done = _screenshot("--workshop", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NAMES)
    for name in NAMES:
        with Image.open(tmp_path / name) as image:
            assert image.format == "PNG" and image.size == (1280, 800), name
            assert len(image.convert("RGB").getcolors(maxcolors=1 << 16) or []) > 50, name  # a page, not a blank
