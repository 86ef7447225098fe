"""Serve the classroom page at / and the workshop facilitator's page at /workshop (app.page.routes)
with Solara's server (uvicorn + starlette), fully offline.

The environment is set before Solara is imported, since its settings are read at import:
the front-end comes from the `solara-assets` package through Solara's local asset cache, and the
CDN Solara would fall back to for a missing file is pointed at a closed local port, so a page
never fetches anything from the internet; telemetry and the version check are off.
"""

from __future__ import annotations

import os
import warnings

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
#: Defaults that the environment may override: a page closed (or a laptop asleep) for this long
#: loses its run, which also stops a Play left running in it.
DEFAULT_ENV: dict[str, str] = {"SOLARA_KERNEL_CULL_TIMEOUT": "20m"}


def configure_environment(host: str, port: int) -> None:
    """Set the variables Solara reads at import (CGI-style SERVER_NAME/PORT as `solara run` does)."""
    for key, value in DEFAULT_ENV.items():
        os.environ.setdefault(key, value)
    os.environ.update(OFFLINE_ENV)
    os.environ["SERVER_NAME"] = host
    os.environ["SERVER_PORT"] = str(port)


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, log_level: str = "warning") -> None:
    """Run the server until interrupted."""
    configure_environment(host, port)
    import uvicorn

    # Solara warns on every page load that a cookie cannot be cross-site without https; the page
    # is never embedded in another site, so that warning says nothing here.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)
    print(f"Classroom app: open http://{host}:{port}/ in a browser; the workshop facilitator's page is "
          f"http://{host}:{port}/workshop (Ctrl+C stops it)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level=log_level)
