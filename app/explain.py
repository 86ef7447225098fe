"""What the page says about itself: the Info panel (in the spirit of NetLogo's Info tab: what it
is, how it works, things to notice, things to try, the lessons), the tooltips of the controls and
the lesson plans it links to.

A slider's tooltip is its parameter's own documentation (the `doc` and `range` metadata of the
dataclass fields in sim/core/params.py, which docs/parameters.md is generated from) with the key and
the legal range, never re-typed here; where that documentation points to the world format, the row
of docs/world-format.md is used.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, fields
from html import escape
from pathlib import Path

from app.i18n import SOURCE, catalog, tr
from sim.core.params import Config, IncentiveWeights, PowerKnobs

ROOT = Path(__file__).resolve().parent.parent
LESSONS_DIR = ROOT / "docs" / "lessons"  # English; a translation of a lesson has its name under LESSONS_DIR / LANG
WORLD_FORMAT = ROOT / "docs" / "world-format.md"
#: paramdoc's meaning of the power knobs that are documented with the world format
_SEE_WORLD_FORMAT = "see world format"

#: The controls that are not model parameters (the header, pickers, panels) whose tooltips are the
#: catalogue's messages `help.NAME` (app/locales/).
UI_HELP_NAMES = (
    "Step",
    "Play",
    "Reset",
    "World",
    "Settings",
    "Info",
    "Present",
    "Print handout",
    "State",
    "Many histories",
    "Histories",
    "At month",
    "Compare with",
    "Run histories",
    "Run to month",
    "Speed",
    "Filter events",
    "Scenario values",
    "Civilian governments",
    "Juntas",
    "Power",
)


def ui_help(name: str, lang: str = SOURCE) -> str:
    """The tooltip of a control of UI_HELP_NAMES in `lang`."""
    return tr(f"help.{name}", lang)


#: The tooltips in English, by control.
UI_HELP: dict[str, str] = {name: ui_help(name) for name in UI_HELP_NAMES}


@dataclass(frozen=True)
class Lesson:
    """A lesson plan of docs/lessons/: its number, title and file, and the language it is in."""

    number: int
    title: str
    path: Path
    lang: str = SOURCE


#: A lesson's first line: '# Lesson 1: Title' or, translated, '# Leçon 1 : Titre'
_LESSON_TITLE = re.compile(r"^#\s*\w+ \d+\s*:\s*")


def lessons(lang: str = SOURCE) -> list[Lesson]:
    """The lesson plans in docs/lessons/ (none in an installed package without the docs), each in
    `lang` where docs/lessons/LANG/ has it under the same file name, in English otherwise."""
    out = []
    for path in sorted(LESSONS_DIR.glob("[0-9][0-9]-*.md")):
        translated = LESSONS_DIR / lang / path.name
        chosen, used = (translated, lang) if lang != SOURCE and translated.is_file() else (path, SOURCE)
        first = chosen.read_text(encoding="utf-8").splitlines()[0]
        out.append(
            Lesson(number=int(path.name[:2]), title=_LESSON_TITLE.sub("", first).strip(), path=chosen, lang=used)
        )
    return out


def _world_format_meaning(knob: str) -> str:
    """The meaning column of a power attribute in docs/world-format.md, or ""."""
    if not WORLD_FORMAT.exists():
        return ""
    for line in WORLD_FORMAT.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0] == f"`{knob}`":
            return cells[-1]
    return ""


def _rows(cls: type, prefix: str) -> dict[str, tuple[str, str]]:
    out = {}
    for f in fields(cls):
        meaning = str(f.metadata.get("doc", ""))
        if meaning == _SEE_WORLD_FORMAT:
            meaning = _world_format_meaning(f.name) or meaning
        rng = f.metadata.get("range")
        out[f"{prefix}{f.name}"] = (meaning, f"{rng[0]!r} .. {rng[1]!r}" if rng else "—")
    return out


@functools.lru_cache(maxsize=1)
def parameter_docs() -> dict[str, tuple[str, str]]:
    """The parameters the page's controls set, key -> (meaning, legal range), from the field
    metadata of sim.core.params (the source of docs/parameters.md)."""
    out = {key: value for key, value in _rows(Config, "").items() if key in ("seed", "experiment")}
    for regime in ("civilian", "junta"):
        out.update(_rows(IncentiveWeights, f"incentives.{regime}."))
    out.update(_rows(PowerKnobs, "scenario.powers.<CODE>."))
    return out


def parameter_help(key: str, lang: str = SOURCE) -> str:
    """A control's tooltip from its parameter's documentation: 'Meaning. (key, legal range a .. b)'.
    In another language the meaning is the language file's `parameters` entry for the key's last part."""
    meaning, legal = parameter_docs()[key]
    meaning = str(catalog().section("parameters", lang).get(key.rsplit(".", 1)[-1], meaning))
    text = meaning[0].upper() + meaning[1:] if meaning else key
    if legal == "—":
        return tr("help.param_key", lang, meaning=text, name=key)
    return tr("help.param_range", lang, meaning=text, name=key, range=legal)


def weight_help(regime: str, term: str, lang: str = SOURCE) -> str:
    """Tooltip of an incentive-weight slider."""
    return parameter_help(f"incentives.{regime}.{term}", lang) + tr("help.applies_on_reset", lang)


def knob_help(knob: str, lang: str = SOURCE) -> str:
    """Tooltip of a power's knob (the key pattern scenario.powers.<CODE>.knob)."""
    return parameter_help(f"scenario.powers.<CODE>.{knob}", lang) + tr("help.applies_on_reset", lang)


def info_markdown(lang: str = SOURCE) -> str:
    """The Info panel's text (Markdown) in `lang`."""
    return tr("info.markdown", lang)


#: The Info panel's text in English.
INFO_MARKDOWN = info_markdown()


def lessons_html(lang: str = SOURCE) -> str:
    """Links to the lesson plans, opened in a new tab so this tab keeps its run; in `lang` where a
    translation exists (the link then carries lang=), marked as English where none does."""
    found = lessons(lang)
    if not found:
        return f'<p class="sahel-note">{escape(tr("info.no_lessons", lang))}</p>'
    items = "".join(
        f'<li><a href="lessons/{lesson.number}{"" if lesson.lang == SOURCE else "?lang=" + lesson.lang}" '
        f'target="_blank" rel="noopener">'
        f"{escape(tr('info.lesson_link', lang, number=lesson.number, title=lesson.title))}"
        f"{escape(tr('info.lesson_english', lang) if lesson.lang != lang else '')}</a></li>"
        for lesson in found
    )
    return f'<ul class="sahel-lessons">{items}</ul>'
