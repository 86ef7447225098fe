"""The pictures' text alternatives (app/alttext.py), hand-checked on the 3-state test world
(tests/fixtures/tiny_world.yaml: Niger, Mali, Benin; the United States and Russia; May 2024), and
checked against a short run: the words follow the same data the pictures are drawn from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.alttext import TREND_MONTHS, affinity_alt, fan_alt, map_alt, share_alt
from app.frames import AffinityData, FrameMaker, OverviewData
from app.i18n import world_names
from app.session import RunSession
from sim.core.io import leading_partner_index
from sim.core.world import load_world

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny_world.yaml"


@pytest.fixture(scope="module")
def world():
    return load_world(TINY)


def _overview(world, shares, affinity=None, junta=(False, False, False), lang="en") -> OverviewData:
    shares = np.asarray(shares, dtype=float)
    affinity = np.zeros((3, 2)) if affinity is None else np.asarray(affinity, dtype=float)
    return OverviewData(
        world,
        lang,
        len(shares) - 1,
        affinity,
        np.asarray(junta),
        np.zeros((3, 2)),
        np.zeros(0, dtype=int),
        np.zeros(0, dtype=int),
        shares,
    )


def test_the_share_chart_in_words_gives_each_latest_share_highest_first_and_its_trend(world):
    # 14 months: Russia 30% -> (month 2) 40% -> (month 14) 61%; the United States the rest
    russia = np.linspace(0.30, 0.40, 3).tolist() + np.linspace(0.40, 0.61, 13)[1:].tolist()
    shares = np.column_stack([1 - np.asarray(russia), russia])
    text = share_alt(_overview(world, shares))
    # over the last 12 months (month 2 -> 14): Russia 40% -> 61%, +21 points; the US 60% -> 39%
    assert text == (
        "Influence share chart, July 2025, highest first: Russia 61%, up 21 points over 12 months; "
        "United States 39%, down 21 points over 12 months."
    )


def test_a_change_that_prints_as_zero_is_steady_and_month_zero_has_no_trend(world):
    steady = share_alt(_overview(world, [[0.5, 0.5], [0.502, 0.498]]))
    assert steady == (
        "Influence share chart, June 2024, highest first: United States 50%, steady over one month; "
        "Russia 50%, steady over one month."
    )
    first = share_alt(_overview(world, [[0.25, 0.75]]))
    assert first == (
        "Influence share chart, May 2024, highest first: Russia 75%, the first month; "
        "United States 25%, the first month."
    )
    one = share_alt(_overview(world, [[0.25, 0.75], [0.24, 0.76]]))
    assert "Russia 76%, up 1 point over one month" in one


def test_the_map_in_words_names_each_states_leading_partner_and_its_juntas(world):
    affinity = [[-0.5, 0.7], [0.2, 0.2], [0.6, 0.1]]  # Niger: Russia; Mali: a tie, none; Benin: the US
    text = map_alt(_overview(world, [[0.5, 0.5]], affinity, junta=(True, True, False)))
    assert text == (
        "Map of the region, May 2024. Each state's leading partner: Niger, Russia (junta); "
        "Mali, no leading partner (junta); Benin, United States."
    )


def test_the_affinity_chart_in_words(world):
    history = np.array([[0.10, 0.50], [0.05, 0.62], [-0.20, 0.62]])
    text = affinity_alt(AffinityData(world, "en", history, "Niger"))
    assert text == (
        "Affinity chart of Niger, July 2024, from −1 to 1, highest first: Russia +0.62, up 0.12 over "
        "2 months; United States −0.20, down 0.30 over 2 months."
    )


def test_the_fan_chart_in_words(world):
    q = np.zeros((3, 37, 2))
    q[:, 36, 0], q[:, 36, 1] = (0.2, 0.3, 0.4), (0.6, 0.7, 0.8)
    assert fan_alt(world, q, 36, 10) == (
        "Fan chart of 10 histories at month 36: median influence share of each power, with the 10th to 90th "
        "percentile: Russia 70% (60% to 80%); United States 30% (20% to 40%)."
    )


def test_french_texts_use_french_names_numbers_and_spacing(world):
    text = share_alt(_overview(world, [[0.5, 0.5], [0.4, 0.6]], lang="fr"))
    assert text == (
        "Graphique des parts d'influence, juin 2024, de la plus grande à la plus petite\u202f: "
        "Russie 60\u202f%, en hausse de 10 points en un mois\u202f; États-Unis 40\u202f%, en baisse de "
        "10 points en un mois."
    )
    assert "Bénin, États-Unis" in map_alt(_overview(world, [[0.5, 0.5]], [[0, 0.1], [0, 0.1], [0.3, 0.1]], lang="fr"))


def test_on_a_run_the_words_follow_the_pictures_data():
    """A short run of the real world: the map's words name, for each state, the leading partner of
    the affinity the map is filled from, and the share chart's words give the shares it draws."""
    session = RunSession()
    session.step(TREND_MONTHS + 2)
    maker = FrameMaker(session)
    data = maker.overview_data()
    overview = maker.overview()
    assert overview.map_alt == map_alt(data) and overview.share_alt == share_alt(data)
    named = world_names(session.world)
    lead = leading_partner_index(data.affinity[:, :, None])[:, 0]
    for s, code in enumerate(session.world.states):
        partner = named.powers[session.world.powers[lead[s]]] if lead[s] >= 0 else "no leading partner"
        assert f"{named.states[code]}, {partner}" in overview.map_alt
    top = int(np.argmax(data.shares[-1]))
    share = f"{100 * data.shares[-1, top]:.0f}%"
    assert f"highest first: {named.powers[session.world.powers[top]]} {share}, " in overview.share_alt
    assert f"over {TREND_MONTHS} months" in overview.share_alt
