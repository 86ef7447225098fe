"""Many histories and the control of time on the classroom page, rendered in-process: the page's
sentences against counts taken straight from the batched driver with the same seeds, Run to
month, Play's speed, the event filters and the map's click targets."""

from __future__ import annotations

import re
import time

import ipyvuetify as v
import pytest
import solara

import app.page as page_module
from app.ensemble import leader_sentence, run_ensemble
from app.page import Page
from app.session import RunSession, filter_events, month_label
from app.settings import build_config, scenario_defaults
from sim.ensemble import run_batch

SEEDS = list(range(10))
MONTH = 36


@pytest.fixture
def rendered():
    box, rc = solara.render(Page(), handle_error=False)
    yield rc
    rc.close()


def _texts(rc, css_class: str) -> list[str]:
    return [w.children[0] for w in rc.find(v.Html, class_=css_class).widgets]


def _click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def _select(rc, label: str):
    return rc.find(v.Select, label=label).widget


def _wait_for(rc, css_class: str, count: int = 1, timeout: float = 60.0) -> list[str]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        texts = _texts(rc, css_class)
        if len(texts) >= count:
            return texts
        time.sleep(0.1)
    raise AssertionError(f"no {css_class} after {timeout} s")


def _headlines(rc) -> list[str]:
    """The headlines of the event feed as shown."""
    (feed,) = [w for w in rc.find(solara.widgets.HTML).widgets if w.attributes.get("class") == "sahel-events"]
    return re.findall(r'sahel-event-headline">([^<]*)<', feed.unsafe_innerHTML)


def _until(rc, done, timeout: float = 20.0) -> list[str]:
    """The feed's headlines once `done(headlines)` holds (the page re-renders in its own time while a
    thread of it has just redrawn), or as they are after `timeout` seconds."""
    end = time.monotonic() + timeout
    while not done(headlines := _headlines(rc)) and time.monotonic() < end:
        time.sleep(0.05)
    return headlines


def _panels(rc) -> list[str]:
    """The seed line at the top of each setting's panel."""
    return [t.split(";")[0] for t in _texts(rc, "sahel-note") if t.startswith("Seeds ")]


def _direct_counts(experiment: str = "none") -> tuple[dict[str, int], int, int]:
    """Who leads Niger at month 36 in how many of seeds 0-9, the histories with a failed coup attempt
    in Niger and those with a Russian deployment to Niger, straight from run_batch."""
    cfg = build_config(scenario_defaults("sahel_2024", experiment))
    recorder = run_batch(cfg, SEEDS, steps=MONTH)
    states = recorder.states_table()
    niger = states[(states["step"] == MONTH) & (states["state"] == "NER")]
    leaders = niger["leading_partner"].astype(str).value_counts().to_dict()
    ev = recorder.events_table()
    attempts = ev[(ev["state"] == "NER") & (ev["type"] == "coup_attempt")]["run"].nunique()
    deploys = ev[(ev["state"] == "NER") & (ev["type"] == "deploy") & (ev["power"] == "RUS")]["run"].nunique()
    return leaders, attempts, deploys


def _expected_leader_sentence(leaders: dict[str, int]) -> str:
    names = {
        "RUS": "Russia",
        "CHN": "China",
        "USA": "United States",
        "FRA": "France",
        "TUR": "Turkey",
        "none": "no power",
    }
    ranked = sorted(leaders.items(), key=lambda kv: (-kv[1], kv[0]))
    (first, k), *rest = ranked
    text = f"In {k} of 10 histories {names[first]} leads Niger at month 36 (May 2027)"
    return text + (f"; {'; '.join(f'{names[p]} in {c}' for p, c in rest)}." if rest else ".")


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_many_histories_state_the_counts_of_the_batched_driver(rendered):
    rc = rendered
    _click(rc, "Many histories")
    _click(rc, "Run histories")
    sentences = _wait_for(rc, "sahel-ens-sentence")
    leaders, attempts, deploys = _direct_counts()
    assert sum(leaders.values()) == 10
    assert sentences[0] == _expected_leader_sentence(leaders)
    attempt_lines = [s for s in sentences if s.endswith(".") and "Coup attempt fails in Niger" in s]
    deploy_lines = [s for s in sentences if "Russia deploys troops to Niger" in s]
    assert attempt_lines and attempt_lines[0].startswith(f"In {attempts} of 10 histories:")
    assert deploy_lines and deploy_lines[0].startswith(f"In {deploys} of 10 histories:")
    assert any(s.startswith("Median influence share at month 36 (May 2027)") for s in sentences)
    assert len(_panels(rc)) == 1  # one setting, one panel
    # the fan chart's text alternative names the powers in the order of the median sentence
    (fan,) = [w.attributes["aria-label"] for w in rc.find(v.Html, class_="sahel-alt-image").widgets]
    assert fan.startswith("Fan chart of 10 histories at month 36: median influence share of each power, ")
    median = next(s for s in sentences if s.startswith("Median influence share at month 36"))
    names = ("United States", "France", "Russia", "China", "Turkey")
    assert sorted(names, key=fan.index) == sorted(names, key=median.index)


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_two_settings_side_by_side(rendered):
    rc = rendered
    _click(rc, "Many histories")
    _select(rc, "Compare with").v_model = "us_stays"
    _click(rc, "Run histories")
    end = time.monotonic() + 60
    while len(_panels(rc)) < 2 and time.monotonic() < end:
        time.sleep(0.1)
    assert _panels(rc) == ["Seeds 0 to 9"] * 2
    sentences = _texts(rc, "sahel-ens-sentence")
    leader_lines = [s for s in sentences if " leads Niger at month 36" in s]
    assert leader_lines[0] == _expected_leader_sentence(_direct_counts()[0])
    assert leader_lines[1] == _expected_leader_sentence(_direct_counts("us_stays")[0])


def test_a_single_seed_history_is_the_pages_run():
    """Run r of the ensemble is the history a single run with that seed gives."""
    settings = scenario_defaults().with_seed(3)
    ens = run_ensemble(settings, 2, 12)
    session = RunSession(settings)
    session.step(12)
    assert ens.seeds == (3, 4)
    assert ens.leaders[0, 12, 0] == session.details("NER").leading_partner
    assert leader_sentence(ens, 12, "NER").startswith("In ")


def _run_to(rc, month: int) -> None:
    """Type the month, press Run to and wait until the run is there (it runs in a thread)."""
    rc.find(v.TextField, label="Run to month").widget.v_model = str(month)
    _click(rc, "Run to")
    end = time.monotonic() + 60
    while (
        _texts(rc, "sahel-month") != [f"Month {month}"] or rc.find(v.Btn, children=["Run to"]).widgets == []
    ) and time.monotonic() < end:
        time.sleep(0.05)


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_run_to_month(rendered):
    rc = rendered
    _run_to(rc, 36)
    assert _texts(rc, "sahel-month") == ["Month 36"]
    assert _texts(rc, "sahel-date") == [month_label("2027-05")]
    assert rc.find(v.Btn, children=["Run to"]).widget.disabled  # it cannot go back


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_speed_sets_plays_interval(rendered):
    rc = rendered
    speed = _select(rc, "Speed")
    assert speed.v_model == page_module.NORMAL_SPEED
    assert page_module.play_interval("fast (4 months / s)") == 0.25
    speed.v_model = "fastest (10 months / s)"
    assert page_module.play_interval(speed.v_model) == 0.1


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_event_filters(rendered):
    rc = rendered
    _run_to(rc, 36)
    every = _headlines(rc)
    assert len(every) > 10
    _select(rc, "Events of").v_model = "Niger"
    niger = _until(rc, lambda h: len(h) < len(every))
    same = RunSession()  # the page's first run: the baseline, seed 0
    same.step(36)
    assert niger == [line.headline for line in filter_events(same.event_lines(), state="NER")]
    assert niger and len(niger) < len(every)
    _select(rc, "Kind").v_model = "coup attempt"
    attempts = _until(rc, lambda h: len(h) < len(niger))
    assert attempts and set(attempts) == {"Coup attempt fails in Niger"}
    _select(rc, "Events of").v_model = "all states"
    assert len(_until(rc, lambda h: len(h) > len(attempts))) > len(attempts)


def test_filter_events_logic():
    session = RunSession()
    session.step(24)
    lines = session.event_lines()
    rus = filter_events(lines, power="RUS")
    assert rus and all(line.power == "RUS" for line in rus)
    assert filter_events(lines) == lines


def test_clicking_a_capital_selects_its_state(rendered):
    rc = rendered
    spots = rc.find(v.Btn, class_="sahel-map-spot").widgets
    assert len(spots) == 19
    assert _select(rc, "State").v_model == "Niger"
    next(b for b in spots if b.children == ["Chad"]).click()
    assert _select(rc, "State").v_model == "Chad"


def test_click_targets_sit_on_the_capitals():
    """Each target is inside the picture, and the capitals' order on the map is kept (Dakar is left
    of Niamey, Tripoli above Niamey)."""
    from app.frames import FrameMaker

    spots = {code: (left, top) for code, left, top in FrameMaker(RunSession()).capitals()}
    assert all(0 < left < 100 and 0 < top < 100 for left, top in spots.values())
    assert spots["SEN"][0] < spots["NER"][0] and spots["LBY"][1] < spots["NER"][1]
