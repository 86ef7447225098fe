"""Which game pages a request may open: the team pages (app/team.py) are served here, beside
Solara's app, and the facilitator's page (/workshop) is closed without a token when the server
listens on the network.

Bound to this computer only (127.0.0.1, the default), /workshop opens as before: whoever can reach
it can read the game folders anyway. Bound to any other address (`--host 0.0.0.0`), the server
sets TOKENS_ENV and /workshop needs either the desk token (its link is printed when the server
starts; it is kept in the games root's DESK_FILE, mode 0600), which opens the whole page, or a
game's facilitator token with that game (`?game=NAME&token=...`, from `python -m workshop new` or
`links`), which opens that game only. The check is made twice: here on the page's HTTP request (a
403 before anything is sent) and in the page itself (app/facilitator.py, with the URL the browser
reports), since Solara's WebSocket could ask for the page without that request. Team pages always
need their team's token, on every address, and the projector's page (app/projector.py) the game's
projector token (or its facilitator's).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from workshop.errors import WorkshopError
from workshop.tokens import FACILITATOR, FILE_MODE, load_tokens, new_token, write_private

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

#: Set (to "1") by the server when it listens on an address other than this computer's.
TOKENS_ENV = "SAHEL_REQUIRE_TOKENS"
#: The desk token's file, in the games root.
DESK_FILE = ".facilitator-token"
FACILITATOR_PATH = "/workshop"
TEAM_PREFIX = "/team"
PROJECTOR_PREFIX = "/projector"
REFUSED = (
    "This page needs the facilitator's link (with its token): the server was started for the network. "
    "The link is printed when the server starts, and by 'python -m workshop links GAME_DIR'."
)


def tokens_required() -> bool:
    """Whether the facilitator's page needs a token (the server listens on the network)."""
    return os.environ.get(TOKENS_ENV) == "1"


def desk_token(root: Path, create: bool = False) -> str:
    """The desk token of the games root ('' if none and not `create`)."""
    path = root / DESK_FILE
    try:
        with open(path, encoding="utf-8") as handle:
            token = handle.read(256).strip()
        if token and (path.stat().st_mode & 0o077) == 0:
            return token
    except OSError:
        pass
    if not create:
        return ""
    token = new_token()
    write_private(path, token + "\n")
    os.chmod(path, FILE_MODE)
    return token


@dataclass(frozen=True)
class Desk:
    """What the facilitator's page may open: everything (game_id '') or one game."""

    game_id: str = ""


def facilitator_access(query: str) -> Desk | None:
    """What a /workshop URL's query string opens (None: nothing). Without TOKENS_ENV, everything (one
    game only with that game's facilitator link)."""
    from app import games

    fields = parse_qs(query or "")
    token = (fields.get("token") or [""])[0]
    game_id = (fields.get("game") or [""])[0]
    if not tokens_required():
        return Desk(game_id) if token and game_id and _facilitates(game_id, token) else Desk()
    if not token or len(token) > 256:
        return None
    import hmac

    desk = desk_token(games.games_root())
    if desk and hmac.compare_digest(token.encode("utf-8", "replace"), desk.encode("utf-8")):
        return Desk(game_id if game_id and game_dir_of(game_id) else "")
    return Desk(game_id) if _facilitates(game_id, token) else None


def _facilitates(game_id: str, token: str) -> bool:
    """Whether `token` is the facilitator's token of the game `game_id`."""
    path = game_dir_of(game_id)
    if path is None or len(token) > 256:
        return False
    try:
        return load_tokens(path).role_of(token) == FACILITATOR
    except WorkshopError:
        return False


def game_dir_of(game_id: str) -> Path | None:
    """The folder of a game named in a link (relative to the games root), or None."""
    from app import games

    if not game_id or len(game_id) > games.MAX_FOLDER_CHARS:
        return None
    if not all(games.GAME_NAME.match(part) for part in game_id.split("/")):
        return None
    try:
        path = games.resolve(game_id)
    except WorkshopError:
        return None
    return path if games.is_game(path) else None


class Gate:
    """ASGI app: /team... goes to the team pages, /projector... to the projector's page, a GET of
    /workshop without access gets 403, the rest goes to `app` (Solara's)."""

    def __init__(self, app: ASGIApp) -> None:
        from starlette.applications import Starlette

        from app.projector import projector_routes
        from app.team import team_routes

        self.app = app
        self.teams = Starlette(routes=team_routes())
        self.projector = Starlette(routes=projector_routes())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path == TEAM_PREFIX or path.startswith(TEAM_PREFIX + "/")):
            await self.teams(scope, receive, send)
            return
        if scope["type"] == "http" and (path == PROJECTOR_PREFIX or path.startswith(PROJECTOR_PREFIX + "/")):
            await self.projector(scope, receive, send)
            return
        if scope["type"] == "http" and path.rstrip("/") == FACILITATOR_PATH:
            query = scope.get("query_string", b"").decode("latin-1")
            if facilitator_access(query) is None:
                from starlette.responses import PlainTextResponse

                await PlainTextResponse(
                    REFUSED + "\n",
                    status_code=403,
                    headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
                )(scope, receive, send)
                return
        await self.app(scope, receive, send)
