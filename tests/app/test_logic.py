"""The classroom app's logic without a browser: the scenario catalogue, settings and their
overrides, the session's run and history, event lines and the pictures."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from analysis.metrics import influence_share
from app.catalog import EXPERIMENT_DIR, NO_EXPERIMENT, experiments, worlds
from app.figures import AffinityChart, MapView, ShareChart
from app.frames import FrameMaker
from app.markup import events_html, facts_html
from app.session import RunSession, month_label
from app.settings import build_config, command_line, overrides, scenario_defaults
from sim.config import compose_config, precheck_overrides
from sim.core.params import ConfigError
from sim.core.vocabulary import TERMS
from sim.core.world import SCENARIO_DIR

PNG = b"\x89PNG\r\n\x1a\n"


def test_catalogue_lists_every_world_and_experiment():
    assert [c.name for c in worlds()] == sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))
    names = [c.name for c in experiments()]
    assert names[0] == NO_EXPERIMENT
    assert names[1:] == sorted(p.stem for p in EXPERIMENT_DIR.glob("*.yaml"))
    assert all(c.description and "@package" not in c.description for c in experiments())


def test_a_hostile_world_file_is_listed_without_being_expanded(tmp_path):
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(9)
    ]
    (tmp_path / "laughs.yaml").write_text(
        "# Billion laughs\nmeta: {title: never read}\n" + "\n".join(laughs) + "\n", encoding="utf-8"
    )
    (tmp_path / "ok.yaml").write_text("meta: {title: A small world}\n", encoding="utf-8")
    (tmp_path / "bytes.yaml").write_bytes(b"meta: {title: \xff}\n")
    assert [(c.name, c.description) for c in worlds(tmp_path)] == [
        ("bytes", "bytes"),
        ("laughs", "Billion laughs"),
        ("ok", "A small world"),
    ]


def test_defaults_follow_the_configuration_and_the_experiment():
    base, cfg = scenario_defaults(), compose_config([])
    for regime in ("civilian", "junta"):
        assert base.weights[regime] == {t: getattr(getattr(cfg.incentives, regime), t) for t in TERMS}
    assert base.powers["USA"] == {"budget_factor": 1.0, "colonial_baggage": 0.3, "overstretch": 0.2}
    rus = scenario_defaults(experiment="russia_overstretched").powers["RUS"]
    assert rus == {"budget_factor": 0.6, "colonial_baggage": 0.05, "overstretch": 0.85}
    assert overrides(base) == [] and command_line(base) == "python -m sim"


def test_changed_settings_become_minimal_overrides_that_build_the_run():
    s = (
        scenario_defaults(experiment="russia_overstretched")
        .with_seed(3)
        .with_weight("junta", "sovereignty", 2.0)
        .with_knob("RUS", "overstretch", 0.3)
        .with_knob("FRA", "budget_factor", 1.5)
    )
    assert overrides(s) == [
        "experiment=russia_overstretched",
        "seed=3",
        "incentives.junta.sovereignty=2",
        "++scenario.powers.FRA.budget_factor=1.5",
        "++scenario.powers.RUS.overstretch=0.3",
    ]
    cfg = build_config(s)
    assert cfg.seed == 3 and cfg.incentives.junta.sovereignty == 2.0
    assert cfg.scenario.powers["RUS"].overstretch == 0.3 and cfg.scenario.powers["RUS"].budget_factor == 0.6
    assert cfg.scenario.powers["FRA"].budget_factor == 1.5
    assert precheck_overrides(overrides(s)) is None  # the command shown on the page is valid for python -m sim


def test_session_steps_records_history_and_resets():
    session = RunSession()
    assert (session.month, session.date) == (0, "2024-05")
    session.step(5)
    assert (session.month, session.date) == (5, "2024-10")
    shares = session.share_history()
    assert shares.shape == (6, len(session.world.powers))
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    # the same numbers as analysis.metrics on the run's own tables
    rec = session.model.recorder
    table = influence_share(rec.ties_table(), rec.states_table())
    last = table[table["step"] == 5].set_index("power")["share"].reindex(session.world.powers)
    np.testing.assert_allclose(shares[-1], last.to_numpy())
    niger = session.world.states.index("NER")
    np.testing.assert_allclose(session.affinity_history("NER")[-1], session.model.state.affinity[niger, :, 0])

    changed = session.settings.with_weight("junta", "sovereignty", 4.0)
    session.reset(changed)
    assert session.month == 0 and len(session.share_history()) == 1
    assert session.model.cfg.incentives.junta.sovereignty == 4.0


def test_a_bad_setting_leaves_the_run_as_it_was():
    session = RunSession()
    session.step(2)
    with pytest.raises(ConfigError):
        session.reset(session.settings.with_knob("USA", "budget_factor", 50.0))
    assert session.month == 2 and session.settings.powers["USA"]["budget_factor"] == 1.0


def test_same_settings_same_history():
    a, b = RunSession(), RunSession()
    a.step(8)
    b.step(8)
    np.testing.assert_array_equal(a.share_history(), b.share_history())
    assert [e.cause for e in a.event_lines()] == [e.cause for e in b.event_lines()]


def test_event_lines_are_newest_first_with_headlines_and_causes():
    session = RunSession()
    session.step(6)
    lines = session.event_lines()
    assert lines and len(lines) == len(session.model.events)
    assert [x.step for x in lines] == sorted((x.step for x in lines), reverse=True)
    assert all("{" not in x.headline for x in lines)  # the catalogue's headlines, every name filled in
    withdrawal = next(x for x in lines if x.type == "withdraw_complete")
    assert withdrawal.headline == "The last United States forces leave Niger" and withdrawal.scripted
    assert all(x.cause for x in lines if not x.scripted)
    assert len(session.event_lines(3)) == 3


def test_a_cause_that_repeats_the_headline_keeps_the_reason_only():
    from app.session import event_line
    from sim.core.events import Event

    session = RunSession()
    w = session.world
    ner, usa = w.states.index("NER"), w.powers.index("USA")
    event = Event(
        run=0,
        step=3,
        type="reengage",
        state=ner,
        power=usa,
        cause="United States re-engages with Niger, which once ordered its forces out: a civilian government again",
    )
    line = event_line(w, event)
    assert line.headline == "United States re-engages with Niger"
    assert line.cause == "which once ordered its forces out: a civilian government again"


def test_state_details():
    session = RunSession()
    niger = session.details("NER")
    assert niger.name == "Niger" and niger.regime == "junta" and "AES" in niger.blocs
    assert set(niger.affinity) == set(session.world.powers)
    assert niger.troops.get("USA", 0) > 0  # the last Americans are still at Air Base 101 in May 2024


def test_month_label():
    assert month_label("2024-06") == "June 2024"


def test_pictures_are_pngs_that_change_with_the_month():
    session = RunSession()
    maker = FrameMaker(session)
    first = maker.overview()
    niger = maker.affinity("NER")
    session.step(4)  # the US leaves Niger in September 2024: its bases change hands
    later = maker.overview()
    assert first.map_png.startswith(PNG) and first.share_png.startswith(PNG) and niger.startswith(PNG)
    assert later.month == 4 and later.map_png != first.map_png and later.share_png != first.share_png
    assert maker.affinity("MLI") != maker.affinity("NER")


def test_figures_accept_a_long_run():
    session = RunSession()
    session.step(40)
    w = session.world
    st = session.model.state
    view = MapView(w)
    args = (st.affinity[:, :, 0], st.junta[:, 0], st.troops[:, :, 0], st.base_owner[:, 0], st.base_co_tenant[:, 0])
    png = view.render(*args)
    assert png.startswith(PNG)
    assert view.render(*args) is png  # nothing changed on the map: the last picture is reused
    troops = args[2].copy()
    troops[0, 0] += 500
    assert view.render(args[0], args[1], troops, args[3], args[4]) != png
    assert ShareChart(w).render(session.share_history()).startswith(PNG)
    assert AffinityChart(w).render(session.affinity_history("MLI"), "Mali").startswith(PNG)


def test_text_panels_escape_what_they_show():
    session = RunSession()
    session.step(4)
    html = events_html(session.event_lines(), month=4)
    assert html.count('class="sahel-event sahel-event-new"') == sum(1 for e in session.event_lines() if e.step == 4)
    assert "The last United States forces leave Niger" in html
    assert events_html([], 0).endswith("No events yet: press Step.</span>")
    details = replace(session.details("NER"), name="<b>x</b>", blocs=["<script>"])
    facts = facts_html(details, {"USA": "United States"})
    assert "<script>" not in facts and "&lt;script&gt;" in facts and "junta" in facts


def test_charts_print_each_powers_latest_value_at_its_lines_end():
    """The number readout: each line ends in the power's name and its value this month, inside the picture."""
    session = RunSession()
    session.step(12)
    w = session.world
    share, affinity = ShareChart(w), AffinityChart(w)
    share.render(session.share_history())
    niger = session.affinity_history("NER")
    affinity.render(niger, "Niger")
    last = session.share_history()[-1]
    assert share.end_labels() == [f"{n} {round(100 * v)}%" for n, v in zip(w.power_names, last, strict=True)]
    assert affinity.end_labels() == [
        f"{n} {v:+.2f}".replace("-", "\N{MINUS SIGN}") for n, v in zip(w.power_names, niger[-1], strict=True)
    ]
    for chart in (share, affinity):
        renderer = chart.fig.canvas.get_renderer()
        assert all(end.get_window_extent(renderer).x1 <= chart.fig.bbox.width for end in chart.ends)
