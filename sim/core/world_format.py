"""The shape of a world file, declared once: which keys each section may have, of what type, which
are required, and the range of each number. `check_shape` refuses a file that does not fit (an
unknown or misspelt key, with a "did you mean" suggestion; a section of the wrong type) before the
world's readers (sim.core.world) convert it; `json_schema` turns the same declaration into the JSON
Schema published as schemas/world.schema.json for editors (docs/world-format.md).

What the shape cannot say (codes that refer to other sections, dates after `as_of`, a field required
by another's value) is checked by the readers.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from sim.core.commitments import KINDS
from sim.core.data_yaml import item_label
from sim.core.vocabulary import EVENT_TYPES, REGIMES

DATE_PATTERN = r"^\d{4}-\d{2}(-\d{2})?$"
CODE_PATTERN = r"^[A-Z]{3}$"


@dataclass(frozen=True)
class Spec:
    """One value of a world file. kind: text, number, bool, date, code (three capitals), record (fixed
    keys in `fields`), list (of `items`), table (any keys, each value `items`), pair (two `items`), or
    text_or_list (a text or a list of texts). Numbers lie in [lo, hi]; `choices` closes a text."""

    kind: str
    required: bool = False
    lo: float | None = None
    hi: float | None = None
    fields: dict[str, Spec] = field(default_factory=dict)
    items: Spec | None = None
    choices: tuple[str, ...] = ()
    doc: str = ""


def _req(kind: str, **kw: Any) -> Spec:
    return Spec(kind, required=True, **kw)


def _num(lo: float, hi: float, required: bool = True, doc: str = "") -> Spec:
    return Spec("number", required=required, lo=lo, hi=hi, doc=doc)


SOURCED = {
    "source": _req("text", doc="a URL or publication the fact comes from"),
    "as_of": _req("date", doc="the date the fact refers to"),
}
TEXT, DATE, CODE, BOOL = Spec("text"), Spec("date"), Spec("code"), Spec("bool")
SHARE = _num(0.0, 1.0)

POWER = Spec(
    "record",
    fields={
        "code": _req("code"),
        "name": TEXT,
        "budget_security_usd_m": _num(0.0, 1e6),
        "budget_economic_usd_m": _num(0.0, 1e6),
        "budget_information_usd_m": _num(0.0, 1e6),
        "troops_deployable": _num(0.0, 1e7),
        "colonial_baggage": SHARE,
        "conditionality": SHARE,
        "regime_protection": SHARE,
        "overstretch": SHARE,
        "remote_security": _num(0.0, 1.0, False),
        "strain_volatility": _num(0.0, 1.0, False),
        "host_price_usd_m": _num(
            0.0,
            1e4,
            False,
            doc="what a host government pays for 1,000 of the power's troops a "
            "month, US$ m (0 = the power pays for its forces)",
        ),
        "strain_driver": TEXT,
        **SOURCED,
    },
)
STATE = Spec(
    "record",
    fields={
        "code": _req("code"),
        "name": TEXT,
        "capital": _req("record", fields={"name": TEXT, "lon": _num(-180.0, 180.0), "lat": _num(-90.0, 90.0)}),
        "population_m": _num(1e-3, 1e4),
        "gdp_usd_bn": _num(1e-3, 1e5),
        "regime": _req("text", choices=tuple(REGIMES)),
        "last_coup": DATE,
        "war_since": DATE,
        "legitimacy": SHARE,
        "capacity": SHARE,
        "nationalism": SHARE,
        "resources": Spec("text_or_list", items=TEXT),
        **SOURCED,
    },
)
BLOC = Spec(
    "record",
    fields={
        "code": _req("text"),
        "name": TEXT,
        "sanctions_coups": BOOL,
        "mutual_defence": BOOL,
        "members": Spec("list", items=CODE),
        **SOURCED,
    },
)
INSURGENT = Spec(
    "record",
    fields={
        "code": _req("text"),
        "name": TEXT,
        "intensity": Spec("table", items=_num(0.0, 1.0)),
        "growth_factor": _num(0.0, 5.0, False),
        **SOURCED,
    },
)
TIE = Spec(
    "record",
    fields={
        "state": _req("code"),
        "power": _req("code"),
        "affinity": _num(-1.0, 1.0, False),
        "opinion": _num(-1.0, 1.0, False),
        "aid_security_usd_m": _num(0.0, 1e5, False),
        "aid_economic_usd_m": _num(0.0, 1e5, False),
        "defence_pact": _num(0.0, 1.0, False),
        "expelled": BOOL,
        "aid_suspended": BOOL,
        **SOURCED,
    },
)
TRADE = Spec(
    "record",
    fields={
        "state": _req("code"),
        "shares": _req("table", items=_num(0.0, 1.0), doc="power code: share of the state's trade"),
        "year": _num(1950.0, 2100.0),
        **SOURCED,
    },
)
PRESENCE = Spec(
    "record",
    fields={"state": _req("code"), "power": _req("code"), "troops": _num(0.0, 1e6), "withdrawal_ends": DATE, **SOURCED},
)
BASE = Spec(
    "record",
    fields={
        "name": _req("text"),
        "state": _req("code"),
        "owner": CODE,
        "co_tenant": CODE,
        "lon": _num(-180.0, 180.0),
        "lat": _num(-90.0, 90.0),
        **SOURCED,
    },
)
SANCTION = Spec("record", fields={"state": _req("code"), "bloc": _req("text"), "since": _req("date"), **SOURCED})
SCRIPTED = Spec(
    "record",
    fields={
        "date": _req("date"),
        "type": _req("text", choices=tuple(EVENT_TYPES)),
        "state": _req("code"),
        "power": CODE,
        "bloc": TEXT,
        "troops": _num(0.0, 1e6, False),
        "note": TEXT,
        "source": _req("text"),
        "as_of": DATE,
    },
)
COMMITMENT = Spec(
    "record",
    fields={
        "id": _req("text"),
        "kind": _req("text", choices=tuple(KINDS)),
        "state": CODE,
        "states": Spec("list", items=CODE),
        "due": _req("date"),
        "as_of": _req("date"),
        "source": _req("text"),
        "bloc": TEXT,
        "power": CODE,
        "troops": _num(0.0, 1e6, False),
        "on_time": _num(0.0, 1.0, False),
        "note": TEXT,
    },
)

#: The world file: its top-level sections.
WORLD = Spec(
    "record",
    fields={
        "meta": _req("record", fields={"name": TEXT, "title": TEXT, "as_of": _req("date"), "description": TEXT}),
        "powers": _req("list", items=POWER),
        "states": _req("list", items=STATE),
        "borders": _req("record", fields={"pairs": _req("list", items=Spec("pair", items=CODE)), **SOURCED}),
        "blocs": Spec("list", items=BLOC),
        "insurgents": Spec("list", items=INSURGENT),
        "tie_defaults": _req("record", fields={"affinity": _num(-1.0, 1.0), "opinion": _num(-1.0, 1.0), **SOURCED}),
        "ties": Spec("list", items=TIE),
        "trade": Spec("list", items=TRADE),
        "presence": Spec("list", items=PRESENCE),
        "bases": Spec("list", items=BASE),
        "sanctions": Spec("list", items=SANCTION),
        "scripted_events": Spec("list", items=SCRIPTED),
        "commitments": Spec("list", items=COMMITMENT),
    },
)

_EXPECTED = {
    "text": "text",
    "number": "a number",
    "bool": "true or false",
    "date": "a date 'YYYY-MM' or 'YYYY-MM-DD'",
    "code": "a three-letter upper-case code such as NER",
    "record": "a mapping of 'key: value' lines",
    "list": "a list ('- ...' entries or [a, b])",
    "table": "a mapping of 'CODE: value' lines",
    "pair": "a pair [A, B]",
    "text_or_list": "a text or a list of texts",
}


@dataclass(frozen=True)
class ShapeProblem:
    """Where a value does not fit its Spec: its path of keys and indices, the problem and the fix."""

    path: tuple[Any, ...]
    problem: str
    fix: str


def dotted(path: tuple[Any, ...], data: Any = None) -> str:
    """`states[2].capital.lon` for ('states', 2, 'capital', 'lon'); with the file's `data`, a listed record
    is named as the readers name it, by its code or id (`states[NER].capital.lon`, `ties[NER-USA]`)."""
    out, node, parent = "", data, ""
    for i, part in enumerate(path):
        if isinstance(part, int):
            rec = node[part] if isinstance(node, list) and part < len(node) else None
            naming_field = path[i + 1 : i + 2] in (("code",), ("id",), ("state",), ("power",))
            out += f"[{part if naming_field else item_label(rec, parent, part)}]"
        else:
            out += f".{part}" if out else str(part)
            parent = str(part)
        node = (
            node.get(part)
            if isinstance(node, dict)
            else (node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None)
        )
    return out or "top level"


def suggestion(key: Any, known: list[str]) -> str:
    """ " (did you mean 'X'?)" for the known name closest to a misspelt one, or ''."""
    close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _kind_of(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        bool: "true/false",
        str: "text",
        int: "a number",
        float: "a number",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)


def _fits(spec: Spec, value: Any) -> bool:
    kind = spec.kind
    if kind == "text":
        return isinstance(value, str)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "date":
        return isinstance(value, dt.date) or (isinstance(value, str) and re.match(DATE_PATTERN, value) is not None)
    if kind == "code":
        return isinstance(value, str) and re.match(CODE_PATTERN, value) is not None
    if kind in ("record", "table"):
        return isinstance(value, dict)
    if kind == "list":
        return isinstance(value, list)
    if kind == "pair":
        return isinstance(value, list) and len(value) == 2
    return isinstance(value, str | list)  # text_or_list


def check_shape(value: Any, spec: Spec = WORLD, path: tuple[Any, ...] = ()) -> ShapeProblem | None:
    """The first place where `value` does not fit `spec` (a loaded world file and WORLD by default), or None.
    Closed choices (a regime, an event type, a commitment's kind) are left to the readers, which name them
    in their own words; the JSON Schema lists them."""
    if not _fits(spec, value):
        return ShapeProblem(
            path,
            f"expected {_EXPECTED[spec.kind]}, found {_kind_of(value)} ({str(value)[:40]!r})",
            f"Write {_EXPECTED[spec.kind]}",
        )
    if spec.kind == "number" and spec.lo is not None and spec.hi is not None and not spec.lo <= value <= spec.hi:
        return ShapeProblem(path, f"{value!r} is out of range", f"It must be between {spec.lo:g} and {spec.hi:g}")
    if spec.kind == "record":
        known = list(spec.fields)
        for key in value:
            if key not in spec.fields:
                where = dotted(path) if path else "the top level"
                return ShapeProblem(
                    (*path, key),
                    f"unknown key '{key}'{suggestion(key, known)}",
                    f"Correct or remove it: the keys of {where} are {', '.join(known)}",
                )
            if value[key] is None:
                continue  # a missing optional field, or a required one reported below
            if sub_problem := check_shape(value[key], spec.fields[key], (*path, key)):
                return sub_problem
        for key, sub in spec.fields.items():
            if sub.required and value.get(key) is None:
                return ShapeProblem((*path, key), "the field is missing", f"Add '{key}:' with {_EXPECTED[sub.kind]}")
    elif spec.kind in ("list", "pair", "text_or_list", "table") and spec.items is not None:
        entries = value.items() if isinstance(value, dict) else enumerate(value if isinstance(value, list) else [])
        for key, item in entries:
            if spec.kind == "table" and not isinstance(key, str):
                return ShapeProblem((*path, key), f"the key {key!r} is not a code", "Write codes such as NER as keys")
            if sub_problem := check_shape(item, spec.items, (*path, key)):
                return sub_problem
    return None


def json_schema(spec: Spec = WORLD, title: str = "World file (scenarios/*.yaml)") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `spec`, for editors; dates are written as quoted text."""
    schema = _schema(spec)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": "Generated from sim/core/world_format.py by `python -m workshop.schemas`; "
        "docs/world-format.md describes every field.",
        **schema,
    }


def _schema(spec: Spec) -> dict[str, Any]:
    kind = spec.kind
    out: dict[str, Any]
    if kind == "text":
        out = {"type": "string"}
    elif kind == "number":
        out = {"type": "number"}
        if spec.lo is not None:
            out |= {"minimum": spec.lo, "maximum": spec.hi}
    elif kind == "bool":
        out = {"type": "boolean"}
    elif kind == "date":
        out = {"type": "string", "pattern": DATE_PATTERN}
    elif kind == "code":
        out = {"type": "string", "pattern": CODE_PATTERN}
    elif kind == "record":
        props = {}
        for key, sub in spec.fields.items():
            s = _schema(sub)
            props[key] = s if sub.required else {"anyOf": [s, {"type": "null"}]}
        out = {
            "type": "object",
            "properties": props,
            "additionalProperties": False,
            "required": [k for k, sub in spec.fields.items() if sub.required],
        }
    elif kind == "list":
        out = {"type": "array", "items": _schema(spec.items)} if spec.items else {"type": "array"}
    elif kind == "table":
        out = {"type": "object", "additionalProperties": _schema(spec.items)}
    elif kind == "pair":
        out = {"type": "array", "items": _schema(spec.items), "minItems": 2, "maxItems": 2}
    else:  # text_or_list
        out = {"anyOf": [{"type": "string"}, {"type": "array", "items": _schema(spec.items)}]}
    if spec.choices:
        out["enum"] = list(spec.choices)
    if spec.doc:
        out["description"] = spec.doc
    return out
