"""The projector's page (route /projector?game=GAME&token=TOKEN): the public view of a game for the
screen the whole room sees, plain HTML served by Starlette like the team pages (app/team.py).

It shows the turn clock (the turn played, the turn whose moves are being collected and how many
teams are in) and the last turn's projector page (workshop/briefs.py `projector_page`: the map of
leading partners, juntas and bases, the influence shares, the forces and bases, the turn's public
events in words, the white cell's news), framed with scripts off. It holds no team's moves, notes
or objectives and nothing of the facilitator's brief. It looks every few seconds whether a turn was
adjudicated (or re-rolled, or a veto changed it) and reloads itself then. It reads the game under the
game's shared lock as the team pages do (app/team.py, `busy`).

Access (`projector_of`): the game's projector token (workshop/tokens.py, `Tokens.is_projector`) or
its facilitator's; a team's token does not open it, and the projector token opens nothing else (it
is no role: the team pages and /workshop refuse it). Every failure is the same 403 sentence.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from app import games
from app.gate import game_dir_of
from app.team import BRIEF_CSP, HEADERS, PAGE_CSP, POLL_MS, busy
from workshop.briefs import PROJECTOR_FILE, write_projector
from workshop.errors import GameBusy, WorkshopError
from workshop.game import Game
from workshop.tokens import FACILITATOR, load_tokens

PREFIX = "/projector"
FORBIDDEN = "This link does not open the projector's page: ask the facilitator for the projector link."
_locks: dict[Path, threading.Lock] = {}
_locks_lock = threading.Lock()


@dataclass(frozen=True)
class Access:
    """A request's game (its folder relative to the games root, and its path) and the token used."""

    game_id: str
    dir: Path
    token: str


def projector_of(game_id: str | None, token: str | None) -> Access | None:
    """The game a projector link names, or None (unknown or refused game, a team's token, a wrong one)."""
    if not game_id or not token or len(token) > 256:
        return None
    path = game_dir_of(game_id)
    if path is None:
        return None
    try:
        tokens = load_tokens(path)
    except WorkshopError:
        return None
    if not (tokens.is_projector(token) or tokens.role_of(token) == FACILITATOR):
        return None
    return Access(game_id, path, token)


def _link(access: Access, route: str = PREFIX) -> str:
    return f"{route}?{urlencode({'game': access.game_id, 'token': access.token})}"


def latest_page(game: Game) -> Path:
    """The projector page of the last adjudicated turn (the opening's before any), written now if it is
    missing (a turn adjudicated with --no-briefs, or a game older than the projector), once at a time."""
    turn = len(game.turns)
    path = game.briefs_dir(turn) / PROJECTOR_FILE
    if not path.is_file():
        with _locks_lock:
            lock = _locks.setdefault(game.dir, threading.Lock())
        with lock:
            if not path.is_file():
                write_projector(game, turn)
    return path


def stamp(game: Game) -> str:
    """What changes when the projected page must: the turns played and the last one's roll and vetoes."""
    last = game.turns[-1] if game.turns else None
    return f"{len(game.turns)}:{last.seed if last else ''}:{len(last.vetoes) if last else 0}"


def clock(game: Game) -> str:
    """The turn clock in words: the turn played last, and the turn being prepared with who is in."""
    world, s = game.world(), game.settings
    if game.over:
        return f"Game over: {s.turns} turns played."
    first, last = game.steps_of(game.current_turn)
    played = f"Turn {len(game.turns)} was adjudicated. " if game.turns else "The opening situation. "
    return (
        f"{played}Now collecting moves for turn {game.current_turn} of {s.turns} ({world.date_of(first)} to "
        f"{world.date_of(last)}): {len(game.pending)} of {len(game.teams)} teams are in."
    )


STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; }
header { background: #243b53; color: white; padding: 8px 16px; }
header h1 { margin: 0; font-size: 26px; } header p { margin: 2px 0 0; font-size: 22px; }
iframe { width: 100%; height: calc(100vh - 90px); border: 0; }
:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
"""

SCRIPT = """
const seen = document.body.dataset.stamp;
setInterval(async () => {
  try {
    const r = await fetch(document.body.dataset.state, {cache: 'no-store'});
    if (!r.ok) return;
    const s = await r.json();
    document.getElementById('clock').textContent = s.clock;
    if (s.stamp !== seen) window.location.replace(document.body.dataset.self);
  } catch (e) { /* the server is restarting: try again later */ }
}, POLL_MS);
""".replace("POLL_MS", str(POLL_MS))


def page_html(access: Access, game: Game) -> str:
    """The projector's page: the clock and the last turn's public page in a frame."""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        f'content="width=device-width, initial-scale=1"><meta name="referrer" content="same-origin">'
        f"<title>Projector: Sahel influence workshop</title><style>{STYLE}</style></head>"
        f'<body data-stamp="{escape(stamp(game))}" data-state="{escape(_link(access, PREFIX + "/state"))}" '
        f'data-self="{escape(_link(access))}"><header><h1>Sahel influence workshop</h1>'
        f'<p id="clock">{escape(clock(game))}</p></header>'
        f'<iframe id="public" title="The region, influence and this turn\'s public events" sandbox '
        f'src="{escape(_link(access, PREFIX + "/view"))}"></iframe><script>{SCRIPT}</script></body></html>'
    )


# ---------------------------------------------------------------- HTTP endpoints (Starlette)


def _forbidden():
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(FORBIDDEN + "\n", status_code=403, headers=HEADERS)


def _problem(what: str, exc: Exception):
    from starlette.responses import PlainTextResponse

    from workshop import service

    text = str(exc) if isinstance(exc, service.MISTAKES) else games.unexpected(what, exc)
    return PlainTextResponse(text + "\n", status_code=500, headers=HEADERS)


async def projector_page(request):
    """GET /projector: the clock and the public page of the last turn."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse

    access = projector_of(request.query_params.get("game"), request.query_params.get("token"))
    if access is None:
        return _forbidden()
    try:
        text = await run_in_threadpool(lambda: page_html(access, games.load_game(access.dir)))
    except GameBusy:
        return busy("page")
    except Exception as exc:
        return _problem("Showing the projector's page", exc)
    return HTMLResponse(text, headers={**HEADERS, "Content-Security-Policy": PAGE_CSP})


async def projector_view(request):
    """GET /projector/view: the last turn's public page, as a sandboxed document."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse

    access = projector_of(request.query_params.get("game"), request.query_params.get("token"))
    if access is None:
        return _forbidden()

    def read() -> str:
        # under the shared lock: not while a turn's pages are written, and a missing page written here
        # (latest_page) never races a command writing it; a frame waits as long as it takes (app/team.py
        # team_brief says why)
        with games.reading(access.dir, block=True):
            game = Game.load(access.dir)
            return games.read_page(game.dir, latest_page(game))

    try:
        text = await run_in_threadpool(read)
    except Exception as exc:
        return _problem("Reading the projector's page", exc)
    return HTMLResponse(text, headers={**HEADERS, "Content-Security-Policy": BRIEF_CSP})


async def projector_state(request):
    """GET /projector/state: the clock and the stamp that tells the page to reload (JSON)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    access = projector_of(request.query_params.get("game"), request.query_params.get("token"))
    if access is None:
        return _forbidden()
    try:
        game = await run_in_threadpool(games.load_game, access.dir)
        return JSONResponse({"stamp": stamp(game), "clock": clock(game)}, headers=HEADERS)
    except GameBusy:
        return busy("json")
    except Exception as exc:
        return _problem("Reading the game", exc)


def projector_routes() -> list:
    """The projector page's Starlette routes."""
    from starlette.routing import Route

    return [
        Route(PREFIX, projector_page, methods=["GET"]),
        Route(PREFIX + "/view", projector_view, methods=["GET"]),
        Route(PREFIX + "/state", projector_state, methods=["GET"]),
    ]
