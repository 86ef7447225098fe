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

from sim.core.params import Config, IncentiveWeights, PowerKnobs

ROOT = Path(__file__).resolve().parent.parent
LESSONS_DIR = ROOT / "docs" / "lessons"
WORLD_FORMAT = ROOT / "docs" / "world-format.md"
#: paramdoc's meaning of the power knobs that are documented with the world format
_SEE_WORLD_FORMAT = "see world format"

#: Tooltips of the controls that are not model parameters (the header, pickers, panels).
UI_HELP: dict[str, str] = {
    "Step": "Advance the run by one month.",
    "Play": "Advance one month after another until you press Pause.",
    "Reset": "Start a new run at month 0 with the values the controls show now.",
    "World": "The starting world: a file scenarios/NAME.yaml. Picking one starts a new run.",
    "Settings": "Show or hide the controls (on a narrow screen they open in a drawer).",
    "Info": "What this model is, how it works, what to notice and try, and the lesson plans.",
    "Present": "Presentation mode: a large map and one chart, for a projector. Press again to leave it.",
    "Print handout": "Print the map, the charts, the events and the settings of this run (fits A4).",
    "State": ("The state whose details, affinity chart and scores are shown. Clicking a capital on the map "
              "picks it too."),
    "Many histories": ("Run many seeds of the values the controls show at once and see what most histories share: "
                       "fan charts, who leads each state in how many histories, how many histories see each event."),
    "Histories": "How many seeds to run: the seed box's seed and the ones after it.",
    "At month": "The month the sentences and the table of leading partners speak of (0 to the last month run).",
    "Compare with": ("A second setting run with the same seeds beside the first: the world's baseline or an "
                     "experiment, with the scenario's own values."),
    "Run histories": "Run the histories now (a few seconds at most).",
    "Run to month": "Run the current history on to this month at once (it cannot go back: press Reset for that).",
    "Speed": "How fast Play advances: months per second.",
    "Filter events": "Show only the events of one state, one power or one kind.",
    "Scenario values": "Put every slider back to the chosen world and experiment's values (the seed is kept).",
    "Civilian governments": "Show the seven weights that civilian governments use.",
    "Juntas": "Show the seven weights that military juntas use.",
    "Power": "Choose the foreign power whose three knobs are shown below.",
}


@dataclass(frozen=True)
class Lesson:
    """A lesson plan of docs/lessons/: its number, title and file."""

    number: int
    title: str
    path: Path


def lessons() -> list[Lesson]:
    """The lesson plans in docs/lessons/ (none in an installed package without the docs)."""
    out = []
    for path in sorted(LESSONS_DIR.glob("[0-9][0-9]-*.md")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        title = re.sub(r"^#\s*Lesson \d+:\s*", "", first).strip()
        out.append(Lesson(number=int(path.name[:2]), title=title, path=path))
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


def parameter_help(key: str) -> str:
    """A control's tooltip from its parameter's documentation: 'Meaning. (key, legal range a .. b)'."""
    meaning, legal = parameter_docs()[key]
    text = meaning[0].upper() + meaning[1:] if meaning else key
    return f"{text}. ({key}; legal range {legal})" if legal != "—" else f"{text}. ({key})"


def weight_help(regime: str, term: str) -> str:
    """Tooltip of an incentive-weight slider."""
    return parameter_help(f"incentives.{regime}.{term}") + " Applies when you press Reset."


def knob_help(knob: str) -> str:
    """Tooltip of a power's knob (the key pattern scenario.powers.<CODE>.knob)."""
    return parameter_help(f"scenario.powers.<CODE>.{knob}") + " Applies when you press Reset."


INFO_MARKDOWN = """\
### What is it?

A model of regional influence in the Sahel. Nineteen African states, the juntas that seize some
of them and five foreign powers (the United States, France, Russia, China, Turkey) start from the
world of May 2024. Month by month each government decides how much it likes each power, and the
powers decide where to spend and whom to send troops to. It is a thinking tool, only partly
calibrated: one history is one possible story, not a forecast.

### How it works

- Every month each government **scores each power on seven terms** (the seven sliders of
  **Incentive weights**): security value, economic value, regime protection, sovereignty cost,
  conditionality cost, peer pressure and public opinion. Each term is multiplied by the
  government's weight for it; costs count against the power.
- Its **affinity** to the power (from -1, hostile, to +1, close) drifts towards that score. The
  power it likes most is its **leading partner** (the map's colour); a power it likes above +0.25
  is one of its **partners**.
- Juntas use their own weights: they care more about regime protection and sovereignty, and they
  resent the conditions (aid cuts, timetables) that some powers attach after a coup.
- Coups, elections, expulsions, deployments, sanctions and the powers' own force decisions happen
  with chances the model computes; each event in **Events** gives its reason.
- **Why** (below the map) shows the seven terms of the selected state's scores this month.

### Things to notice

- Which power leads the three juntas of the Alliance of Sahel States (Niger, Mali, Burkina Faso),
  and which term in **Why** gives it the lead.
- Governments keep several partners at once: count the affinity bars past +0.25.
- The influence-share chart moves slowly; single events (a coup, an expulsion) move a state fast.

### Things to try

- Move one **Juntas** slider (for example **Regime protection** from 1.5 to 0.3), press
  **Reset**, then **Play** to month 36. Does Niger change partner?
- Pick an **Experiment (what if…)** such as `us_stays` and compare with the baseline.
- Change the **Seed**: the same settings give another history. How often does the story repeat?
"""


def lessons_html() -> str:
    """Links to the lesson plans, opened in a new tab so this tab keeps its run."""
    found = lessons()
    if not found:
        return ('<p class="sahel-note">The lesson plans are in docs/lessons/ of the project\'s repository '
                "(this installation has no copy).</p>")
    items = "".join(f'<li><a href="lessons/{lesson.number}" target="_blank" rel="noopener">'
                    f"Lesson {lesson.number}: {escape(lesson.title)}</a></li>" for lesson in found)
    return f'<ul class="sahel-lessons">{items}</ul>'

