"""Property tests: mutated world, configuration (sweep) and priors files are either loaded or refused
with the project's error naming the file, never another exception. Each example's time is bounded by
hypothesis's deadline; a few examples run by default, many more under -m slow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from yaml_mutations import mutated, write_mutated

from sim.config import CONF_DIR, check_conf_files
from sim.core.params import ConfigError
from sim.core.world import WorldError, load_world
from sim.priors import DEFAULT_PRIORS_FILE, load_priors

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny_world.yaml"
FAST = settings(max_examples=15, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
MANY = settings(max_examples=400, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _world(path: Path, text: str) -> None:
    write_mutated(path, text)
    try:
        load_world(path)
    except WorldError as exc:
        assert str(path) in str(exc) and "Traceback" not in str(exc)


def _sweep(conf: Path, text: str) -> None:
    write_mutated(conf / "sweep" / "mutant.yaml", text)
    try:
        check_conf_files("sweep_app", ["sweep=mutant"], conf)
    except ConfigError as exc:
        assert "mutant.yaml" in str(exc)


def _priors(path: Path, text: str) -> None:
    write_mutated(path, text)
    try:
        load_priors(path)
    except ConfigError as exc:
        assert str(path) in str(exc)


@pytest.fixture(scope="module")
def conf(tmp_path_factory) -> Path:
    return shutil.copytree(CONF_DIR, tmp_path_factory.mktemp("c") / "conf")


@FAST
@given(text=mutated(TINY.read_text(encoding="utf-8")))
def test_a_mutated_world_is_loaded_or_refused(tmp_path, text):
    _world(tmp_path / "w.yaml", text)


@FAST
@given(text=mutated((CONF_DIR / "sweep" / "demo_lhs.yaml").read_text(encoding="utf-8")))
def test_a_mutated_sweep_file_is_read_or_refused_before_hydra(conf, text):
    _sweep(conf, text)


@FAST
@given(text=mutated(DEFAULT_PRIORS_FILE.read_text(encoding="utf-8")))
def test_a_mutated_priors_file_is_loaded_or_refused(tmp_path, text):
    _priors(tmp_path / "p.yaml", text)


@pytest.mark.slow
@MANY
@given(text=mutated(TINY.read_text(encoding="utf-8")))
def test_many_mutated_worlds(tmp_path, text):
    _world(tmp_path / "w.yaml", text)


@pytest.mark.slow
@MANY
@given(text=mutated((CONF_DIR / "sweep" / "demo_lhs.yaml").read_text(encoding="utf-8")))
def test_many_mutated_sweep_files(conf, text):
    _sweep(conf, text)


@pytest.mark.slow
@MANY
@given(text=mutated(DEFAULT_PRIORS_FILE.read_text(encoding="utf-8")))
def test_many_mutated_priors_files(tmp_path, text):
    _priors(tmp_path / "p.yaml", text)
