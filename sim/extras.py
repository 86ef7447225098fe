"""The package's optional extras (pyproject.toml's [project.optional-dependencies]) as the commands
see them: which importable modules each brings, and the one-line message a command gives instead of
an ImportError when it needs an extra that is not installed.

The core install (`pip install sahel-influence`) runs single runs, local sweeps, the forecast, the
hindcast, the calibration and the workshop; `[sweep]` adds the Dask engine (`engine=dask`), PRIM
scenario discovery in sweep reports (EMA Workbench) and Hydra's joblib launcher; `[app]` adds the
classroom app (Solara and its widget libraries); `[all]` is both. tests/test_packaging.py checks
this table against pyproject.toml.
"""

from __future__ import annotations

import importlib.util
import sys

PACKAGE = "sahel-influence"

#: Extra -> the modules it makes importable (the distributions are listed in pyproject.toml).
EXTRA_MODULES: dict[str, tuple[str, ...]] = {
    "sweep": ("distributed", "ema_workbench", "hydra_plugins.hydra_joblib_launcher"),
    "app": ("solara", "solara_assets", "ipyvue", "ipyvuetify"),
}


def installed(module: str) -> bool:
    """Whether `module` can be imported (found without importing it; a module blocked in
    sys.modules with None counts as missing, as `import` would fail)."""
    if module in sys.modules:
        return sys.modules[module] is not None
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a missing parent package, or a blocked one
        return False


def install_hint(extra: str) -> str:
    """The command that installs an extra, for a user of the package and for a clone."""
    return f"pip install '{PACKAGE}[{extra}]' (in a clone: make setup, which installs every extra)"


def missing_extra(extra: str, what: str, modules: tuple[str, ...] | None = None) -> str | None:
    """None when the modules `what` needs (default: all of the extra's) are installed, else one
    sentence naming what needs them, the missing modules and the install command."""
    need = EXTRA_MODULES[extra] if modules is None else modules
    missing = [m for m in need if not installed(m)]
    if not missing:
        return None
    return (
        f"{what} needs the optional '{extra}' extra, which is not installed (no module "
        f"{', '.join(missing)}). Install it with: {install_hint(extra)}."
    )


def launcher_problem(args: list[str]) -> str | None:
    """The missing-extra sentence when the command line chooses Hydra's joblib launcher
    (hydra/launcher=joblib) and its plugin is not installed, else None."""
    for arg in args:
        key, _, value = arg.lstrip("+").partition("=")
        if key == "hydra/launcher" and value == "joblib":
            return missing_extra(
                "sweep", "Hydra's joblib launcher (hydra/launcher=joblib)", ("hydra_plugins.hydra_joblib_launcher",)
            )
    return None
