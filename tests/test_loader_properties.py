"""Property tests: mutated world, configuration (sweep), priors, timeline, calibration and plausibility
facts files are either loaded or refused with the project's error naming the file, never another
exception. Each example's time is bounded by hypothesis's deadline; a few examples run by default, many
more under -m slow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from yaml_mutations import mutated, retyped, write_mutated

from analysis.observed import DEFAULT_TIMELINE
from analysis.plausibility_facts import FactsError, check_codes, load_facts
from sim.battery import DEFAULT_FACTS, experiment_names
from sim.calibration_verdict import CALIBRATED_CONFIG, choose_set, read_verdict, verdict_path
from sim.config import CONF_DIR, check_conf_files, compose_config
from sim.core.params import ConfigError
from sim.core.world import World, WorldError, load_world, scenario_path
from sim.hindcast_scoring import DEFAULT_WORLD, observed_events
from sim.priors import DEFAULT_PRIORS_FILE, load_priors

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny_world.yaml"
FAST = settings(max_examples=15, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
MANY = settings(max_examples=400, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
# a calibration's values are composed with conf/ by Hydra twice an example (the loader's check and the test's),
# about 0.3 s each on the 2-core machine, more under load: a longer deadline, still bounded
COMPOSED = {"deadline": 5000, "suppress_health_check": [HealthCheck.function_scoped_fixture]}
FACTS = DEFAULT_FACTS.read_text(encoding="utf-8")
TIMELINE = DEFAULT_TIMELINE.read_text(encoding="utf-8")
CALIBRATION = CALIBRATED_CONFIG.read_text(encoding="utf-8")
B01_ACTORS = "  actors:\n  - Mali\n  - Capt. Amadou Sanogo (CNRDR)\n  - Pres. Amadou Toumani Toure\n"


def mutated_or_retyped(text: str) -> st.SearchStrategy[str]:
    """Text-level mutations, or entries of the data dropped or given another type."""
    return st.one_of(mutated(text), retyped(text))


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


def _timeline(path: Path, text: str, world: World) -> None:
    write_mutated(path, text)
    try:
        observed_events(path, world)  # read and mapped to the model's events, as the hindcast and calibration do
    except ValueError as exc:
        assert str(path) in str(exc)


def _calibration(path: Path, text: str) -> None:
    """A calibration kept outside conf/ (forecast --calibration), whose verdict says use it: its values
    become overrides, which are checked as the forecast checks them before any run."""
    write_mutated(path, text)
    shutil.copy(verdict_path(CALIBRATED_CONFIG), verdict_path(path))
    verdict = verdict_path(path)
    verdict.write_text(verdict.read_text(encoding="utf-8").replace('"use_calibrated": false', '"use_calibrated": true'))
    try:
        chosen = choose_set([], path, verdict)
    except ValueError as exc:
        assert str(path) in str(exc)
    else:  # the forecast composes the configuration with them: a value it refuses is the file's fault
        compose_config(chosen.overrides)


def _verdict(path: Path, text: str) -> None:
    write_mutated(path, text)
    try:
        read_verdict(path)
    except ValueError as exc:
        assert str(path) in str(exc)


def _facts(path: Path, text: str, world: World) -> None:
    write_mutated(path, text)
    try:
        facts = load_facts(path, experiment_names() + ["baseline"])
        check_codes(facts, world.states, world.powers, world.blocs, path)  # as python -m sim.plausibility does
    except FactsError as exc:
        assert str(path) in str(exc)


@pytest.fixture(scope="module")
def hindcast_world() -> World:
    return load_world(scenario_path(DEFAULT_WORLD))


@pytest.fixture(scope="module")
def sahel_world() -> World:
    return load_world(scenario_path("sahel_2024"))


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


@FAST
@given(text=mutated_or_retyped(TIMELINE))
# found by the property: an event that is no mapping (AttributeError), actors that are no list (TypeError);
# actors given as one string loaded, read letter by letter (now refused: tests/sim/test_input_loaders.py)
@example(text=TIMELINE.replace("- id: B01\n", "- 5\n- id: B01\n", 1))
@example(text=TIMELINE.replace(B01_ACTORS, "  actors: 5\n", 1))
@example(text=TIMELINE.replace(B01_ACTORS, "  actors: Mali\n", 1))
def test_a_mutated_timeline_is_loaded_or_refused(tmp_path, hindcast_world, text):
    _timeline(tmp_path / "t.yaml", text, hindcast_world)


@settings(max_examples=15, **COMPOSED)
@given(text=mutated_or_retyped(CALIBRATION))
# found by the property: values the configuration refuses (an unknown key, a weight out of range) passed and
# were refused later by the forecast as if typed on its command line
@example(text=CALIBRATION.replace("  junta:\n    security: 1.48", "  junta:\n    security: -1", 1))
@example(text=CALIBRATION.replace("hazards:\n", "hazard:\n", 1))
def test_a_mutated_calibration_is_loaded_or_refused(tmp_path, text):
    _calibration(tmp_path / "calibrated.yaml", text)


@FAST
@given(text=mutated(verdict_path(CALIBRATED_CONFIG).read_text(encoding="utf-8")))
def test_a_mutated_calibration_verdict_is_loaded_or_refused(tmp_path, text):
    _verdict(tmp_path / "calibrated_verdict.json", text)


@FAST
@given(text=mutated_or_retyped(FACTS))
# found by the property (400 examples): a metric that is a list raised TypeError (unhashable), an impossible
# unquoted date a bare ValueError without the file's name
@example(text=FACTS.replace("metric: coups_per_100_state_years", "metric: [1, 2]", 1))
@example(text=FACTS.replace("as_of: '2023-12'", "as_of: 2023-06-31", 1))
def test_a_mutated_facts_file_is_loaded_or_refused(tmp_path, sahel_world, text):
    _facts(tmp_path / "facts.yaml", text, sahel_world)


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


@pytest.mark.slow
@MANY
@given(text=mutated_or_retyped(TIMELINE))
def test_many_mutated_timelines(tmp_path, hindcast_world, text):
    _timeline(tmp_path / "t.yaml", text, hindcast_world)


@pytest.mark.slow
@settings(max_examples=400, **COMPOSED)
@given(text=mutated_or_retyped(CALIBRATION))
def test_many_mutated_calibrations(tmp_path, text):
    _calibration(tmp_path / "calibrated.yaml", text)


@pytest.mark.slow
@MANY
@given(text=mutated(verdict_path(CALIBRATED_CONFIG).read_text(encoding="utf-8")))
def test_many_mutated_calibration_verdicts(tmp_path, text):
    _verdict(tmp_path / "calibrated_verdict.json", text)


@pytest.mark.slow
@MANY
@given(text=mutated_or_retyped(FACTS))
def test_many_mutated_facts_files(tmp_path, sahel_world, text):
    _facts(tmp_path / "facts.yaml", text, sahel_world)
