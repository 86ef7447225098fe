"""Text colours of the app's style sheets against WCAG 2.1 AA (contrast ratio at least 4.5:1):
each CSS rule that sets a text `color` is checked against the background it sets, else the
background of the rule it nests in (`.gutter .bad` on `.gutter`), else white (every page's body).
The style sheets: app/style.css, app/classroom.css, and the team, projector and move-form pages'
CSS (app/team.py, app/projector.py, app/moveform.py). Vuetify's own colours and the text drawn
inside the map picture are not covered (docs/app.md, Accessibility); the charts' texts in a power's
colour are darkened to AA (app.contrast.readable), checked here too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.colors import NO_POWER, POWER_COLORS, power_color
from app import moveform, projector, team
from app.contrast import AA, WHITE, contrast, readable
from app.figures import AffinityChart, ShareChart
from sim.core.world import load_world, scenario_path

ROOT = Path(__file__).resolve().parents[2]
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")  # an innermost rule: the selectors and the declarations
_COLOUR = re.compile(r"(?:^|;)\s*color\s*:\s*(#[0-9a-fA-F]{3,6}|white|black)\b")
_BACKGROUND = re.compile(r"(?:^|;)\s*background(?:-color)?\s*:\s*(#[0-9a-fA-F]{3,6}|white|black)\b")

SHEETS = {
    "app/style.css": (ROOT / "app" / "style.css").read_text(encoding="utf-8"),
    "app/classroom.css": (ROOT / "app" / "classroom.css").read_text(encoding="utf-8"),
    "app/team.py STYLE": team.STYLE,
    "app/projector.py STYLE": projector.STYLE,
    "app/moveform.py STYLE": moveform.STYLE,
}


def pairs(css: str) -> list[tuple[str, str, str]]:
    """(selector, text colour, background) of each rule of `css` that sets a text colour."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = [(sel.strip(), body) for sel, body in _RULE.findall(css)]
    backgrounds: dict[str, str] = {}
    for sels, body in rules:
        found = _BACKGROUND.search(body)
        if found:
            for sel in sels.split(","):
                backgrounds[sel.strip().split("@")[-1].strip()] = found.group(1)
    out = []
    for sels, body in rules:
        colour = _COLOUR.search(body)
        if not colour:
            continue
        own = _BACKGROUND.search(body)
        for sel in sels.split(","):
            sel = sel.strip()
            parent = " ".join(sel.split()[:-1])
            back = own.group(1) if own else backgrounds.get(parent, WHITE)
            out.append((sel, colour.group(1), back))
    return out


def test_the_contrast_ratio_is_wcags():
    assert contrast("#000", "white") == pytest.approx(21.0)
    assert contrast("white", "white") == pytest.approx(1.0)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes AA
    assert contrast("#777777", WHITE) < AA


def test_the_checker_finds_a_rule_its_background_and_the_one_it_nests_in():
    css = ".a { color: #777; } .b { background: #000; color: #fff; } .b .c { color: #333; } /* .d { color: red } */"
    assert pairs(css) == [(".a", "#777", WHITE), (".b", "#fff", "#000"), (".b .c", "#333", "#000")]


def test_the_checker_reads_the_sheets():
    assert sum(len(pairs(css)) for css in SHEETS.values()) >= 30  # 35 text colours when written


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_every_text_colour_meets_wcag_aa(sheet):
    found = pairs(SHEETS[sheet])
    failing = [(sel, fg, bg, round(contrast(fg, bg), 2)) for sel, fg, bg in found if contrast(fg, bg) < AA]
    assert not failing, f"{sheet}: text colours under {AA}:1 (selector, colour, background, ratio): {failing}"


def test_readable_darkens_a_light_colour_to_aa_and_keeps_a_dark_one():
    assert readable("#0072B2") == "#0072b2"  # 5.19:1 already
    orange = readable("#E69F00")  # 2.25:1 as it is
    assert contrast(orange, WHITE) >= AA and contrast(orange, WHITE) < AA + 0.6  # the nearest shade, not black
    assert readable("#ffffff") != "#ffffff" and contrast(readable("#ffffff"), WHITE) >= AA


def test_the_charts_write_each_power_in_a_colour_that_meets_aa():
    world = load_world(scenario_path("sahel_2024"))
    for chart in (ShareChart(world), AffinityChart(world)):
        for text in chart.ends:
            assert contrast(text.get_color(), WHITE) >= AA, text.get_text()
    assert all(contrast(readable(c), WHITE) >= AA for c in [*POWER_COLORS.values(), power_color(NO_POWER)])
