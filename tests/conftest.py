"""Shared fixtures of the test suite: the tiny hand-checkable world, a base configuration and an
environment for subprocess runs of the CLI.

The tiny world (tests/fixtures/tiny_world.yaml) has three states on a path MLI - NER - BEN, two
powers (USA, RUS), one insurgent group (JNIM), two blocs (ECOWAS, AES), one shared base in Niger,
a US withdrawal from Niger ending at step 2 and a scripted coup in Benin at step 3.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

# The real `analysis` and `app` packages are imported first: otherwise --import-mode=importlib registers
# the test packages tests/analysis/ and tests/app/ under the same names, and `analysis.metrics`,
# `app.games` and the rest are then found by whatever other finder knows the name (an editable install
# of another checkout), not in this tree.
import analysis  # noqa: F401
import app  # noqa: F401
from sim.config import compose_config
from sim.core.params import Config
from sim.core.world import World, load_world

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY_WORLD = FIXTURES / "tiny_world.yaml"
# Indices in the tiny world follow the order of its lists: states NER=0, MLI=1, BEN=2; powers
# USA=0, RUS=1; blocs ECOWAS=0, AES=1; one base. Test modules repeat the ones they use (with
# --import-mode=importlib they cannot import this conftest).

BASE_OVERRIDES = ["run.steps=6", "run.plots=false"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Real-browser tests are also `slow`: they take minutes in all, so `make test` (-m "not slow")
    leaves them to `make test-slow`, which CI runs."""
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def tiny_world_path() -> Path:
    """Path of the tiny world file."""
    return TINY_WORLD


@pytest.fixture(scope="session")
def _base_cfg_once() -> Config:
    return compose_config(BASE_OVERRIDES)


@pytest.fixture
def base_cfg(_base_cfg_once: Config) -> Config:
    """The composed baseline configuration with a 6-month horizon and no plots (a fresh copy)."""
    return copy.deepcopy(_base_cfg_once)


@pytest.fixture
def tiny_world(tiny_world_path: Path, base_cfg: Config) -> World:
    """The tiny world loaded the way the model loads a scenario (with the config's scenario knobs)."""
    return load_world(tiny_world_path, base_cfg.scenario)


@pytest.fixture(scope="session")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for `python -m sim` subprocesses: HOME and MPLCONFIGDIR in a temporary folder,
    so that nothing is written to the user's home or matplotlib cache."""
    home = tmp_path_factory.mktemp("home")
    env = dict(os.environ)
    env["HOME"] = str(home)
    env["MPLCONFIGDIR"] = str(home / "mpl")
    env["MPLBACKEND"] = "Agg"
    env.pop("PYTHONWARNINGS", None)
    return env
