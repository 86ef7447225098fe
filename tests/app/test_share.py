"""A run as a link (app.share): settings -> query string -> the same settings, for any settings the
page's controls can make; bad or tampered values named in one message, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog import experiments
from app.settings import KNOBS, WEIGHT_RANGE, Settings, scenario_defaults
from app.share import MAX_QUERY_CHARS, MONTH_RANGE, Shared, from_query, problem_message, to_query
from sim.core.params import ConfigError
from sim.core.vocabulary import REGIMES, TERMS


def _loads(world: str, experiment: str) -> bool:
    try:
        scenario_defaults(world, experiment)
    except ConfigError:  # e.g. an experiment that cancels a commitment the 2020 world does not have
        return False
    return True


#: The world and experiment pairs the page can run.
PAIRS = [(w, e) for w in ("sahel_2024", "hindcast_2020") for e in (c.name for c in experiments()) if _loads(w, e)]


def _slider(low: float, high: float, step: float) -> st.SearchStrategy[float]:
    """A value a slider gives (its grid), or any value the page's rounding to 3 decimals gives."""
    grid = st.integers(0, round((high - low) / step)).map(lambda k: round(low + k * step, 3))
    return st.one_of(grid, st.floats(low, high, allow_nan=False).map(lambda x: min(max(round(x, 3), low), high)))


@st.composite
def page_settings(draw: st.DrawFn) -> Settings:
    """Settings as the controls make them: a world and experiment, a seed, some weights and knobs moved."""
    out = scenario_defaults(*draw(st.sampled_from(PAIRS))).with_seed(draw(st.integers(0, 2**63 - 1)))
    for regime, term in draw(st.lists(st.tuples(st.sampled_from(REGIMES), st.sampled_from(TERMS)), max_size=5)):
        out = out.with_weight(regime, term, draw(_slider(*WEIGHT_RANGE)))
    for power, knob in draw(
        st.lists(st.tuples(st.sampled_from(list(out.powers)), st.sampled_from(list(KNOBS))), max_size=5)
    ):
        out = out.with_knob(power, knob, draw(_slider(*KNOBS[knob])))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page_settings(), st.integers(*MONTH_RANGE))
def test_a_link_restores_the_settings_and_the_month(chosen: Settings, month: int):
    back = from_query(to_query(chosen, month))
    assert back == Shared(chosen, month, ())


def test_the_link_names_only_what_differs_from_the_world():
    s = scenario_defaults("sahel_2024", "us_stays").with_seed(7).with_weight("junta", "sovereignty", 2.5)
    s = s.with_knob("RUS", "overstretch", 0.9)
    assert to_query(s, 18) == (
        "world=sahel_2024&experiment=us_stays&seed=7&month=18&junta.sovereignty=2.5&RUS.overstretch=0.9"
    )
    assert to_query(scenario_defaults()) == "world=sahel_2024&experiment=none&seed=0&month=0"


def test_an_empty_link_is_the_default_run():
    assert from_query("") == from_query(None) == from_query("?") == Shared(scenario_defaults(), 0, ())


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("seed=-1", "seed '-1' is not a whole number from 0 to 9,223,372,036,854,775,807"),
        ("seed=abc", "seed 'abc' is not a whole number"),
        ("seed=3.5", "seed '3.5' is not a whole number"),
        ("seed=99999999999999999999", "seed '99999999999999999999' is not a whole number"),
        ("month=601", "month '601' is not a whole number from 0 to 600"),
        ("month=", "month '' is not a whole number"),
        ("world=mars", "world 'mars' is not one of hindcast_2020, sahel_2024"),
        ("world=../../etc/passwd", "world '../../etc/passwd' is not one of"),
        ("experiment=us_leaves", "experiment 'us_leaves' is not one of none, "),
        ("junta.sovereignty=nan", "junta.sovereignty 'nan' is not a number from 0 to 5"),
        ("junta.sovereignty=inf", "junta.sovereignty 'inf' is not a number from 0 to 5"),
        ("junta.sovereignty=-0.5", "junta.sovereignty '-0.5' is not a number from 0 to 5"),
        ("RUS.overstretch=7", "RUS.overstretch '7' is not a number from 0 to 1"),
        ("XYZ.overstretch=0.5", "'XYZ.overstretch' is not a setting of this page"),
        ("junta.courage=1", "'junta.courage' is not a setting of this page"),
        ("foo=1&bar=2", "'foo', 'bar' are not settings of this page"),
        ("seed=1&seed=2", "'seed' is given twice (the first one used)"),
        ("seed=%FF%FE", "seed '\ufffd\ufffd' is not a whole number"),
    ],
)
def test_bad_values_are_named_and_fall_back(query: str, named: str):
    shared = from_query(query)
    message = problem_message(shared.problems)
    assert named in message
    assert message.startswith("This link's settings could not all be used: ")
    assert "\n" not in message
    default = scenario_defaults()
    if "seed" not in query:
        assert shared.settings.seed == 0
    if query.startswith(("junta", "RUS", "foo", "XYZ", "world", "experiment")):
        assert shared.settings == default  # nothing usable: the default run
    assert shared.month == 0


def test_a_bad_value_leaves_the_rest_of_the_link_applied():
    shared = from_query(
        "world=sahel_2024&experiment=coup_wave&seed=oops&month=12&junta.sovereignty=9&civilian.economic=1.5"
    )
    expected = scenario_defaults("sahel_2024", "coup_wave").with_weight("civilian", "economic", 1.5)
    assert shared.settings == expected and shared.month == 12
    assert len(shared.problems) == 2


def test_a_world_and_experiment_that_do_not_fit_fall_back():
    shared = from_query("world=hindcast_2020&experiment=france_draws_down&seed=4")
    assert shared.settings == scenario_defaults().with_seed(4)
    assert "world 'hindcast_2020' with experiment 'france_draws_down' cannot be loaded" in shared.problems[0]


def test_an_overlong_link_is_refused_whole():
    shared = from_query("seed=1&" + "x" * MAX_QUERY_CHARS)
    assert shared.settings == scenario_defaults() and shared.month == 0
    assert "characters long" in problem_message(shared.problems)


def test_no_problem_no_message():
    assert problem_message(()) == ""
