"""Serve the classroom page at / and the workshop facilitator's page at /workshop (app.page.routes)
with Solara's server (uvicorn + starlette), fully offline.

The environment is set before Solara is imported, since its settings are read at import:
the front-end comes from the `solara-assets` package through Solara's local asset cache, and the
CDN Solara would fall back to for a missing file is pointed at a closed local port, so a page
never fetches anything from the internet; telemetry and the version check are off.

Solara's app is served behind `app.gate.Gate` (the team pages, and the token the facilitator's
page needs on the network) and `app.guard.AddressGuard`: a request under a name the server does
not serve (a foreign `Host`) or a WebSocket from another site (a foreign `Origin`) is refused.
The folder of the facilitator's games (`--games-root`) reaches the page through GAMES_ROOT_ENV.
"""

from __future__ import annotations

import logging
import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path

from app.gate import TOKENS_ENV, Gate, desk_token
from app.guard import LOCAL_NAMES, AddressGuard, allowed_addresses, describe

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
APP_MODULE = "app.page"

OFFLINE_ENV: dict[str, str] = {
    "SOLARA_APP": APP_MODULE,
    "SOLARA_ASSETS_PROXY": "True",  # serve the front-end from solara-assets' local copy
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",  # a missing asset fails here instead of going online
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_THEME_SHOW_BANNER": "False",
    "SOLARA_THEME_TITLE": "Sahel influence: classroom",
    "SOLARA_MODE": "production",
    "MPLBACKEND": "Agg",
}
#: Reacton's renderer that re-renders only the components whose state or arguments changed and
#: leaves the rest of the page's elements and widgets alone (its default renderer reconciles every
#: element of the page after any change: a Step updated 1,032 widgets to change a few dozen;
#: benchmarks/bench_app.py --profile). REACTON_FAST=0 in the environment selects the default one.
FAST_RENDERER_ENV: dict[str, str] = {"REACTON_FAST": "1"}
#: Defaults that the environment may override: a page closed (or a laptop asleep) for this long
#: loses its run, which also stops a Play left running in it; the renderer above.
DEFAULT_ENV: dict[str, str] = {"SOLARA_KERNEL_CULL_TIMEOUT": "20m", **FAST_RENDERER_ENV}
#: The environment variable holding the facilitator's games root (`--games-root` sets it).
GAMES_ROOT_ENV = "SAHEL_GAMES_ROOT"
#: The games root when none is given: games/ in the folder the app is started from.
DEFAULT_GAMES_ROOT = "games"
#: Extra names (comma-separated) the server answers to, as with --allow-host.
ALLOW_HOSTS_ENV = "SAHEL_ALLOW_HOSTS"
#: The largest WebSocket message the server reads (uvicorn's default, stated): a paste or a dropped
#: file larger than this closes that tab's connection instead of filling the memory.
WS_MAX_BYTES = 16 * 1024 * 1024


def configure_environment(host: str, port: int, games_root: Path | None = None) -> None:
    """Set the variables Solara reads at import (CGI-style SERVER_NAME/PORT as `solara run` does),
    and the games root the facilitator page reads."""
    for key, value in DEFAULT_ENV.items():
        os.environ.setdefault(key, value)
    os.environ.update(OFFLINE_ENV)
    os.environ["SERVER_NAME"] = host
    os.environ["SERVER_PORT"] = str(port)
    if games_root is not None:
        os.environ[GAMES_ROOT_ENV] = str(games_root)


def allow_hosts_from_env() -> list[str]:
    """The extra names of ALLOW_HOSTS_ENV ('a, b:8080' -> ['a', 'b:8080'])."""
    return [n.strip() for n in os.environ.get(ALLOW_HOSTS_ENV, "").split(",") if n.strip()]


def guarded_app(allowed: frozenset[tuple[str, int]]) -> AddressGuard:
    """Solara's Starlette app behind the Host and Origin checks (call after configure_environment:
    Solara reads its settings at import)."""
    from solara.server.starlette import app as solara_app

    return AddressGuard(Gate(solara_app), allowed)


TOKEN_IN_TEXT = re.compile(r"(token=)[^&\s\"']+")


class RedactTokens(logging.Filter):
    """Replace every `token=...` in a log record (uvicorn's access log names each URL) by `token=***`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                TOKEN_IN_TEXT.sub(r"\1***", a) if isinstance(a, str) else a
                for a in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        record.msg = TOKEN_IN_TEXT.sub(r"\1***", str(record.msg))
        return True


def local_only(host: str) -> bool:
    """Whether an address to listen on reaches this computer only."""
    return host.strip().lower().strip("[]") in LOCAL_NAMES


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    log_level: str = "warning",
    allow_hosts: Sequence[str] = (),
    games_root: Path | None = None,
    render_workers: int = 0,
) -> None:
    """Run the server until interrupted, answering to `host`, this computer's local names and
    `allow_hosts` only, with the facilitator's games under `games_root` and `render_workers`
    processes drawing the pictures (0: none, drawn in this process); the workers stop with it."""
    configure_environment(host, port, games_root)
    import uvicorn

    allowed = allowed_addresses(host, port, allow_hosts)

    # Solara warns on every page load that a cookie cannot be cross-site without https; the page
    # is never embedded in another site, so that warning says nothing here.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).addFilter(RedactTokens())
    desk = ""
    if not local_only(host):  # on the network: the facilitator's page needs a token (app/gate.py)
        os.environ[TOKENS_ENV] = "1"
        from app.games import games_root

        games_root().mkdir(parents=True, exist_ok=True)
        desk = f"?token={desk_token(games_root(), create=True)}"
    app = guarded_app(allowed)
    print(
        f"Classroom app: open http://{host}:{port}/ in a browser; the workshop facilitator's page is "
        f"http://{host}:{port}/workshop{desk} (Ctrl+C stops it)",
        flush=True,
    )
    if desk:
        print(
            "On the network, the facilitator's page needs that link (keep it private); each team opens its "
            "own link (python -m workshop links GAME_DIR, or the facilitator's page).",
            flush=True,
        )
    print(
        f"It answers to {describe(allowed)} (--allow-host adds a name); "
        f"the facilitator's games are in {os.environ.get(GAMES_ROOT_ENV) or '(the default games root)'}",
        flush=True,
    )
    print(
        f"{render_workers or 'No'} render worker process(es) draw the map and charts (--render-workers sets how many)",
        flush=True,
    )
    from app import renderpool

    renderpool.start(render_workers)
    try:
        uvicorn.run(app, host=host, port=port, log_level=log_level, ws_max_size=WS_MAX_BYTES)
    finally:
        renderpool.stop()
        print("Classroom app stopped.", flush=True)
