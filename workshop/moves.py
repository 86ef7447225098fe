"""Move files: one YAML file per team per turn, its schema, and its validation against the situation
at the start of the turn. A file is data (read with the safe loader); every problem is reported
with the file, the line and the field, and a move file with any problem is refused as a whole.

Schema (docs/workshop.md has the full description and examples/workshop/ has examples):

    team: USA             # every file: the team's name and the turn the moves are for
    turn: 2
    note: free text       # optional
    # a power team
    allocate: {TCD: {security: 8, economic: 25, information: 1}, ...}   # US$ m per month
    regime_protection: 0.4                                              # 0..1, this turn
    deploy: [{state: TCD, troops: 200, date: '2024-09'}]                 # date optional
    withdraw: [{state: NER}]
    aid: [{state: MLI, action: suspend}]                                 # or resume
    basing: [{base: Air Base 101 Niamey, action: propose, troops: 300}]  # or cancel
    # a government team
    expel: [{state: TCD, power: FRA}]
    invite: [{state: TCD, power: RUS}]
    join: [{state: TCD, bloc: AES}]
    leave: [{state: MLI, bloc: ECOWAS}]
    transition: [{state: MLI, date: '2025-06'}]                           # a handover timetable
    # a bloc team
    sanction: [{state: NER}]
    lift: [{state: MLI}]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.core.events import ScriptedEvent
from sim.core.params import PlayersConf
from sim.core.state import SimState
from sim.core.vocabulary import CHANNELS
from sim.core.world import DATE, World, str_to_month
from sim.core.world_format import CODE_PATTERN, DATE_PATTERN, suggestion
from workshop.errors import WorkshopError
from workshop.teams import Team
from workshop.yamldoc import Path, YamlDoc, YamlSyntaxError, load

COMMON_KEYS = ("team", "turn", "note")
KEYS: dict[str, tuple[str, ...]] = {
    "power": ("allocate", "regime_protection", "deploy", "withdraw", "aid", "basing"),
    "government": ("expel", "invite", "join", "leave", "transition"),
    "bloc": ("sanction", "lift"),
}
EXAMPLES: dict[str, str] = {
    "allocate": "allocate: {TCD: {security: 8, economic: 25, information: 1}}",
    "regime_protection": "regime_protection: 0.4",
    "deploy": "deploy: [{state: TCD, troops: 200}]",
    "withdraw": "withdraw: [{state: NER}]",
    "aid": "aid: [{state: MLI, action: suspend}]",
    "basing": "basing: [{base: Air Base 101 Niamey, action: propose, troops: 300}]",
    "expel": "expel: [{state: TCD, power: FRA}]",
    "invite": "invite: [{state: TCD, power: RUS}]",
    "join": "join: [{state: TCD, bloc: AES}]",
    "leave": "leave: [{state: MLI, bloc: ECOWAS}]",
    "transition": "transition: [{state: MLI, date: '2025-06'}]",
    "sanction": "sanction: [{state: NER}]",
    "lift": "lift: [{state: MLI}]",
}
#: The fields of each entry of a list-valued move, each mapped to whether it is required.
ENTRY_FIELDS: dict[str, dict[str, bool]] = {
    "deploy": {"state": True, "troops": True, "date": False},
    "withdraw": {"state": True, "date": False},
    "aid": {"state": True, "action": True, "date": False},
    "basing": {"base": True, "action": True, "troops": False, "date": False},
    "expel": {"state": True, "power": True, "date": False},
    "invite": {"state": True, "power": True, "date": False},
    "join": {"state": True, "bloc": True, "date": False},
    "leave": {"state": True, "bloc": True, "date": False},
    "transition": {"state": True, "date": True},
    "sanction": {"state": True, "date": False},
    "lift": {"state": True, "date": False},
}
#: The closed choices of an entry's `action`.
ACTIONS: dict[str, tuple[str, ...]] = {"aid": ("suspend", "resume"), "basing": ("propose", "cancel")}
#: The list-valued moves whose date may fall anywhere in the rest of the game (the others: within the turn).
UNTIL_GAME_END: frozenset[str] = frozenset({"transition"})
FORMAT_HINT = "(the format of move files is in docs/workshop.md)"


def move_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a move file, built from KEYS, ENTRY_FIELDS and ACTIONS, for
    editors (schemas/moves.schema.json). It cannot know the team, so it allows every team kind's keys;
    what depends on the team or the game (whose keys, codes of this world, budgets, the turn's months)
    is checked when the file is submitted."""
    code = {"type": "string", "pattern": CODE_PATTERN}
    value = {
        "state": code,
        "power": code,
        "bloc": {"type": "string"},
        "base": {"type": "string"},
        "troops": {"type": "number", "minimum": 1, "maximum": 1e6},
        "date": {"type": "string", "pattern": DATE_PATTERN},
    }

    def entry(key: str) -> dict[str, Any]:
        fields = ENTRY_FIELDS[key]
        props = {f: ({"type": "string", "enum": list(ACTIONS[key])} if f == "action" else value[f]) for f in fields}
        return {
            "type": "array",
            "items": {
                "type": "object",
                "properties": props,
                "additionalProperties": False,
                "required": [f for f, required in fields.items() if required],
            },
            "description": EXAMPLES[key],
        }

    amounts = {
        "type": "object",
        "additionalProperties": False,
        "properties": {ch: {"type": "number", "minimum": 0, "maximum": 1e6} for ch in CHANNELS},
    }
    props: dict[str, Any] = {
        "team": {"type": "string"},
        "turn": {"type": "integer", "minimum": 1},
        "note": {"type": ["string", "null"]},
        "allocate": {
            "type": ["object", "null"],
            "propertyNames": {"pattern": CODE_PATTERN},
            "additionalProperties": amounts,
            "description": EXAMPLES["allocate"],
        },
        "regime_protection": {"type": "number", "minimum": 0, "maximum": 1},
        **{key: entry(key) for key in ENTRY_FIELDS},
    }
    assert set(props) == {*COMMON_KEYS, *(k for keys in KEYS.values() for k in keys)}  # every key declared
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Workshop move file",
        "description": "Generated from workshop/moves.py by `python -m workshop.schemas`; docs/workshop.md "
        "describes every move.",
        "type": "object",
        "properties": props,
        "additionalProperties": False,
        "required": ["team", "turn"],
    }


def _real_date(year: str, month: str, day: str | None) -> bool:
    """'2024', '06', '30' is a date; month 13 or June 31 is not (the day may be absent)."""
    try:
        dt.date(int(year), int(month), int(day or 1))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Problem:
    """One problem (or warning) in a move file, located by line and field."""

    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        at = f", line {self.line}" if self.line else ""
        fld = f" ({self.where})" if self.where else ""
        return f"{self.file}{at}{fld}: {self.message}"


class MoveRejected(WorkshopError):
    """A move file with problems; str() is one paragraph, `problems` lists them one by one."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = sorted(problems, key=lambda p: p.line)
        self.warnings = warnings or []
        head = problems[0].file if problems else "move file"
        listing = " ".join(f"({i}) {p}" for i, p in enumerate(self.problems, 1))
        super().__init__(
            f"{head} was refused ({len(problems)} problem{'s' * (len(problems) != 1)}): {listing} "
            f"Fix the file and submit it again {FORMAT_HINT}."
        )


@dataclass
class Situation:
    """What the rules of a move are checked against: the world at the start of a turn (run 0)."""

    world: World
    turn: int
    first_step: int  # first month of the turn
    last_step: int  # last month of the turn
    game_last_step: int  # last month of the game
    deploy_size: float
    junta: np.ndarray  # (S,)
    troops: np.ndarray  # (S, P)
    withdrawing: np.ndarray  # (S, P) bool
    expelled: np.ndarray
    invited: np.ndarray
    aid_suspended: np.ndarray
    member: np.ndarray  # (S, B)
    sanctioned: np.ndarray
    base_owner: np.ndarray  # (K,)
    base_co_tenant: np.ndarray
    players: PlayersConf = field(default_factory=PlayersConf)  # actors no rule decides for (--teams-decide)

    @staticmethod
    def at(
        state: SimState,
        world: World,
        turn: int,
        turn_months: int,
        turns: int,
        deploy_size: float,
        players: PlayersConf | None = None,
    ) -> Situation:
        first = (turn - 1) * turn_months + 1
        return Situation(
            players=players or PlayersConf(),
            world=world,
            turn=turn,
            first_step=first,
            last_step=first + turn_months - 1,
            game_last_step=turns * turn_months,
            deploy_size=float(deploy_size),
            junta=state.junta[:, 0].copy(),
            troops=state.troops[..., 0].copy(),
            withdrawing=state.withdraw_left[..., 0] > 0,
            expelled=state.expelled[..., 0].copy(),
            invited=state.invited[..., 0].copy(),
            aid_suspended=state.aid_suspended[..., 0].copy(),
            member=state.member[..., 0].copy(),
            sanctioned=state.sanctioned[..., 0].copy(),
            base_owner=state.base_owner[:, 0].copy(),
            base_co_tenant=state.base_co_tenant[:, 0].copy(),
        )

    def available(self, p: int) -> float:
        """Troops a power can still send: deployable minus deployed (forces still withdrawing count)."""
        return float(self.world.troops_deployable[p] - self.troops[:, p].sum())

    def dates(self) -> str:
        return f"{self.world.date_of(self.first_step)} to {self.world.date_of(self.last_step)}"


@dataclass
class Action(ScriptedEvent):
    """One decision of a move file: the scripted event that carries it out, with what the decision
    was in words, the base it names (a basing move) and its line in the file."""

    base: int = -1  # the base of a basing move
    what: str = ""  # the decision in words
    line: int = 0

    def event(self, team: str) -> ScriptedEvent:
        """The scripted event the model applies; its note (the recorded cause) names the deciding team."""
        carried = {f.name: getattr(self, f.name) for f in dataclasses.fields(ScriptedEvent)}
        return ScriptedEvent(
            **{**carried, "note": f"{self.what} (a decision of team {team})", "source": f"workshop team {team}"}
        )


@dataclass
class Move:
    """A team's accepted moves for one turn."""

    team: Team
    turn: int
    allocation: np.ndarray | None = None  # (S, 3) US$ m per month by channel, power teams
    regime_protection: float | None = None
    actions: list[Action] = field(default_factory=list)
    note: str = ""
    warnings: list[Problem] = field(default_factory=list)

    def summary(self, world: World) -> list[str]:
        """The moves in words, one line each."""
        lines = []
        if self.allocation is not None:
            total = self.allocation.sum(axis=0)
            states = [world.state_names[s] for s in np.nonzero(self.allocation.sum(axis=1) > 0)[0]]
            lines.append(
                f"Allocate per month: security {total[0]:g}, economic {total[1]:g}, information "
                f"{total[2]:g} US$ m" + (f" to {', '.join(states)}" if states else " (nothing spent)")
            )
        if self.regime_protection is not None:
            lines.append(f"Regime protection stance {self.regime_protection:g} (0 = none, 1 = full)")
        lines += [f"{a.what} ({world.date_of(a.step)})" for a in self.actions]
        return lines


@dataclass
class Verdict:
    """A move file checked: its problems and warnings, what its legal moves are (`move`, None if the
    text is not YAML data) and what it spends: troops sent, money by channel (US$ m per month, every
    amount given, also those of a line with a problem), for the running totals of the move form."""

    move: Move | None
    errors: list[Problem]
    warnings: list[Problem]
    troops_sent: float = 0.0
    spent_usd_m: tuple[float, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def check_move(text: str, file: str, team: Team, situation: Situation) -> Verdict:
    """Read and check a move file, collecting every problem (the checks of parse_move)."""
    try:
        doc = load(text)
    except YamlSyntaxError as exc:
        return Verdict(
            None,
            [
                Problem(
                    file,
                    exc.line,
                    "",
                    f"not valid move-file YAML: {exc.message}. Move files are "
                    "data only: mappings, lists, numbers and text, with no tags such as "
                    "!!python/...",
                )
            ],
            [],
        )
    check = _Check(doc, file, team, situation)
    move = check.run()
    move.warnings = check.warnings
    return Verdict(move, check.errors, check.warnings, check.troops_sent, tuple(check.spent))


def parse_move(text: str, file: str, team: Team, situation: Situation) -> Move:
    """Read and check a move file; returns the Move or raises MoveRejected listing every problem."""
    verdict = check_move(text, file, team, situation)
    if verdict.errors:
        raise MoveRejected(verdict.errors, verdict.warnings)
    assert verdict.move is not None
    return verdict.move


def _where(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Check:
    """Walks one move file, collecting problems and warnings and building the Move."""

    def __init__(self, doc: YamlDoc, file: str, team: Team, sit: Situation):
        self.doc, self.file, self.team, self.sit, self.w = doc, file, team, sit, sit.world
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.seen: dict[tuple, Path] = {}
        self.troops_sent = 0.0  # troops every deployment and basing proposal sends, legal or not
        self.spent = [0.0] * len(CHANNELS)  # US$ m per month by channel, every amount given

    # ------------------------------------------------------------ reporting
    def error(self, path: Path, message: str) -> None:
        self.errors.append(Problem(self.file, self.doc.line(path), _where(path), message))

    def warn(self, path: Path, message: str) -> None:
        self.warnings.append(Problem(self.file, self.doc.line(path), _where(path), message))

    # ------------------------------------------------------------ values
    def code(self, path: Path, value: Any, known: list[str], what: str) -> int | None:
        if not isinstance(value, str) or value not in known:
            self.error(path, f"unknown {what} {value!r}: use one of {', '.join(known)}")
            return None
        return known.index(value)

    def state(self, path: Path, value: Any) -> int | None:
        return self.code(path, value, self.w.states, "state code")

    def own_state(self, path: Path, value: Any) -> int | None:
        s = self.state(path, value)
        if s is not None and self.w.states[s] not in self.team.states:
            self.error(
                path,
                f"team {self.team.name} does not control {self.w.state_names[s]} ({value}); it "
                f"controls {', '.join(self.team.states)}",
            )
            return None
        return s

    def number(self, path: Path, value: Any, lo: float, hi: float, what: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            self.error(path, f"expected {what} (a number), found {value!r}")
            return None
        if not lo <= value <= hi:
            self.error(path, f"{value!r} is out of range: {what} must be between {lo:g} and {hi:g}")
            return None
        return float(value)

    def date(self, path: Path, value: Any, last: int | None = None) -> int | None:
        """A month 'YYYY-MM' within the turn (or up to `last`); None means the turn's first month."""
        sit, w = self.sit, self.w
        last = sit.last_step if last is None else last
        if value is None:
            return sit.first_step
        if isinstance(value, (dt.date, dt.datetime)):
            text = f"{value.year:04d}-{value.month:02d}"
        else:
            m = DATE.match(str(value))
            if not m or not _real_date(*m.groups()):
                self.error(
                    path, f"{value!r} is not a month: write it as 'YYYY-MM', quoted, e.g. '{w.date_of(sit.first_step)}'"
                )
                return None
            text = f"{m.group(1)}-{m.group(2)}"
        step = str_to_month(text) - str_to_month(w.as_of)
        if not sit.first_step <= step <= last:
            span = "this turn" if last == sit.last_step else "the rest of the game"
            self.error(
                path, f"{text} is outside {span}: give a month from {w.date_of(sit.first_step)} to {w.date_of(last)}"
            )
            return None
        return step

    def last_month(self, key: str) -> int:
        """The last month a decision of `key` may be dated (UNTIL_GAME_END: the game's, else the turn's)."""
        return self.sit.game_last_step if key in UNTIL_GAME_END else self.sit.last_step

    # ------------------------------------------------------------ structure
    def items(self, key: str) -> list[tuple[Path, dict]]:
        """The entries of a list-valued key, each with the fields ENTRY_FIELDS[key] allows."""
        fields = ENTRY_FIELDS[key]
        value = self.doc.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error((key,), f"expected a list of entries, e.g. {EXAMPLES[key]}")
            return []
        out = []
        for i, item in enumerate(value):
            path: Path = (key, i)
            if not isinstance(item, dict):
                self.error(path, f"expected an entry with fields {', '.join(fields)}, e.g. {EXAMPLES[key]}")
                continue
            bad = [str(k) for k in item if k not in fields]
            for k in bad:
                self.error(
                    (*path, k),
                    f"unknown field '{k}' for {key}{suggestion(k, list(fields))}: the fields are {', '.join(fields)}",
                )
            missing = [k for k, required in fields.items() if required and item.get(k) is None]
            for k in missing:
                self.error(path, f"the field '{k}' is missing, e.g. {EXAMPLES[key]}")
            if not missing:  # an unknown field is refused above; the entry's other fields are still checked
                out.append((path, item))
        return out

    def once(self, key: tuple, path: Path, what: str) -> bool:
        if key in self.seen:
            self.error(path, f"{what} is already given at line {self.doc.line(self.seen[key])}: give it once")
            return False
        self.seen[key] = path
        return True

    def run(self) -> Move:
        data, team, sit = self.doc.data, self.team, self.sit
        move = Move(team=team, turn=sit.turn)
        if data is None:
            data = self.doc.data = {}
        if not isinstance(data, dict):
            self.error(
                (),
                "the top level must be a mapping with team:, turn: and the moves, e.g. "
                f"'team: {team.name}' and 'turn: {sit.turn}' on their own lines",
            )
            return move
        allowed = KEYS[team.kind]
        for key in data:
            if key in COMMON_KEYS or key in allowed:
                continue
            owner = next((k for k, keys in KEYS.items() if key in keys), None)
            if owner:
                self.error(
                    (str(key),),
                    f"'{key}' is a move of a {owner} team; team {team.name} is a {team.kind} "
                    f"team and may use {', '.join(allowed)}",
                )
            else:
                self.error(
                    (str(key),),
                    f"unknown key '{key}'{suggestion(key, [*COMMON_KEYS, *allowed])}: "
                    f"a {team.kind} team's file may have {', '.join(COMMON_KEYS + allowed)}",
                )
        name = data.get("team")
        if name is None:
            self.error((), f"the field 'team' is missing: add 'team: {team.name}'")
        elif str(name).upper() != team.name.upper():
            self.error(
                ("team",),
                f"this file is for team {name!r} but is submitted for team {team.name}: "
                f"check the file (or write 'team: {team.name}')",
            )
        turn = data.get("turn")
        if turn is None:
            self.error((), f"the field 'turn' is missing: add 'turn: {sit.turn}'")
        elif isinstance(turn, bool) or not isinstance(turn, int) or turn != sit.turn:
            self.error(
                ("turn",),
                f"this file is for turn {turn!r} but the game is at turn {sit.turn} "
                f"({sit.dates()}): write 'turn: {sit.turn}' if these are your moves for it",
            )
        move.note = str(data.get("note") or "")
        {"power": self.power_moves, "government": self.government_moves, "bloc": self.bloc_moves}[team.kind](move)
        return move

    # ------------------------------------------------------------ power teams
    def power_moves(self, move: Move) -> None:
        w, sit, data = self.w, self.sit, self.doc.data
        p = w.powers.index(self.team.power)
        pname = w.power_names[p]
        if "allocate" in data:
            move.allocation = self.allocation(p)
        if data.get("regime_protection") is not None:
            move.regime_protection = self.number(
                ("regime_protection",), data["regime_protection"], 0.0, 1.0, "the regime protection stance"
            )
        sent: list[tuple[Path, float]] = []
        arriving: dict[int, Path] = {}
        leaving: dict[int, Path] = {}
        for path, item in self.items("deploy"):
            s, step = self.state((*path, "state"), item["state"]), self.date((*path, "date"), item.get("date"))
            troops = self.number((*path, "troops"), item["troops"], 1.0, 1e6, "troops")
            if troops is not None:  # counted against the forces even if the state or date is wrong
                sent.append((path, troops))
            if s is None or step is None or troops is None or not self.open_door(path, s, p):
                continue
            arriving[s] = path
            move.actions.append(
                Action(
                    type="deploy",
                    step=step,
                    state=s,
                    power=p,
                    troops=troops,
                    line=self.doc.line(path),
                    what=f"{pname} deploys {troops:g} troops to {w.state_names[s]}",
                )
            )
        for path, item in self.items("withdraw"):
            s, step = self.state((*path, "state"), item["state"]), self.date((*path, "date"), item.get("date"))
            if s is None or step is None or not self.has_forces(path, s, p):
                continue
            if self.once(("withdraw", s), path, f"a withdrawal from {w.states[s]}"):
                leaving[s] = path
                move.actions.append(
                    Action(
                        type="withdraw_complete",
                        step=step,
                        state=s,
                        power=p,
                        line=self.doc.line(path),
                        what=f"{pname} withdraws its forces from {w.state_names[s]}",
                    )
                )
        for path, item in self.items("aid"):
            s, step = self.state((*path, "state"), item["state"]), self.date((*path, "date"), item.get("date"))
            action = item["action"]
            if action not in ACTIONS["aid"]:
                self.error((*path, "action"), f"unknown aid action {action!r}: write suspend or resume")
                continue
            if s is None or step is None or not self.once(("aid", s), path, f"an aid decision for {w.states[s]}"):
                continue
            name = w.state_names[s]
            if action == "suspend" and sit.aid_suspended[s, p]:
                self.error(
                    path, f"{w.powers[p]}'s aid to {name} is already suspended: to restore it, use action: resume"
                )
                continue
            if action == "resume" and not sit.aid_suspended[s, p]:
                self.error(path, f"{w.powers[p]}'s aid to {name} is not suspended: there is nothing to resume")
                continue
            if action == "suspend" and not sit.junta[s] and w.powers[p] not in sit.players.powers:
                self.warn(
                    path,
                    f"{name} has a civilian government: the model resumes aid to a civilian government "
                    f"the month after a suspension",
                )
            verb = "suspends aid to" if action == "suspend" else "resumes aid to"
            move.actions.append(
                Action(
                    type=f"aid_{action}",
                    step=step,
                    state=s,
                    power=p,
                    line=self.doc.line(path),
                    what=f"{pname} {verb} {name}",
                )
            )
        for path, item in self.items("basing"):
            self.basing(move, path, item, p, sent, arriving, leaving)
        both = sorted(set(arriving) & set(leaving))
        for s in both:
            self.error(leaving[s], f"forces both arrive in and leave {w.state_names[s]} this turn: keep one of the two")
        total = self.troops_sent = sum(t for _, t in sent)
        if sent and total > sit.available(p) + 1e-9:
            deployed = sit.troops[:, p].sum()
            self.error(
                sent[-1][0],
                f"these moves send {total:g} troops but {w.powers[p]} has "
                f"{max(sit.available(p), 0):g} available ({w.troops_deployable[p]:g} deployable, "
                f"{deployed:g} deployed, forces still withdrawing included): send fewer",
            )

    def allocation(self, p: int) -> np.ndarray | None:
        w, sit = self.w, self.sit
        raw = self.doc.data["allocate"]
        out = np.zeros((len(w.states), 3))
        if raw is None:
            return out
        if not isinstance(raw, dict):
            self.error(("allocate",), f"expected amounts by state and channel, e.g. {EXAMPLES['allocate']}")
            return None
        unplaced = np.zeros(len(CHANNELS))  # amounts given to an unknown state: they still count against the budget
        for code, chans in raw.items():
            path: Path = ("allocate", str(code))
            s = self.state(path, code)
            if not isinstance(chans, dict):
                self.error(
                    path,
                    f"expected amounts by channel (US$ m per month), e.g. {code}: "
                    f"{{security: 5, economic: 20, information: 1}}",
                )
                continue
            for ch, amount in chans.items():
                if ch not in CHANNELS:
                    self.error((*path, str(ch)), f"unknown channel {ch!r}: the channels are {', '.join(CHANNELS)}")
                    continue
                value = self.number((*path, ch), amount, 0.0, 1e6, f"the {ch} allocation (US$ m per month)")
                if value is not None:
                    if s is None:
                        unplaced[CHANNELS.index(ch)] += value
                    else:
                        out[s, CHANNELS.index(ch)] = value
            if s is None:
                continue
            name = w.state_names[s]
            if out[s, 0] > 0 and sit.expelled[s, p] and not sit.invited[s, p]:
                self.error(
                    (*path, "security"),
                    f"{name} has ordered {w.power_names[p]} forces out: security "
                    f"assistance there is refused (economic aid and information are not)",
                )
            if out[s, :2].sum() > 0 and sit.aid_suspended[s, p]:
                self.warn(
                    path,
                    f"{w.powers[p]}'s aid to {name} is suspended: security and economic money "
                    f"there has no effect until aid resumes (add aid: [{{state: {code}, action: resume}}])",
                )
        budget = w.budget_usd_m[p]
        given = out.sum(axis=0) + unplaced
        self.spent = [float(x) for x in given]
        for c, ch in enumerate(CHANNELS):
            if given[c] > budget[c] + 1e-9:
                self.error(
                    ("allocate",),
                    f"the {ch} allocations add up to {given[c]:g} US$ m a month, over "
                    f"{w.powers[p]}'s monthly {ch} budget of {budget[c]:g}: lower them "
                    f"(budgets: " + ", ".join(f"{n} {b:g}" for n, b in zip(CHANNELS, budget, strict=True)) + ")",
                )
        return out

    def open_door(self, path: Path, s: int, p: int) -> bool:
        if self.sit.expelled[s, p] and not self.sit.invited[s, p]:
            self.error(
                (*path, "state"),
                f"{self.w.state_names[s]} has ordered {self.w.power_names[p]} forces out: a "
                f"deployment there is refused until it invites them back",
            )
            return False
        return True

    def has_forces(self, path: Path, s: int, p: int) -> bool:
        if self.sit.troops[s, p] <= 0:
            self.error(
                (*path, "state"),
                f"{self.w.power_names[p]} has no forces in {self.w.state_names[s]}: there is nothing to withdraw",
            )
            return False
        return True

    def base(self, path: Path, value: Any) -> int | None:
        names = self.w.base_names
        text = str(value).strip().lower()
        exact = [k for k, n in enumerate(names) if n.lower() == text]
        partial = [k for k, n in enumerate(names) if text and text in n.lower()]
        found = exact or partial
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            self.error(
                path, f"{value!r} matches several bases ({'; '.join(names[k] for k in found)}): give the full name"
            )
        else:
            self.error(path, f"unknown base {value!r}: the bases are {'; '.join(names)}")
        return None

    def basing(self, move: Move, path: Path, item: dict, p: int, sent: list, arriving: dict, leaving: dict) -> None:
        w, sit = self.w, self.sit
        k = self.base((*path, "base"), item["base"])
        step = self.date((*path, "date"), item.get("date"))
        action = item["action"]
        if action not in ACTIONS["basing"]:
            self.error((*path, "action"), f"unknown basing action {action!r}: write propose or cancel")
            return
        troops = None
        if action == "propose":  # counted against the forces even if the base or date is wrong
            troops = (
                sit.deploy_size
                if item.get("troops") is None
                else self.number((*path, "troops"), item["troops"], 1.0, 1e6, "troops")
            )
            if troops is not None:
                sent.append((path, troops))
        if k is None or step is None:
            return
        s, pname, bname = int(w.base_state[k]), w.power_names[p], w.base_names[k]
        here = sit.base_owner[k] == p or sit.base_co_tenant[k] == p
        if action == "propose":
            if here:
                self.error((*path, "base"), f"{pname} already holds or shares {bname}")
                return
            if troops is None or not self.open_door(path, s, p):
                return
            if sit.base_owner[k] >= 0 and sit.base_co_tenant[k] >= 0:
                self.warn(
                    (*path, "base"),
                    f"{bname} is already shared by {w.powers[sit.base_owner[k]]} and "
                    f"{w.powers[sit.base_co_tenant[k]]}: the forces arrive but the base does "
                    f"not change hands",
                )
            arriving[s] = path
            holder = "the host's forces" if sit.base_owner[k] < 0 else w.power_names[sit.base_owner[k]]
            move.actions.append(
                Action(
                    type="deploy",
                    step=step,
                    state=s,
                    power=p,
                    troops=troops,
                    base=k,
                    line=self.doc.line(path),
                    what=f"{pname} sends {troops:g} troops to {bname} in {w.state_names[s]} (held by {holder})",
                )
            )
        else:
            if not here or not self.has_forces(path, s, p):
                if not here:
                    self.error((*path, "base"), f"{pname} neither holds nor shares {bname}: there is nothing to cancel")
                return
            if self.once(("withdraw", s), path, f"a withdrawal from {w.states[s]}"):
                leaving[s] = path
                move.actions.append(
                    Action(
                        type="withdraw_complete",
                        step=step,
                        state=s,
                        power=p,
                        base=k,
                        line=self.doc.line(path),
                        what=f"{pname} gives up {bname}: its forces leave {w.state_names[s]}",
                    )
                )

    # ------------------------------------------------------------ government teams
    def government_moves(self, move: Move) -> None:
        w, sit = self.w, self.sit
        doors: dict[tuple[int, int], str] = {}
        for key in ("expel", "invite"):
            for path, item in self.items(key):
                s = self.own_state((*path, "state"), item["state"])
                p = self.code((*path, "power"), item["power"], w.powers, "power code")
                step = self.date((*path, "date"), item.get("date"))
                if s is None or p is None or step is None:
                    continue
                if (s, p) in doors:
                    self.error(path, f"{w.states[s]} both expels and invites {w.powers[p]} this turn: keep one")
                    continue
                doors[(s, p)] = key
                sname, pname = w.state_names[s], w.power_names[p]
                if key == "expel":
                    if sit.troops[s, p] <= 0:
                        self.warn(
                            path,
                            f"{pname} has no forces in {sname}: nothing leaves, but {pname} is marked as "
                            f"expelled (no security assistance or deployment until invited back)",
                        )
                    what = f"{sname} orders out {pname} forces"
                else:
                    if w.troops_deployable[p] <= 0:
                        self.error(
                            (*path, "power"),
                            f"{pname} has no deployable troops in this scenario: an invitation could never be answered",
                        )
                        continue
                    if sit.troops[s, p] > 0:
                        self.warn(
                            path,
                            f"{pname} already has forces in {sname}: if answered, the invitation brings "
                            f"{sit.deploy_size:g} more",
                        )
                    elif sit.available(p) < sit.deploy_size:
                        self.warn(
                            path,
                            f"{pname} has {max(sit.available(p), 0):g} troops available, fewer than a "
                            f"deployment ({sit.deploy_size:g}): it cannot answer until forces come free",
                        )
                    if w.powers[p] in sit.players.powers:
                        self.warn(
                            path,
                            f"{pname} is played by a team and this game leaves its decisions to the teams "
                            f"(--teams-decide): only that team's own deploy move can answer",
                        )
                    what = f"{sname} invites {pname} forces"
                move.actions.append(Action(type=key, step=step, state=s, power=p, line=self.doc.line(path), what=what))
        for key in ("join", "leave"):
            for path, item in self.items(key):
                s = self.own_state((*path, "state"), item["state"])
                b = self.code((*path, "bloc"), item["bloc"], w.blocs, "bloc code")
                step = self.date((*path, "date"), item.get("date"))
                if s is None or b is None or step is None:
                    continue
                if not self.once(("bloc", s, b), path, f"a decision on {w.states[s]} in {w.blocs[b]}"):
                    continue
                sname, bname = w.state_names[s], w.blocs[b]
                if key == "join" and sit.member[s, b]:
                    self.error(path, f"{sname} is already a member of {bname}")
                    continue
                if key == "leave" and not sit.member[s, b]:
                    self.error(path, f"{sname} is not a member of {bname}: it cannot leave it")
                    continue
                move.actions.append(
                    Action(
                        type=f"bloc_{key}",
                        step=step,
                        state=s,
                        bloc=b,
                        line=self.doc.line(path),
                        what=f"{sname} {'joins' if key == 'join' else 'leaves'} {bname}",
                    )
                )
        for path, item in self.items("transition"):
            s = self.own_state((*path, "state"), item["state"])
            step = self.date((*path, "date"), item["date"], last=self.last_month("transition"))
            if s is None or step is None or not self.once(("transition", s), path, f"a timetable for {w.states[s]}"):
                continue
            if not sit.junta[s]:
                self.error(
                    (*path, "state"),
                    f"{w.state_names[s]} already has a civilian government: a transition timetable is for a junta",
                )
                continue
            move.actions.append(
                Action(
                    type="transition",
                    step=step,
                    state=s,
                    line=self.doc.line(path),
                    what=f"the junta in {w.state_names[s]} hands power to civilians as announced",
                )
            )

    # ------------------------------------------------------------ bloc teams
    def bloc_moves(self, move: Move) -> None:
        w, sit = self.w, self.sit
        b = w.blocs.index(self.team.bloc)
        bname = w.blocs[b]
        for key in ("sanction", "lift"):
            for path, item in self.items(key):
                s = self.state((*path, "state"), item["state"])
                step = self.date((*path, "date"), item.get("date"))
                if s is None or step is None or not self.once(("sanction", s), path, f"a sanction on {w.states[s]}"):
                    continue
                sname = w.state_names[s]
                if key == "sanction":
                    if not sit.member[s, b]:
                        self.error(
                            (*path, "state"), f"{sname} is not a member of {bname}: a bloc sanctions its members only"
                        )
                        continue
                    if sit.sanctioned[s, b]:
                        self.error((*path, "state"), f"{bname} already sanctions {sname}")
                        continue
                    if not sit.junta[s] and w.blocs[b] not in sit.players.blocs:
                        self.warn(
                            path,
                            f"{sname} has a civilian government: the model lifts sanctions on a civilian "
                            f"government the month after they are imposed",
                        )
                    move.actions.append(
                        Action(
                            type="sanction",
                            step=step,
                            state=s,
                            bloc=b,
                            line=self.doc.line(path),
                            what=f"{bname} sanctions {sname}",
                        )
                    )
                else:
                    if not sit.sanctioned[s, b]:
                        self.error((*path, "state"), f"{bname} does not sanction {sname}: there is nothing to lift")
                        continue
                    move.actions.append(
                        Action(
                            type="sanction_lift",
                            step=step,
                            state=s,
                            bloc=b,
                            line=self.doc.line(path),
                            what=f"{bname} lifts its sanctions on {sname}",
                        )
                    )
