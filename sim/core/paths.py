"""Where the configuration folder (conf/) and the world files (scenarios/) are: the one place that says it.

In a checkout they are the repository's top-level folders, next to the package. An installed wheel
ships them inside the package as sim/_data/conf and sim/_data/scenarios (pyproject.toml maps the
two folders onto those package names), found here with importlib.resources. Everything that reads a
config or a world asks `conf_dir()` or `scenario_dir()`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: The repository's root when the package runs from a checkout (sim/core/paths.py -> the root).
REPO_ROOT = Path(__file__).resolve().parents[2]


class DataNotFoundError(RuntimeError):
    """The package's configs or world files cannot be found (a broken install)."""


def in_checkout() -> bool:
    """True when the package runs from a source checkout: conf/, scenarios/ and pyproject.toml at the root."""
    return (
        (REPO_ROOT / "pyproject.toml").is_file()
        and (REPO_ROOT / "conf" / "config.yaml").is_file()
        and (REPO_ROOT / "scenarios").is_dir()
    )


def _packaged(name: str) -> Path:
    """A data folder shipped in the wheel (sim/_data/NAME), as a real folder (Hydra reads folders)."""
    found = resources.files("sim").joinpath("_data", name)
    path = Path(str(found))
    if not path.is_dir():
        raise DataNotFoundError(
            f"The package's {name}/ folder is missing: looked for {path} (installed package data) and for "
            f"{REPO_ROOT / name} (a source checkout). Reinstall the package from its wheel "
            f"(pip install --force-reinstall sahel-influence), or run from a clone of the repository."
        )
    return path


def data_dir(name: str) -> Path:
    """The folder `name` ('conf' or 'scenarios'): the repository's in a checkout, else the packaged copy."""
    return REPO_ROOT / name if in_checkout() else _packaged(name)


def conf_dir() -> Path:
    """Hydra's configuration folder (config.yaml, the groups, the priors and the plausibility facts)."""
    return data_dir("conf")


def scenario_dir() -> Path:
    """The folder of the world files (NAME.yaml), the map outlines and the reference timeline."""
    return data_dir("scenarios")
