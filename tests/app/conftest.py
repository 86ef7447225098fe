"""The app's tests keep Solara's files out of the user's home (SOLARA_HOME in a temporary folder,
removed at exit) and never send telemetry. Set before any test module imports Solara."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

if "SOLARA_HOME" not in os.environ:
    _home = tempfile.mkdtemp(prefix="sahel-solara-home-")
    os.environ["SOLARA_HOME"] = _home
    atexit.register(shutil.rmtree, _home, ignore_errors=True)
os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
