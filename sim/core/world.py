"""Load and validate a world file (scenarios/*.yaml) into arrays.

A world file is data: it is parsed with YAML's safe loader, so a tag that would construct a
Python object is refused. Every problem found stops the load with one paragraph naming the file,
the field and what is expected (see docs/world-format.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import yaml

from sim.core import data_yaml
from sim.core.commitments import KINDS, Commitment
from sim.core.events import ScriptedEvent
from sim.core.params import ConfigError, ScenarioConf, ScriptedEventConf
from sim.core.paths import scenario_dir
from sim.core.rules.insurgency import threat
from sim.core.vocabulary import CHANNELS, EVENT_TYPES, EVENTS, REGIMES, SCRIPTABLE
from sim.core.world_format import check_shape, dotted

#: The world files: the repository's scenarios/ in a checkout, the packaged copy when installed (sim.core.paths).
SCENARIO_DIR = scenario_dir()
ISO3 = re.compile(r"^[A-Z]{3}$")
DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
#: A power's values of the world file besides its budgets: each a (P,) array of World (or (P, R) when a
#: sweep varies it from run to run), and each a knob of scenario.powers.CODE.
POWER_ATTRIBUTES: tuple[str, ...] = (
    "troops_deployable",
    "colonial_baggage",
    "conditionality",
    "regime_protection",
    "overstretch",
    "remote_security",
    "strain_volatility",
    "host_price_usd_m",
)
#: Power attributes a world file may leave out (0 then): instruments and drivers only some powers have.
OPTIONAL_POWER_ATTRIBUTES: frozenset[str] = frozenset({"remote_security", "strain_volatility", "host_price_usd_m"})
#: Upper bounds of the power attributes that are not shares (0..1).
POWER_ATTRIBUTE_MAX: dict[str, float] = {"troops_deployable": 1e7, "host_price_usd_m": 1e4}
NO_COUP_MONTHS = 10_000  # "no coup on record": further back than any window


class WorldError(ValueError):
    """A world file that cannot be used; the message names the file, the field and the fix."""


@dataclass
class World:
    """The static facts of a scenario plus its starting values, as arrays (no run axis)."""

    path: Path
    name: str
    title: str
    as_of: str  # 'YYYY-MM', the month of step 0
    states: list[str]
    state_names: list[str]
    capitals: list[str]
    lon: np.ndarray
    lat: np.ndarray
    population_m: np.ndarray
    gdp_usd_bn: np.ndarray
    capacity: np.ndarray
    nationalism: np.ndarray
    resources: list[list[str]]
    powers: list[str]
    power_names: list[str]
    budget_usd_m: np.ndarray  # (P, 3): security, economic, information per month
    troops_deployable: np.ndarray  # (P,)
    colonial_baggage: np.ndarray
    conditionality: np.ndarray
    regime_protection: np.ndarray
    overstretch: np.ndarray
    remote_security: np.ndarray  # (P,) security help without troops (armed drones sold with training), 0..1
    strain_volatility: np.ndarray  # (P,) quarterly standard deviation of its overstretch around the world's value
    host_price_usd_m: np.ndarray  # (P,) what a host pays for 1,000 of its troops a month, US$ m (0 = it pays itself)
    strain_drivers: list[str]  # (P,) what moves its overstretch, in words ('' for none), e.g. the war in Ukraine
    rivalry: np.ndarray  # (P, P), symmetric, zero diagonal
    blocs: list[str]
    bloc_names: list[str]
    bloc_sanctions_coups: np.ndarray  # (B,) bool
    bloc_mutual_defence: np.ndarray  # (B,) bool: an alliance of juntas (the AES)
    groups: list[str]
    group_names: list[str]
    group_growth: np.ndarray  # (G,) multiplier of insurgency.growth for each group (its own dynamics)
    graph: nx.Graph
    neighbours: np.ndarray  # (S, D) indices, padded with the state itself
    neighbour_mask: np.ndarray  # (S, D) bool
    trade: np.ndarray  # (S, P) each power's share of the state's goods trade, 0..1
    defence_pact: np.ndarray  # (S, P) 0..1: a power's standing commitment to protect this state's government
    base_names: list[str]
    base_state: np.ndarray  # (K,)
    base_lon: np.ndarray
    base_lat: np.ndarray
    # starting values
    regime: np.ndarray  # (S,) 0 civilian, 1 junta
    months_since_coup: np.ndarray  # (S,)
    at_war: np.ndarray  # (S,) bool: a war between armed forces (not an insurgency) under way at the start
    legitimacy: np.ndarray
    insurgency: np.ndarray  # (S, G)
    member: np.ndarray  # (S, B) bool
    sanctioned: np.ndarray  # (S, B) bool
    affinity: np.ndarray  # (S, P)
    opinion: np.ndarray
    troops: np.ndarray
    withdraw_left: np.ndarray  # (S, P) months until forces are gone; 0 = not withdrawing
    expelled: np.ndarray
    aid_suspended: np.ndarray
    aid_security_usd_m: np.ndarray
    aid_economic_usd_m: np.ndarray
    base_owner: np.ndarray  # (K,) power index, -1 = held by the host
    base_co_tenant: np.ndarray  # (K,) power index or -1
    scripted: list[ScriptedEvent] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)  # dated commitments known at as_of

    @property
    def threat(self) -> np.ndarray:
        """Starting combined insurgent threat of each state, (S,): the level its legitimacy is set against."""
        return threat(self.insurgency)

    def date_of(self, step: int) -> str:
        """'YYYY-MM' of a step (step 0 is the world's as_of month)."""
        return month_to_str(str_to_month(self.as_of) + step)


def _real_date(m: re.Match) -> bool:
    try:
        dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return False
    return True


def str_to_month(text: str) -> int:
    m = DATE.match(text)
    if not m:
        raise ValueError(text)
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def month_to_str(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class _Reader:
    """Field access with errors that name the file and the field."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, problem: str, fix: str) -> WorldError:
        return WorldError(
            f"World file {self.path}: {where}: {problem}. {fix} (the format is described in docs/world-format.md)."
        )

    def get(self, rec: dict, key: str, where: str, default: Any = ..., kind: str = "a value") -> Any:
        if not isinstance(rec, dict):
            raise self.fail(
                where,
                f"expected a mapping with the field '{key}', found {type(rec).__name__}",
                "Write this entry as 'key: value' lines",
            )
        if key not in rec or rec[key] is None:
            if default is ...:
                raise self.fail(f"{where}.{key}", "the field is missing", f"Add '{key}:' with {kind}")
            return default
        return rec[key]

    def number(self, rec: dict, key: str, where: str, lo: float, hi: float, default: Any = ...) -> float:
        value = self.get(rec, key, where, default, kind=f"a number between {lo} and {hi}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            raise self.fail(
                f"{where}.{key}", f"expected a number, found {value!r}", f"Write a number between {lo} and {hi}"
            )
        if not lo <= value <= hi:
            raise self.fail(f"{where}.{key}", f"{value!r} is out of range", f"It must be between {lo} and {hi}")
        return float(value)

    def flag(self, rec: dict, key: str, where: str, default: bool = False) -> bool:
        value = self.get(rec, key, where, default)
        if not isinstance(value, bool):
            raise self.fail(f"{where}.{key}", f"expected true or false, found {value!r}", "Write true or false")
        return value

    def date(self, rec: dict, key: str, where: str, default: Any = ...) -> str | None:
        value = self.get(rec, key, where, default, kind="a date 'YYYY-MM' or 'YYYY-MM-DD'")
        if value is None:
            return None
        if isinstance(value, (dt.date, dt.datetime)):
            return f"{value.year:04d}-{value.month:02d}"
        m = DATE.match(str(value))
        if not m or not _real_date(m):
            raise self.fail(
                f"{where}.{key}",
                f"{value!r} is not a date",
                "Write it as 'YYYY-MM' or 'YYYY-MM-DD', quoted, e.g. '2024-05'",
            )
        return f"{m.group(1)}-{m.group(2)}"

    def code(self, rec: dict, key: str, where: str, known: dict[str, int], what: str, default: Any = ...) -> int:
        if default is ... and rec.get(key) == "":
            rec = {k: v for k, v in rec.items() if k != key}
        value = self.get(rec, key, where, default, kind=f"a {what} code")
        if value is None or value == "":
            return -1
        if value not in known:
            raise self.fail(
                f"{where}.{key}",
                f"unknown {what} code {value!r}",
                f"Use one of the {what}s listed in the file: {', '.join(known)}",
            )
        return known[value]

    def sourced(self, rec: dict, where: str) -> None:
        self.get(rec, "source", where, kind="a URL or publication the fact comes from")
        self.date(rec, "as_of", where)


def _safe_load(path: Path) -> dict:
    name = f"World file {path}"
    try:
        text = data_yaml.read_text(path, name)
    except OSError as exc:
        raise WorldError(
            f"World file {path} cannot be read ({exc.strerror}). Check the scenario name: world "
            f"files live in {SCENARIO_DIR} as NAME.yaml."
        ) from None
    except data_yaml.DataYamlError as exc:
        raise WorldError(f"{exc} World files live in {SCENARIO_DIR} as NAME.yaml (docs/world-format.md).") from None
    try:
        data = data_yaml.load_text(text, name)
    except data_yaml.DataYamlError as exc:
        raise WorldError(f"{exc} (The format is described in docs/world-format.md.)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        field_path = _path_at_line(text, mark.line) if mark is not None else ""
        if field_path:
            line += f" (field {field_path})"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise WorldError(
            f"World file {path} is not valid world YAML{line}: {problem}. World files are data "
            f"only: plain mappings, lists, numbers and text, with no tags such as !!python/... "
            f"(the format is described in docs/world-format.md)."
        ) from None
    except ValueError as exc:  # an unquoted impossible date such as 2024-06-31
        where = next(
            (
                f" at line {n} (field {_path_at_line(text, n - 1) or '?'})"
                for n, ln in enumerate(text.splitlines(), 1)
                if (d := re.search(r":\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*(#.*)?$", ln))
                and not _real_date(re.match(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", "-".join(d.groups()[:3])))
            ),
            "",
        )
        raise WorldError(
            f"World file {path} has an impossible date{where}: {exc}. Write dates as real "
            f"calendar dates, quoted, e.g. '2024-06-30' (the format is described in "
            f"docs/world-format.md)."
        ) from None
    if not isinstance(data, dict):
        raise WorldError(
            f"World file {path}: the top level must be a mapping with keys meta, powers, states, "
            f"... (the format is described in docs/world-format.md)."
        )
    problem = check_shape(data)
    if problem is not None:
        line = _line_of(text, problem.path)
        where = f" at line {line}" if line else ""
        raise WorldError(
            f"World file {path}{where}: {dotted(problem.path, data)}: {problem.problem}. "
            f"{problem.fix} (the format is described in docs/world-format.md; editors can check it "
            f"with schemas/world.schema.json)."
        )
    return data


def _line_of(text: str, path: tuple) -> int | None:
    """The 1-based line of the YAML node at `path` (keys and indices), or of its deepest existing parent."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _path_at_line(text: str, line: int) -> str:
    """The dotted path of the YAML node starting on `line`, found without constructing anything."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return ""

    def walk(node: yaml.Node, path: str) -> str:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = f"{path}.{key.value}" if path else str(key.value)
                if key.start_mark.line == line:
                    return sub
                found = walk(value, sub)
                if found:
                    return found
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                found = walk(item, f"{path}[{i}]")
                if found:
                    return found
                if item.start_mark.line == line:
                    return f"{path}[{i}]"
        return ""

    return walk(root, "") if root is not None else ""


def scenario_path(name: str) -> Path:
    """The world file for a scenario name (or a path to a .yaml file)."""
    p = Path(name)
    if p.suffix in (".yaml", ".yml"):
        return p
    return SCENARIO_DIR / f"{name}.yaml"


@dataclass
class _Codes:
    """The codes read so far, to their indices: what later sections refer to."""

    as_of: str = ""  # meta.as_of, 'YYYY-MM'
    t0: int = 0  # the same month as a month count
    powers: dict[str, int] = field(default_factory=dict)
    states: dict[str, int] = field(default_factory=dict)
    blocs: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def of(world: World) -> _Codes:
        """The codes of a loaded world."""
        index = lambda codes: {c: i for i, c in enumerate(codes)}  # noqa: E731
        return _Codes(
            as_of=world.as_of,
            t0=str_to_month(world.as_of),
            powers=index(world.powers),
            states=index(world.states),
            blocs=index(world.blocs),
        )


Fields = dict[str, Any]  # World fields filled by one section of the file


def load_world(path: Path | str, knobs: ScenarioConf | None = None) -> World:
    """Read, validate and convert a world file; apply an experiment's scenario knobs on top."""
    path = Path(path)
    data = _safe_load(path)
    r = _Reader(path)
    codes = _Codes()
    fields: Fields = {"path": path}
    for section in (
        _read_meta,
        _read_powers,
        _read_states,
        _read_borders,
        _read_blocs,
        _read_insurgents,
        _read_ties,
        _read_trade,
        _read_presence,
        _read_bases,
        _read_sanctions,
        _read_scripted,
        _read_commitments,
    ):
        fields.update(section(r, data, codes))
    world = World(**fields)
    _check_commitments(r, world)
    apply_knobs(world, knobs or ScenarioConf(name=str(path)))
    return world


def _listed(r: _Reader, data: dict, key: str, what: str, fix: str) -> list:
    """A top-level section that must be a non-empty list."""
    raw = r.get(data, key, "top level", kind=f"a list of {what}")
    if not isinstance(raw, list) or not raw:
        raise r.fail(key, "expected a non-empty list", fix)
    return raw


def _read_meta(r: _Reader, data: dict, codes: _Codes) -> Fields:
    meta = r.get(data, "meta", "top level", kind="name, title and as_of")
    as_of = r.date(meta, "as_of", "meta")
    codes.as_of, codes.t0 = as_of, str_to_month(as_of)
    return {
        "name": str(r.get(meta, "name", "meta", r.path.stem)),
        "title": str(r.get(meta, "title", "meta", "")),
        "as_of": as_of,
    }


def _read_powers(r: _Reader, data: dict, codes: _Codes) -> Fields:
    praw = _listed(r, data, "powers", "powers", "List the foreign powers (USA, FRA, RUS, ...)")
    P = len(praw)
    names, drivers, budget = [], [], np.zeros((P, 3))
    attrs = {k: np.zeros(P) for k in POWER_ATTRIBUTES}
    for i, rec in enumerate(praw):
        where = f"powers[{i}]"
        code = r.get(rec, "code", where, kind="a code such as USA")
        if not isinstance(code, str) or not ISO3.match(code):
            raise r.fail(f"{where}.code", f"{code!r} is not a three-letter upper-case code", "Write e.g. USA")
        if code in codes.powers:
            raise r.fail(f"{where}.code", f"{code} is listed twice", "Keep one entry per power")
        codes.powers[code] = i
        where = f"powers[{code}]"
        names.append(str(r.get(rec, "name", where, code)))
        for j, channel in enumerate(CHANNELS):
            budget[i, j] = r.number(rec, f"budget_{channel}_usd_m", where, 0.0, 1e6)
        for key in POWER_ATTRIBUTES:
            attrs[key][i] = r.number(
                rec,
                key,
                where,
                0.0,
                POWER_ATTRIBUTE_MAX.get(key, 1.0),
                0.0 if key in OPTIONAL_POWER_ATTRIBUTES else ...,
            )
        driver = r.get(rec, "strain_driver", where, "")
        if not isinstance(driver, str):
            raise r.fail(
                f"{where}.strain_driver",
                f"expected text, found {driver!r}",
                "Name what moves the power's overstretch in words, e.g. 'the war in Ukraine'",
            )
        if attrs["strain_volatility"][i] > 0 and not driver.strip():
            raise r.fail(
                f"{where}.strain_driver",
                "the field is missing while strain_volatility is above 0",
                "Name the global driver that moves the power's overstretch, e.g. 'the war in Ukraine'",
            )
        drivers.append(driver.strip())
        r.sourced(rec, where)
    return {
        "powers": list(codes.powers),
        "power_names": names,
        "budget_usd_m": budget,
        "rivalry": np.zeros((P, P)),
        "strain_drivers": drivers,
        **attrs,
    }


def _read_states(r: _Reader, data: dict, codes: _Codes) -> Fields:
    sraw = _listed(r, data, "states", "states", "List the states with their ISO3 codes")
    S = len(sraw)
    names, capitals, resources = [], [], []
    lon, lat, pop, gdp, cap, nat, leg = (np.zeros(S) for _ in range(7))
    regime = np.zeros(S, dtype=np.int8)
    since_coup = np.full(S, NO_COUP_MONTHS, dtype=np.int64)
    at_war = np.zeros(S, dtype=bool)
    for i, rec in enumerate(sraw):
        where = f"states[{i}]"
        code = r.get(rec, "code", where, kind="an ISO3 code")
        if not isinstance(code, str) or not ISO3.match(code):
            raise r.fail(f"{where}.code", f"{code!r} is not an ISO3 code", "Write a three-letter code such as NER")
        if code in codes.states:
            raise r.fail(f"{where}.code", f"{code} is listed twice", "Keep one entry per state")
        if code in codes.powers:
            raise r.fail(f"{where}.code", f"{code} is also a power code", "Use distinct codes for states and powers")
        codes.states[code] = i
        where = f"states[{code}]"
        names.append(str(r.get(rec, "name", where, code)))
        capital = r.get(rec, "capital", where, kind="{name, lon, lat}")
        capitals.append(str(r.get(capital, "name", f"{where}.capital", "")))
        lon[i] = r.number(capital, "lon", f"{where}.capital", -180.0, 180.0)
        lat[i] = r.number(capital, "lat", f"{where}.capital", -90.0, 90.0)
        pop[i] = r.number(rec, "population_m", where, 1e-3, 1e4)
        gdp[i] = r.number(rec, "gdp_usd_bn", where, 1e-3, 1e5)
        reg = r.get(rec, "regime", where, kind="civilian or junta")
        if reg not in REGIMES:
            raise r.fail(f"{where}.regime", f"{reg!r} is not a regime", "Write civilian or junta")
        regime[i] = REGIMES.index(reg)
        last = r.date(rec, "last_coup", where, default=None if regime[i] == 0 else ...)
        if last is not None:
            since_coup[i] = codes.t0 - str_to_month(last)
            if since_coup[i] < 0:
                raise r.fail(
                    f"{where}.last_coup",
                    f"{last} is after the world's as_of {codes.as_of}",
                    "Give a date on or before meta.as_of",
                )
        war = r.date(rec, "war_since", where, default=None)
        if war is not None:
            if str_to_month(war) > codes.t0:
                raise r.fail(
                    f"{where}.war_since",
                    f"{war} is after the world's as_of {codes.as_of}",
                    "Give the month the war began, on or before meta.as_of, or leave the field out",
                )
            at_war[i] = True
        leg[i] = r.number(rec, "legitimacy", where, 0.0, 1.0)
        cap[i] = r.number(rec, "capacity", where, 0.0, 1.0)
        nat[i] = r.number(rec, "nationalism", where, 0.0, 1.0)
        res = r.get(rec, "resources", where, [])
        resources.append([str(x) for x in res] if isinstance(res, list) else [str(res)])
        r.sourced(rec, where)
    return {
        "states": list(codes.states),
        "state_names": names,
        "capitals": capitals,
        "lon": lon,
        "lat": lat,
        "population_m": pop,
        "gdp_usd_bn": gdp,
        "capacity": cap,
        "nationalism": nat,
        "resources": resources,
        "regime": regime,
        "months_since_coup": since_coup,
        "at_war": at_war,
        "legitimacy": leg,
    }


def _read_borders(r: _Reader, data: dict, codes: _Codes) -> Fields:
    """The land borders as a graph and as padded neighbour lists (S, D) for the rules."""
    braw = r.get(data, "borders", "top level", kind="{source, as_of, pairs}")
    r.sourced(braw, "borders")
    S = len(codes.states)
    graph = nx.Graph()
    graph.add_nodes_from(range(S))
    pairs = r.get(braw, "pairs", "borders", kind="a list of [ISO3, ISO3] pairs")
    for j, pair in enumerate(pairs if isinstance(pairs, list) else [pairs]):
        if not isinstance(pair, list) or len(pair) != 2:
            raise r.fail(
                f"borders.pairs[{j}]", f"expected a pair [ISO3, ISO3], found {pair!r}", "Write e.g. [NER, MLI]"
            )
        a, b = (r.code({"s": x}, "s", f"borders.pairs[{j}]", codes.states, "state") for x in pair)
        if a == b:
            raise r.fail(f"borders.pairs[{j}]", f"{pair[0]} borders itself", "Remove the pair")
        graph.add_edge(a, b)
    D = max([d for _, d in graph.degree()] + [1])
    nbr = np.tile(np.arange(S)[:, None], (1, D))
    nmask = np.zeros((S, D), dtype=bool)
    for s in range(S):
        ns = sorted(graph.neighbors(s))
        nbr[s, : len(ns)] = ns
        nmask[s, : len(ns)] = True
    return {"graph": graph, "neighbours": nbr, "neighbour_mask": nmask}


def _read_blocs(r: _Reader, data: dict, codes: _Codes) -> Fields:
    blraw = r.get(data, "blocs", "top level", [])
    B, S = len(blraw), len(codes.states)
    names, sanctions_coups, defence = [], np.zeros(B, bool), np.zeros(B, bool)
    member = np.zeros((S, B), dtype=bool)
    for i, rec in enumerate(blraw):
        where = f"blocs[{i}]"
        code = str(r.get(rec, "code", where, kind="a code such as ECOWAS"))
        if code in codes.blocs:
            raise r.fail(f"{where}.code", f"{code} is listed twice", "Keep one entry per bloc")
        codes.blocs[code] = i
        where = f"blocs[{code}]"
        names.append(str(r.get(rec, "name", where, code)))
        sanctions_coups[i] = r.flag(rec, "sanctions_coups", where, False)
        defence[i] = r.flag(rec, "mutual_defence", where, not sanctions_coups[i])
        for j, m in enumerate(r.get(rec, "members", where, [])):
            member[r.code({"m": m}, "m", f"{where}.members[{j}]", codes.states, "state"), i] = True
        r.sourced(rec, where)
    return {
        "blocs": list(codes.blocs),
        "bloc_names": names,
        "bloc_sanctions_coups": sanctions_coups,
        "bloc_mutual_defence": defence,
        "member": member,
    }


def _read_insurgents(r: _Reader, data: dict, codes: _Codes) -> Fields:
    graw = r.get(data, "insurgents", "top level", [])
    ins = np.zeros((len(codes.states), max(len(graw), 1)))
    groups, names = [], []
    growth = np.ones(max(len(graw), 1))
    for i, rec in enumerate(graw):
        where = f"insurgents[{i}]"
        code = str(r.get(rec, "code", where, kind="a code such as JNIM"))
        groups.append(code)
        names.append(str(r.get(rec, "name", f"insurgents[{code}]", code)))
        intensity = r.get(rec, "intensity", f"insurgents[{code}]", {})
        if not isinstance(intensity, dict):
            raise r.fail(f"insurgents[{code}].intensity", "expected a mapping ISO3: 0..1", "Write e.g. {MLI: 0.6}")
        for st in intensity:
            s = r.code({"s": st}, "s", f"insurgents[{code}].intensity", codes.states, "state")
            ins[s, i] = r.number(intensity, st, f"insurgents[{code}].intensity", 0.0, 1.0)
        growth[i] = r.number(rec, "growth_factor", f"insurgents[{code}]", 0.0, 5.0, default=1.0)
        r.sourced(rec, f"insurgents[{code}]")
    if not graw:
        groups, names = ["NONE"], ["no insurgent group"]
    return {"groups": groups, "group_names": names, "group_growth": growth, "insurgency": ins}


def _read_ties(r: _Reader, data: dict, codes: _Codes) -> Fields:
    """Affinity, opinion, aid and defence pacts of each state-power pair: defaults, then the listed ties."""
    defaults = r.get(data, "tie_defaults", "top level", kind="affinity, opinion, source, as_of")
    r.sourced(defaults, "tie_defaults")
    shape = (len(codes.states), len(codes.powers))
    aff = np.full(shape, r.number(defaults, "affinity", "tie_defaults", -1.0, 1.0))
    opi = np.full(shape, r.number(defaults, "opinion", "tie_defaults", -1.0, 1.0))
    aid_sec, aid_eco, pact = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    expelled, suspended = np.zeros(shape, bool), np.zeros(shape, bool)
    states, powers = list(codes.states), list(codes.powers)
    for i, rec in enumerate(r.get(data, "ties", "top level", [])):
        where = f"ties[{i}]"
        s = r.code(rec, "state", where, codes.states, "state")
        p = r.code(rec, "power", where, codes.powers, "power")
        where = f"ties[{states[s]}-{powers[p]}]"
        aff[s, p] = r.number(rec, "affinity", where, -1.0, 1.0, aff[s, p])
        opi[s, p] = r.number(rec, "opinion", where, -1.0, 1.0, opi[s, p])
        aid_sec[s, p] = r.number(rec, "aid_security_usd_m", where, 0.0, 1e5, 0.0)
        aid_eco[s, p] = r.number(rec, "aid_economic_usd_m", where, 0.0, 1e5, 0.0)
        pact[s, p] = r.number(rec, "defence_pact", where, 0.0, 1.0, 0.0)
        expelled[s, p] = r.flag(rec, "expelled", where)
        suspended[s, p] = r.flag(rec, "aid_suspended", where)
        r.sourced(rec, where)
    return {
        "affinity": aff,
        "opinion": opi,
        "aid_security_usd_m": aid_sec,
        "aid_economic_usd_m": aid_eco,
        "expelled": expelled,
        "aid_suspended": suspended,
        "defence_pact": pact,
    }


def _read_trade(r: _Reader, data: dict, codes: _Codes) -> Fields:
    """Each power's share of each state's goods trade (exports plus imports), one sourced entry per state;
    a state or power not listed has a share of 0."""
    trade = np.zeros((len(codes.states), len(codes.powers)))
    seen: set[int] = set()
    entries = r.get(data, "trade", "top level", [])
    if not isinstance(entries, list):
        raise r.fail(
            "trade",
            "expected a list of entries (state, shares, year, source, as_of)",
            "Write one entry per state, e.g. '- state: NER' with its shares, year, source and as_of",
        )
    for i, rec in enumerate(entries):
        s = r.code(rec, "state", f"trade[{i}]", codes.states, "state")
        where = f"trade[{list(codes.states)[s]}]"
        if s in seen:
            raise r.fail(where, "the state is listed twice", "Keep one entry per state")
        seen.add(s)
        shares = r.get(rec, "shares", where, kind="a mapping power: share of the state's trade, e.g. {CHN: 0.2}")
        if not isinstance(shares, dict):
            raise r.fail(f"{where}.shares", "expected a mapping power: share", "Write e.g. {CHN: 0.21, FRA: 0.08}")
        for code in shares:
            p = r.code({"p": code}, "p", f"{where}.shares", codes.powers, "power")
            trade[s, p] = r.number(shares, code, f"{where}.shares", 0.0, 1.0)
        if trade[s].sum() > 1.0 + 1e-9:
            raise r.fail(
                f"{where}.shares",
                f"the shares add up to {trade[s].sum():.2f}, more than the whole trade",
                "Each share is a fraction of the state's total goods trade; they cannot add up above 1",
            )
        r.number(rec, "year", where, 1950, 2100)
        r.sourced(rec, where)
    return {"trade": trade}


def _read_presence(r: _Reader, data: dict, codes: _Codes) -> Fields:
    """Foreign troops at the start, and withdrawals already under way."""
    shape = (len(codes.states), len(codes.powers))
    troops, withdraw_left = np.zeros(shape), np.zeros(shape, dtype=np.int64)
    for i, rec in enumerate(r.get(data, "presence", "top level", [])):
        where = f"presence[{i}]"
        s = r.code(rec, "state", where, codes.states, "state")
        p = r.code(rec, "power", where, codes.powers, "power")
        troops[s, p] = r.number(rec, "troops", where, 0.0, 1e6)
        ends = r.date(rec, "withdrawal_ends", where, default=None)
        if ends is not None:
            left = str_to_month(ends) - codes.t0
            if left < 1:
                raise r.fail(
                    f"{where}.withdrawal_ends",
                    f"{ends} is not after as_of {codes.as_of}",
                    "Give a month after meta.as_of, or drop the field and the troops",
                )
            withdraw_left[s, p] = left
        r.sourced(rec, where)
    return {"troops": troops, "withdraw_left": withdraw_left}


def _read_bases(r: _Reader, data: dict, codes: _Codes) -> Fields:
    kraw = r.get(data, "bases", "top level", [])
    K = len(kraw)
    names, state = [], np.zeros(K, dtype=np.int64)
    lon, lat = np.zeros(K), np.zeros(K)
    owner, co_tenant = np.full(K, -1, dtype=np.int64), np.full(K, -1, dtype=np.int64)
    for i, rec in enumerate(kraw):
        where = f"bases[{i}]"
        names.append(str(r.get(rec, "name", where, kind="the base's name")))
        state[i] = r.code(rec, "state", where, codes.states, "state")
        owner[i] = r.code(rec, "owner", where, codes.powers, "power", default=None)
        co_tenant[i] = r.code(rec, "co_tenant", where, codes.powers, "power", default=None)
        lon[i] = r.number(rec, "lon", where, -180.0, 180.0)
        lat[i] = r.number(rec, "lat", where, -90.0, 90.0)
        r.sourced(rec, where)
    return {
        "base_names": names,
        "base_state": state,
        "base_lon": lon,
        "base_lat": lat,
        "base_owner": owner,
        "base_co_tenant": co_tenant,
    }


def _read_sanctions(r: _Reader, data: dict, codes: _Codes) -> Fields:
    sanctioned = np.zeros((len(codes.states), len(codes.blocs)), dtype=bool)
    for i, rec in enumerate(r.get(data, "sanctions", "top level", [])):
        where = f"sanctions[{i}]"
        s = r.code(rec, "state", where, codes.states, "state")
        b = r.code(rec, "bloc", where, codes.blocs, "bloc")
        r.date(rec, "since", where)
        sanctioned[s, b] = True
        r.sourced(rec, where)
    return {"sanctioned": sanctioned}


def _read_scripted(r: _Reader, data: dict, codes: _Codes) -> Fields:
    events = [
        _scripted(r, rec, f"scripted_events[{i}]", codes, require_source=True)
        for i, rec in enumerate(r.get(data, "scripted_events", "top level", []))
    ]
    return {"scripted": events}


def _read_commitments(r: _Reader, data: dict, codes: _Codes) -> Fields:
    """Dated commitments known at the start (docs/world-format.md, `commitments[]`)."""
    raw = r.get(data, "commitments", "top level", [])
    if not isinstance(raw, list):
        raise r.fail(
            "commitments",
            f"expected a list, found {type(raw).__name__}",
            "Write one '- id: ...' entry per commitment, or leave the section out",
        )
    out: list[Commitment] = []
    for i, rec in enumerate(raw):
        where = f"commitments[{i}]"
        cid = r.get(rec, "id", where, kind="a short unique name such as aes_exit_ecowas")
        if not isinstance(cid, str) or not re.match(r"^[A-Za-z0-9_.-]+$", cid):
            raise r.fail(
                f"{where}.id", f"{cid!r} is not a name", "Write letters, digits, '_', '-' or '.', e.g. gab_election"
            )
        if any(c.id == cid for c in out):
            raise r.fail(f"{where}.id", f"{cid} is listed twice", "Give every commitment its own id")
        where = f"commitments[{cid}]"
        kind = r.get(rec, "kind", where, kind=f"one of {', '.join(KINDS)}")
        if kind not in KINDS:
            raise r.fail(f"{where}.kind", f"{kind!r} is not a kind of commitment", f"Write one of {', '.join(KINDS)}")
        if ("state" in rec) == ("states" in rec):
            raise r.fail(
                where,
                "give either 'state' (one state) or 'states' (a joint commitment), not both or neither",
                "Write e.g. 'state: GAB' or 'states: [MLI, BFA, NER]'",
            )
        listed = rec["states"] if "states" in rec else [rec["state"]]
        if not isinstance(listed, list) or not listed:
            raise r.fail(
                f"{where}.states",
                f"expected a non-empty list of state codes, found {listed!r}",
                "Write e.g. [MLI, BFA, NER]",
            )
        states = tuple(r.code({"s": x}, "s", f"{where}.states", codes.states, "state") for x in listed)
        if len(set(states)) != len(states):
            raise r.fail(f"{where}.states", "a state is listed twice", "List each state once")
        if kind == "election" and len(states) > 1:
            raise r.fail(f"{where}.states", "an election is one state's", "Write one commitment per state")
        due = r.date(rec, "due", where)
        step = str_to_month(due) - codes.t0
        if step < 1:
            raise r.fail(
                f"{where}.due",
                f"{due} is not after the world's as_of month {codes.as_of}",
                "A commitment due by the start has either happened (write it into the starting state) or "
                "slipped (give its new date, or leave it out)",
            )
        as_of = r.date(rec, "as_of", where)
        if str_to_month(as_of) > codes.t0:
            raise r.fail(
                f"{where}.as_of",
                f"{as_of} is after the world's as_of month {codes.as_of}",
                "A world may only use what was known at its start: date the commitment by the source that "
                "made it public then, or leave it out",
            )
        source = r.get(rec, "source", where, kind="a URL or publication the commitment comes from")
        bloc = r.code(rec, "bloc", where, codes.blocs, "bloc", default=... if kind == "bloc_exit" else None)
        power = r.code(rec, "power", where, codes.powers, "power", default=... if kind == "drawdown" else None)
        troops = r.number(rec, "troops", where, 0.0, 1e6, default=... if kind == "drawdown" else 0.0)
        on_time = r.number(rec, "on_time", where, 0.0, 1.0) if rec.get("on_time") is not None else None
        out.append(
            Commitment(
                id=cid,
                kind=kind,
                states=states,
                due=step,
                on_time=on_time,
                bloc=bloc,
                power=power,
                troops=troops,
                note=str(rec.get("note", "") or ""),
                source=str(source),
                as_of=as_of,
            )
        )
    return {"commitments": out}


def _check_commitments(r: _Reader, world: World) -> None:
    """Each commitment must find what it acts on in the starting world."""
    for c in world.commitments:
        where = f"commitments[{c.id}]"
        for s in c.states:
            code = world.states[s]
            if c.kind == "election" and world.regime[s] != 1:
                raise r.fail(
                    f"{where}.state",
                    f"{code} is not ruled by a junta at the start",
                    "An election commitment is a junta's timetable: name a state with 'regime: junta'",
                )
            if c.kind == "bloc_exit" and not world.member[s, c.bloc]:
                raise r.fail(
                    f"{where}.states",
                    f"{code} is not a member of {world.blocs[c.bloc]} at the start",
                    f"List it among the members of {world.blocs[c.bloc]}, or leave it out of the exit",
                )
            if c.kind == "drawdown" and not world.troops[s, c.power] > c.troops:
                raise r.fail(
                    f"{where}.troops",
                    f"{world.powers[c.power]} has {world.troops[s, c.power]:.0f} troops "
                    f"in {code} at the start, not more than the {c.troops:.0f} left after the cut",
                    "Give the troops left after the cut, below the starting presence",
                )


def _scripted(
    r: _Reader, rec: dict, where: str, codes: _Codes, require_source: bool, step: int | None = None
) -> ScriptedEvent:
    """A scripted event record (codes) as the model applies it (indices), every field checked; its month
    is the record's date unless `step` is given."""
    if step is None:
        date = r.date(rec, "date", where)
        step = str_to_month(date) - codes.t0
        if step < 1:
            raise r.fail(
                f"{where}.date",
                f"{date} is not after the world's as_of month",
                "Scripted events happen during the run: give a later month",
            )
    etype = r.get(rec, "type", where, kind="an event type")
    if etype not in EVENT_TYPES:
        raise r.fail(f"{where}.type", f"unknown event type {etype!r}", f"Use one of {', '.join(EVENT_TYPES)}")
    if etype not in SCRIPTABLE:
        raise r.fail(
            f"{where}.type",
            f"{etype!r} events cannot be scripted: they follow from other events",
            f"Script one of {', '.join(SCRIPTABLE)} (a base changes hands when forces withdraw)",
        )
    if require_source:
        source = r.get(rec, "source", where, kind="the source of the event")
    else:
        source = rec.get("source") or rec.get("note", "")
    needs = EVENTS[etype].partner
    power = r.code(rec, "power", where, codes.powers, "power", default=... if needs == "power" else None)
    bloc = r.code(rec, "bloc", where, codes.blocs, "bloc", default=... if needs == "bloc" else None)
    return ScriptedEvent(
        step=step,
        type=etype,
        state=r.code(rec, "state", where, codes.states, "state"),
        power=power,
        bloc=bloc,
        troops=r.number(rec, "troops", where, 0.0, 1e6, 0.0),
        note=str(rec.get("note", "") or ""),
        source=str(source or ""),
    )


def scripted_event(
    world: World, spec: ScriptedEventConf, *, origin: str, where: str, step: int | None = None
) -> ScriptedEvent:
    """A scripted event given by codes (an experiment's extra event, a facilitator's inject) as the model
    applies it: its codes checked against the world, its month the spec's date unless `step` is given.
    A WorldError names `origin` (where the event comes from) and `where` (its field there)."""
    record = {k: (v if v != "" else None) for k, v in dataclasses.asdict(spec).items()}
    return _scripted(_Reader(Path(origin)), record, where, _Codes.of(world), require_source=False, step=step)


def _pair(key: str, what: str, sidx: dict, pidx: dict) -> tuple[int, int]:
    parts = str(key).split("-")
    if len(parts) != 2 or parts[0] not in sidx or parts[1] not in pidx:
        raise ConfigError(
            f"Configuration key {what}: {key!r} is not a 'STATE-POWER' pair of this world. Write it as e.g. "
            f"NER-USA with a state among {', '.join(sidx)} and a power among {', '.join(pidx)}."
        )
    return sidx[parts[0]], pidx[parts[1]]


def apply_knobs(world: World, knobs: ScenarioConf) -> None:
    """Apply an experiment's scenario knobs (power, tie and event overrides) to a loaded world."""
    codes = _Codes.of(world)
    pidx, sidx = codes.powers, codes.states
    for code, k in knobs.powers.items():
        if code not in pidx:
            raise ConfigError(
                f"Configuration key scenario.powers.{code}: no power {code!r} in this world. "
                f"Use one of {', '.join(pidx)}."
            )
        p = pidx[code]
        if k.budget_factor is not None:
            world.budget_usd_m[p] *= k.budget_factor
        for name in POWER_ATTRIBUTES:
            value = getattr(k, name)
            if value is not None:
                getattr(world, name)[p] = value
    for key, k in knobs.ties.items():
        s, p = _pair(key, f"scenario.ties.{key}", sidx, pidx)
        if k.affinity is not None:
            world.affinity[s, p] = k.affinity
        if k.opinion is not None:
            world.opinion[s, p] = k.opinion
        if k.expelled is not None:
            world.expelled[s, p] = k.expelled
        if k.aid_suspended is not None:
            world.aid_suspended[s, p] = k.aid_suspended
    for key in knobs.cancel_withdrawals:
        s, p = _pair(key, "scenario.cancel_withdrawals", sidx, pidx)
        world.withdraw_left[s, p] = 0
        world.scripted = [
            e for e in world.scripted if not (e.state == s and e.power == p and e.type == "withdraw_complete")
        ]
    ids = [c.id for c in world.commitments]
    for cid in knobs.cancel_commitments:
        if cid not in ids:
            raise ConfigError(
                f"Configuration value scenario.cancel_commitments names {cid!r}, which is not a "
                f"commitment of the world file {world.path}: use ids among "
                f"{', '.join(ids) or '(none: the world has no commitments)'}. Fix the override or the "
                f"experiment file that sets it."
            )
    world.commitments = [c for c in world.commitments if c.id not in set(knobs.cancel_commitments)]
    for cid, chance in knobs.commitment_on_time.items():
        if cid not in ids or cid in knobs.cancel_commitments:
            raise ConfigError(
                f"Configuration key scenario.commitment_on_time.{cid} names no commitment of the world "
                f"file {world.path} still in force: use ids among {', '.join(ids) or '(none)'}. Fix the "
                f"override or the experiment file that sets it."
            )
        if isinstance(chance, bool) or not isinstance(chance, (int, float)) or not 0.0 <= chance <= 1.0:
            raise ConfigError(
                f"Configuration value scenario.commitment_on_time.{cid}={chance!r} is not a probability: "
                f"write a number from 0 to 1."
            )
        world.commitments = [
            dataclasses.replace(c, on_time=float(chance)) if c.id == cid else c for c in world.commitments
        ]
    for i, ev in enumerate(knobs.extra_events):
        world.scripted.append(
            scripted_event(world, ev, origin="(experiment overlay: scenario.extra_events)", where=f"extra_events[{i}]")
        )
    world.scripted.sort(key=lambda e: e.step)
    P = len(world.powers)
    world.rivalry = np.full((P, P), knobs.rivalry_default)
    for key, value in knobs.rivalry.items():
        a, _, b = str(key).partition("-")
        if not (ISO3.match(a) and ISO3.match(b)) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ConfigError(
                f"Configuration scenario.rivalry.{key}={value!r} is not valid: keys are power pairs "
                f"such as USA-RUS and values numbers between 0 and 1."
            )
        if a in pidx and b in pidx:  # rivalries of powers absent from this world are ignored
            world.rivalry[pidx[a], pidx[b]] = world.rivalry[pidx[b], pidx[a]] = value
    np.fill_diagonal(world.rivalry, 0.0)
