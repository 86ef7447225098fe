"""`python -m app.screenshot OUT.png [--steps 18] [--width 1600 --height 1000] [--present]`: remake a
picture of the classroom app (docs/img/app.png and the others of docs/app.md, `make app-screenshot`);
`python -m app.screenshot --workshop DIR [--width 1280 --height 800]`: the workshop's pages as a room
uses them (docs/img/workshop_*.png of docs/workshop.md; app/roomshots.py).

Starts `python -m app` on a free local port, opens the classroom page `/` in Debian's headless
Chromium (app.browser; Playwright never downloads a browser), presses Step `--steps` times, waiting
each time for the page to show the next month, waits for the map and the charts to have loaded, and
saves the browser window (the viewport, not the full page) as a 256-colour PNG; with --present, in
presentation mode.
Exit codes: 0 saved, 1 the page did not get there, 2 no Chromium (or a bad argument).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
import time
from pathlib import Path

from app.browser import CHROMIUM, app_server, launch_chromium
from app.i18n import LANGUAGES, SOURCE, tr
from sim.core.atomic import atomic_path

LOAD_TIMEOUT_MS = 90_000  # the first page load (Solara's front-end, the first model run)
TIMEOUT_MS = 20_000  # one Step
#: The default window (width, height) of the classroom app's pictures and of the workshop's.
APP_SIZE = (1600, 1000)
WORKSHOP_SIZE = (1280, 800)
#: True once every picture on the page has loaded and the map shows the header's month.
_SETTLED = """() => {
  const imgs = [...document.querySelectorAll('.sahel-picture img')];
  const date = document.querySelector('.sahel-date');
  const title = document.querySelector('.sahel-map-title');
  return imgs.length >= 3 && imgs.every(i => i.complete && i.naturalWidth > 0)
    && date !== null && title !== null && title.innerText.endsWith(date.innerText.trim());
}"""


def capture(
    out: Path,
    steps: int = 18,
    width: int = 1600,
    height: int = 1000,
    log: Path | None = None,
    present: bool = False,
    lang: str = SOURCE,
) -> None:
    """Drive the classroom page `steps` months forward (in presentation mode if `present`, in the
    language `lang` of app.i18n.LANGUAGES) and save its window to `out` (PNG)."""
    from PIL import Image
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="sahel-screenshot-") as home,
        app_server(Path(home), log=log) as url,
        sync_playwright() as p,
    ):
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url + "/" + ("" if lang == SOURCE else f"?lang={lang}"))

            def month(n: int) -> re.Pattern:
                return re.compile(rf"^{re.escape(tr('header.month', lang, month=n))}$")

            # the page renders over a websocket: wait for its month and its last picture, not for 'load'
            page.locator(".sahel-month", has_text=month(0)).wait_for(timeout=LOAD_TIMEOUT_MS)
            page.locator(".sahel-picture img").nth(2).wait_for(timeout=TIMEOUT_MS)
            step = page.get_by_role("button", name=tr("button.step", lang), exact=True)
            for n in range(1, steps + 1):
                step.click()
                page.locator(".sahel-month", has_text=month(n)).wait_for(timeout=TIMEOUT_MS)
            if present:
                page.get_by_role("button", name=tr("button.present", lang)).click()
                page.get_by_role("button", name=tr("button.leave_present", lang)).wait_for(timeout=TIMEOUT_MS)
            page.mouse.move(0, height - 1)  # no tooltip in the picture
            page.wait_for_function(_SETTLED, timeout=TIMEOUT_MS)
            time.sleep(0.3)  # let the browser paint the last images
            png = page.screenshot(full_page=False)
        finally:
            browser.close()
    # 256 colours: the page is flat colours and text, and the file stays small in the repository
    with atomic_path(out) as tmp:
        image = Image.open(io.BytesIO(png)).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
        image.save(tmp, format="PNG", optimize=True)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, take the screenshot; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m app.screenshot", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?", help="the PNG to write (e.g. docs/img/app.png)")
    parser.add_argument(
        "--workshop",
        type=Path,
        metavar="DIR",
        help="instead: the workshop's facilitator, team, projector and after-action pages, "
        "as workshop_*.png in DIR (default size 1280x800)",
    )
    parser.add_argument("--steps", type=int, default=18, help="months to step from the start (default 18)")
    parser.add_argument("--width", type=int, help="window width in pixels (default 1600; 1280 with --workshop)")
    parser.add_argument("--height", type=int, help="window height in pixels (default 1000; 800 with --workshop)")
    parser.add_argument("--present", action="store_true", help="in presentation mode (a large map and one chart)")
    parser.add_argument("--lang", choices=sorted(LANGUAGES), default=SOURCE, help="the page's language (default en)")
    args = parser.parse_args(argv)
    if (args.out is None) == (args.workshop is None):
        parser.error("give either OUT.png (the classroom app) or --workshop DIR (the workshop's pages)")
    args.width = args.width if args.width is not None else (WORKSHOP_SIZE if args.workshop else APP_SIZE)[0]
    args.height = args.height if args.height is not None else (WORKSHOP_SIZE if args.workshop else APP_SIZE)[1]
    if args.steps < 0 or args.width <= 0 or args.height <= 0:
        parser.error("--steps must be >= 0 and --width/--height > 0")
    if not Path(CHROMIUM).exists():
        print(
            f"error: no Chromium at {CHROMIUM}: run `make browser` (Debian's chromium package) "
            f"or set SAHEL_CHROMIUM to its path",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="sahel-screenshot-log-") as tmp:
        log = Path(tmp) / "server.log"
        try:
            if args.workshop is not None:
                from app.roomshots import capture as capture_room

                written = capture_room(args.workshop, args.width, args.height, log=log)
            else:
                capture(args.out, args.steps, args.width, args.height, log=log, present=args.present, lang=args.lang)
        except Exception as exc:  # noqa: BLE001 - one readable line, then the server's last words
            tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:] if log.exists() else []
            print(
                f"error: no screenshot: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                file=sys.stderr,
            )
            if tail:
                print("the app server's log ends with:\n" + "\n".join(tail), file=sys.stderr)
            return 1
    if args.workshop is not None:
        print(f"wrote {', '.join(str(p) for p in written)} ({args.width}x{args.height})")
        return 0
    mode = ", presentation mode" if args.present else ""
    print(f"wrote {args.out} ({args.width}x{args.height}, after {args.steps} steps{mode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
