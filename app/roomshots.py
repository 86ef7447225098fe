"""The pictures of docs/workshop.md, "In the room" (`python -m app.screenshot --workshop DIR`, `make
app-screenshot`): a game as a room plays it, photographed page by page in Debian's headless Chromium.

The game is the worked example's (USA, RUS, AES, ECOWAS; seed 0; the move files of
examples/workshop/), in a temporary games root: turn 1 submitted and adjudicated, the debrief built
with `DEBRIEF_RUNS` histories, and for turn 2 the ECOWAS file submitted with the command line's
function and the USA file pasted in the USA team page and submitted there, so the facilitator page
shows two of four teams in. Then, at `width` x `height`: the facilitator page's join links
(`workshop_links.png`), its turn controls (`workshop_facilitator.png`), the USA team page
(`workshop_team.png`), the projector (`workshop_projector.png`) and the after-action report
(`workshop_debrief.png`, opened from its file, at its teams' stated intent). Each is saved as a 256-colour PNG.
"""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

from app.browser import ROOT, app_server, launch_chromium
from sim.core.atomic import atomic_path

LOAD_TIMEOUT_MS = 90_000  # a first page load (Solara's front-end)
TIMEOUT_MS = 30_000
EXAMPLES = ROOT / "examples" / "workshop"
TEAMS = ["USA", "RUS", "AES=MLI,BFA,NER", "ECOWAS"]
TURN_1 = {"USA": "usa_turn1.yaml", "RUS": "russia_turn1.yaml", "AES": "aes_turn1.yaml", "ECOWAS": "ecowas_turn1.yaml"}
#: Histories of the debrief: enough for its fan charts to be readable, few enough to take seconds.
DEBRIEF_RUNS = 100
GAME = "demo"
#: The files written, in the order of docs/workshop.md.
NAMES = (
    "workshop_links.png",
    "workshop_facilitator.png",
    "workshop_team.png",
    "workshop_projector.png",
    "workshop_debrief.png",
)


def prepare(root: Path) -> Path:
    """The worked example's game in `root`/GAME, turn 1 adjudicated, its debrief built, ECOWAS in for
    turn 2 (USA submits on its page, in `capture`)."""
    from workshop import service

    def submit(team: str, name: str) -> None:
        # named as `python -m workshop submit` run from the project's folder names it (no path of this machine)
        path = EXAMPLES / name
        service.submit_text(game, team, path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))

    game = root / GAME
    service.create_game(game, TEAMS, turns=4, seed=0)
    for team, name in TURN_1.items():
        submit(team, name)
    service.adjudicate(game, 1)
    service.write_debrief(game, runs=DEBRIEF_RUNS)
    submit("ECOWAS", "ecowas_turn2.yaml")
    return game


def _save(png: bytes, out: Path) -> None:
    # 256 colours: the pages are flat colours and text, and the files stay small in the repository
    from PIL import Image

    with atomic_path(out) as tmp:
        image = Image.open(io.BytesIO(png)).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
        image.save(tmp, format="PNG", optimize=True)


def _shoot(page, out: Path) -> None:
    page.mouse.move(0, 0)  # no tooltip or hover in the picture
    time.sleep(0.5)  # let the browser paint the last images
    _save(page.screenshot(full_page=False), out)


def _scroll_below_header(page, locator) -> None:
    """Scroll the page so that `locator` stands just under the facilitator page's sticky header."""
    locator.evaluate(
        "e => { e.style.scrollMarginTop = (document.querySelector('.sahel-header').offsetHeight + 40)"
        " + 'px'; e.scrollIntoView({block: 'start'}); }"
    )


def capture(out_dir: Path, width: int = 1280, height: int = 800, log: Path | None = None) -> list[Path]:
    """Play the example game up to turn 2 and save the five pictures into `out_dir`; return their paths."""
    from playwright.sync_api import sync_playwright

    from workshop.tokens import facilitator_link, load_tokens, projector_link, team_link

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / name for name in NAMES]
    with tempfile.TemporaryDirectory(prefix="sahel-roomshots-") as tmp:
        root = Path(tmp) / "games"
        game = prepare(root)
        tokens = load_tokens(game)
        with app_server(Path(tmp) / "home", log=log, args=["--games-root", str(root)]) as url, sync_playwright() as p:
            browser = launch_chromium(p)
            try:
                viewport = {"width": width, "height": height}
                # the USA team submits its turn-2 file on its own page
                team = browser.new_context(viewport=viewport).new_page()
                team.goto(team_link(url, GAME, tokens.teams["USA"]))
                team.get_by_text("Nothing submitted for turn 2 yet").wait_for(timeout=LOAD_TIMEOUT_MS)
                team.locator("#moves").fill((EXAMPLES / "usa_turn2.yaml").read_text(encoding="utf-8"))
                team.get_by_role("button", name="Submit the moves of USA").click()
                team.locator(".said.ok", has_text="Accepted: team USA's moves for turn 2").wait_for(timeout=TIMEOUT_MS)

                desk = browser.new_context(viewport=viewport).new_page()
                desk.goto(facilitator_link(url, GAME, tokens.facilitator))
                desk.get_by_text("2 of 4 teams have submitted").wait_for(timeout=LOAD_TIMEOUT_MS)
                desk.locator(".sahel-link-row[data-who='ECOWAS'] svg").wait_for(timeout=TIMEOUT_MS)
                _scroll_below_header(desk, desk.get_by_text("Join links", exact=True))
                _shoot(desk, paths[0])
                _scroll_below_header(desk, desk.get_by_text("Where the game stands", exact=True))
                _shoot(desk, paths[1])

                team.evaluate("window.scrollTo(0, 0)")
                _shoot(team, paths[2])

                projector = browser.new_context(viewport=viewport).new_page()
                projector.goto(projector_link(url, GAME, tokens.projector))
                projector.frame_locator("#public").get_by_text("Public events this turn").wait_for(timeout=TIMEOUT_MS)
                _shoot(projector, paths[3])

                debrief = browser.new_context(viewport=viewport).new_page()
                debrief.goto((game / "debrief.html").resolve().as_uri())
                debrief.wait_for_load_state("load")
                # the after-action part: each team's stated intent beside what happened, its objectives' scores
                debrief.locator("h2", has_text="Stated intent and what happened").evaluate(
                    "h => window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 12)"
                )
                _shoot(debrief, paths[4])
            finally:
                browser.close()
    return paths
