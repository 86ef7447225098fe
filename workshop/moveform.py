"""The move form: a team's move file entered as form fields rather than written as YAML.

The form is generated from the move file's JSON Schema (workshop.moves.move_json_schema) and the
world's vocabulary, never from a list of its own: each key a team's kind may use becomes a section
(a list of entries becomes rows, `allocate` a table of states by channel, a number one input), each
field of an entry an input (a choice of the world's states, powers, blocs or bases, of an action's
closed values or of the turn's months; a number with the schema's range), so a new move type or
field appears in the form by itself. The form's values become the same move file the command line
accepts (`to_yaml`), checked by the same function (workshop.moves.check_move), and every problem
and warning is placed next to the input it concerns (`check_form`). Pure functions: the team page
(app/moveform.py) renders them.

Form field names: `turn` (the turn the page was made for), `note`; `KEY` for a single value
(`regime_protection`); `KEY.ROW.FIELD` for a field of a list entry (`deploy.0.troops`, ROW counts the
form's rows, blank rows are skipped); `KEY.CODE.CHANNEL` for a cell of a table (`allocate.TCD.security`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from sim.core.world_format import DATE_PATTERN
from workshop.moves import COMMON_KEYS, EXAMPLES, KEYS, UNTIL_GAME_END, Situation, check_move, move_json_schema
from workshop.teams import Team
from workshop.yamldoc import YamlSyntaxError, load

Values = Mapping[str, str]
_INTEGER = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class Choice:
    """One option of a drop-down: the value written to the file and its label."""

    value: str
    label: str


@dataclass(frozen=True)
class Input:
    """One input: the move file's field it fills and how it is entered."""

    field: str  # e.g. 'state', 'troops', 'security'
    kind: str  # 'choice', 'number' or 'text'
    choices: tuple[Choice, ...] = ()
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    placeholder: str = ""
    months: bool = False  # a choice of months ('YYYY-MM')


@dataclass(frozen=True)
class Section:
    """One key of the move file: `list` (rows of entries, `inputs` are the columns), `table` (a row per
    state, `inputs` are the columns) or `value` (one input)."""

    key: str
    shape: str
    example: str
    inputs: tuple[Input, ...]
    rows: tuple[Choice, ...] = ()  # a table's rows

    @property
    def title(self) -> str:
        return self.key.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Form:
    """A team's form for one turn, with what its running totals are measured against."""

    team: Team
    turn: int
    sections: tuple[Section, ...]
    channels: tuple[str, ...] = ()  # a power team's budget channels and its monthly budget in each (US$ m)
    budget_usd_m: tuple[float, ...] = ()
    troops_available: float | None = None  # a power team: troops it can still send


def form_of(team: Team, sit: Situation) -> Form:
    """The form of `team` for the turn of `sit`, generated from the move schema and the world."""
    w = sit.world
    props = move_json_schema()["properties"]
    states = team.states if team.kind == "government" else tuple(w.states)  # a government acts for its own states
    vocabulary = {
        "state": tuple(Choice(c, f"{c}: {w.state_names[w.states.index(c)]}") for c in states),
        "power": tuple(Choice(c, f"{c}: {n}") for c, n in zip(w.powers, w.power_names, strict=True)),
        "bloc": tuple(Choice(c, c) for c in w.blocs),
        "base": tuple(Choice(n, f"{n} ({w.states[int(w.base_state[k])]})") for k, n in enumerate(w.base_names)),
    }

    def months(key: str) -> tuple[Choice, ...]:
        last = sit.game_last_step if key in UNTIL_GAME_END else sit.last_step
        return tuple(Choice(w.date_of(m), w.date_of(m)) for m in range(sit.first_step, last + 1))

    def input_of(key: str, name: str, spec: dict[str, Any], required: bool) -> Input:
        if "enum" in spec:
            return Input(name, "choice", tuple(Choice(v, v) for v in spec["enum"]), required)
        if spec.get("pattern") == DATE_PATTERN:
            return Input(
                name,
                "choice",
                months(key),
                required,
                months=True,
                placeholder="" if required else f"{w.date_of(sit.first_step)} (the turn's first month)",
            )
        if name in vocabulary:
            return Input(name, "choice", vocabulary[name], required)
        if spec.get("type") == "number":
            default = f"{sit.deploy_size:g}" if name == "troops" and not required else ""  # a deployment's size
            return Input(name, "number", (), required, spec.get("minimum"), spec.get("maximum"), default)
        return Input(name, "text", (), required)

    sections = []
    for key in KEYS[team.kind]:
        spec = props[key]
        kinds = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        if "array" in kinds:
            entry = spec["items"]
            inputs = tuple(input_of(key, f, s, f in entry["required"]) for f, s in entry["properties"].items())
            sections.append(Section(key, "list", EXAMPLES[key], inputs))
        elif "object" in kinds:
            cells = spec["additionalProperties"]["properties"]
            inputs = tuple(input_of(key, ch, s, False) for ch, s in cells.items())
            sections.append(Section(key, "table", EXAMPLES[key], inputs, vocabulary["state"]))
        else:
            sections.append(Section(key, "value", EXAMPLES[key], (input_of(key, key, spec, False),)))
    if team.kind != "power":
        return Form(team, sit.turn, tuple(sections))
    p = w.powers.index(team.power)
    table = next(s for s in sections if s.shape == "table")
    return Form(
        team,
        sit.turn,
        tuple(sections),
        tuple(i.field for i in table.inputs),
        tuple(float(b) for b in w.budget_usd_m[p]),
        sit.available(p),
    )


# ---------------------------------------------------------------- form values -> move file


def rows_of(section: Section, values: Values) -> list[int]:
    """The row numbers of a list section that the values hold (sorted)."""
    found = set()
    for name in values:
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == section.key and parts[1].isdigit():
            found.add(int(parts[1]))
    return sorted(found)


class _Month(str):
    """A month, written quoted ('2024-07') as docs/workshop.md asks."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Month, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style="'"))


def _value(inp: Input, text: str) -> Any:
    """A form value as the file's value: a number for a number input (kept as text if it is not a
    finite number, so that the check names it), a month quoted, else the text."""
    if inp.kind != "number":
        return _Month(text) if inp.months else text
    try:
        number = int(text) if _INTEGER.match(text) else float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


def data_of(form: Form, values: Values) -> tuple[dict[str, Any], dict[str, str]]:
    """The move file's data from the form's values (blank inputs and rows left out), and where each
    of its paths (as workshop.moves.Problem.where spells them) is in the form."""
    posted = values.get("turn", "").strip()  # the turn the page was made for: a form of last turn is refused
    data: dict[str, Any] = {"team": form.team.name, "turn": int(posted) if posted.isdigit() else form.turn}
    places: dict[str, str] = {}
    note = values.get("note", "").strip()
    if note:
        data["note"] = note
    for sec in form.sections:
        if sec.shape == "value":
            text = values.get(sec.key, "").strip()
            if text:
                data[sec.key] = _value(sec.inputs[0], text)
                places[sec.key] = sec.key
        elif sec.shape == "table":
            table = {}
            for row in sec.rows:
                cells = {
                    i.field: _value(i, t)
                    for i in sec.inputs
                    if (t := values.get(f"{sec.key}.{row.value}.{i.field}", "").strip())
                }
                if cells:
                    table[row.value] = cells
                    places[f"{sec.key}.{row.value}"] = f"{sec.key}.{row.value}"
                    places.update({f"{sec.key}.{row.value}.{f}": f"{sec.key}.{row.value}.{f}" for f in cells})
            if table:
                data[sec.key] = table
                places[sec.key] = sec.key
        else:
            entries = []
            for row in rows_of(sec, values):
                entry = {
                    i.field: _value(i, t)
                    for i in sec.inputs
                    if (t := values.get(f"{sec.key}.{row}.{i.field}", "").strip())
                }
                if not entry:
                    continue
                where = f"{sec.key}[{len(entries)}]"
                places[where] = f"{sec.key}.{row}"
                places.update({f"{where}.{f}": f"{sec.key}.{row}.{f}" for f in entry})
                entries.append(entry)
            if entries:
                data[sec.key] = entries
                places[sec.key] = sec.key
    return data, places


def _flow(value: dict[str, Any]) -> str:
    return yaml.dump(
        value, Dumper=_Dumper, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10**9
    ).strip()


def to_yaml(data: dict[str, Any]) -> str:
    """The move file of `data` (from data_of), in the style of examples/workshop/: one line per entry."""
    out = []
    for key, value in data.items():
        if isinstance(value, list):
            out.append(f"{key}:")
            out += [f"  - {_flow(entry)}" for entry in value]
        elif isinstance(value, dict):
            out.append(f"{key}:")
            out += [f"  {_flow({code: cells})[1:-1]}" for code, cells in value.items()]
        else:
            out.append(yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=10**9).strip())
    return "\n".join(out) + "\n"


def values_of(form: Form, text: str) -> dict[str, str] | None:
    """The form's values of a move file (to revise a stored file in the form), or None if the file
    holds something the form cannot show (it is then revised as YAML)."""
    try:
        data = load(text).data
    except YamlSyntaxError:
        return None
    if not isinstance(data, dict) or any(k not in COMMON_KEYS and k not in KEYS[form.team.kind] for k in data):
        return None
    values = {"note": str(data["note"])} if data.get("note") is not None else {}
    for sec in form.sections:
        given = data.get(sec.key)
        if given is None:
            continue
        fields = {i.field for i in sec.inputs}
        if sec.shape == "value":
            if isinstance(given, (dict, list)):
                return None
            values[sec.key] = _text(given)
        elif sec.shape == "table":
            codes = {r.value for r in sec.rows}
            if not isinstance(given, dict) or not all(
                c in codes and isinstance(cells, dict) and set(cells) <= fields for c, cells in given.items()
            ):
                return None
            values.update({f"{sec.key}.{c}.{f}": _text(v) for c, cells in given.items() for f, v in cells.items()})
        else:
            if not isinstance(given, list) or not all(isinstance(e, dict) and set(e) <= fields for e in given):
                return None
            values.update({f"{sec.key}.{r}.{f}": _text(v) for r, e in enumerate(given) for f, v in e.items()})
    return values


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------- the check


@dataclass
class FormCheck:
    """The form's values checked as a move file: the file, every problem and warning by the form's
    input (key '' for the form as a whole), the moves in words and the running totals."""

    text: str
    problems: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    preview: list[str] = field(default_factory=list)
    troops_sent: float = 0.0
    spent_usd_m: tuple[float, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "text": self.text,
            "problems": self.problems,
            "warnings": self.warnings,
            "preview": self.preview,
            "troops_sent": self.troops_sent,
            "spent_usd_m": list(self.spent_usd_m),
        }


def place(where: str, places: Mapping[str, str]) -> str:
    """The form input of a problem's field (Problem.where): the field's own input, else its entry's
    row, else its section; '' for the form as a whole (the team, the turn)."""
    while where:
        if where in places:
            return places[where]
        cut = max(where.rfind("."), where.rfind("["))
        where = where[:cut] if cut > 0 else ""
    return ""


def check_form(form: Form, values: Values, sit: Situation, file: str) -> FormCheck:
    """Check the form's values with the command line's checks (workshop.moves.check_move) and place
    every problem and warning next to its input."""
    data, places = data_of(form, values)
    text = to_yaml(data)
    verdict = check_move(text, file, form.team, sit)
    out = FormCheck(text, troops_sent=verdict.troops_sent, spent_usd_m=verdict.spent_usd_m)
    for found, into in ((verdict.errors, out.problems), (verdict.warnings, out.warnings)):
        for p in found:
            into.setdefault(place(p.where, places), []).append(p.message)
    out.preview = verdict.move.summary(sit.world) if verdict.move is not None else []
    return out
