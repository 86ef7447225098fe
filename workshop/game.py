"""A game as data: settings, teams and their objectives, the record of every adjudicated turn (the
accepted move files' text, the facilitator's injects, the turn's seed if the white cell re-rolled it
and its vetoes), the moves submitted for the current turn, the injects scheduled for later turns,
the white cell's narrative injects and parameter shocks. A field that an older game.json lacks gets
its default when the game is loaded. Stored as GAME_DIR/game.json, rewritten atomically (a temporary file,
fsync, os.replace) after every accepted move file and every turn, under a lock, so a kill at any
moment loses nothing already acknowledged and never leaves a half-written file."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import math
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sim.core.atomic import folder_problem, write_text_atomic
from sim.core.params import Config, ScriptedEventConf
from sim.core.world import World, load_world, scenario_path
from workshop.errors import GameBusy, WorkshopError
from workshop.objectives import Objective, check_objectives
from workshop.teams import NAME, Team

GAME_FILE = "game.json"
FORMAT = "sahel-workshop/1"
PAUSE_ENV = "WORKSHOP_PAUSE_AT"  # fault injection for the kill tests: sleep at a named point


@dataclass
class Submission:
    """A team's accepted move file: where it came from and its text (the text is what counts)."""

    team: str
    file: str
    text: str


@dataclass
class Inject(ScriptedEventConf):
    """A facilitator's scripted event, applied at the first month of its turn: the model's scripted
    event by codes (as an experiment's extra event), set for a turn instead of a date."""

    turn: int = 0


@dataclass
class Veto:
    """The white cell's veto of an event of an adjudicated turn (by codes, at its month). A scripted
    event (a team's move, an inject, the world file's) is not applied when the turn is replayed
    (counter ''); an event of the model's rules cannot be suppressed without changing the model, so
    it stands and `counter` (an event type) is applied the month after it, as a recorded counter-inject."""

    turn: int
    step: int
    type: str
    state: str
    power: str = ""
    bloc: str = ""
    counter: str = ""  # '' : the scripted event is suppressed; else the counter-inject's event type
    note: str = ""  # the facilitator's reason


@dataclass
class Narrative:
    """A narrative-only inject: text shown in every brief of its turn; it changes nothing in the model."""

    turn: int
    text: str


@dataclass
class Shock:
    """A parameter shock: from the first month of `turn` on, the model parameter or power knob `key`
    (e.g. 'scenario.powers.RUS.overstretch', 'hazards.coup_base') is changed by `value` (op '+') or
    set to it (op '='), in the configuration the replay uses."""

    turn: int
    key: str
    op: str
    value: float


@dataclass
class TurnRecord:
    """One adjudicated turn: the moves that were applied, the injects of that turn, the seed of its
    months if the white cell re-rolled it (None: the game's seed) and its vetoes."""

    turn: int
    moves: dict[str, Submission] = field(default_factory=dict)
    injects: list[Inject] = field(default_factory=list)
    seed: int | None = None
    vetoes: list[Veto] = field(default_factory=list)
    rerolled_from: list[int] = field(default_factory=list)  # the seeds of earlier rolls, for the record

    def to_json(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "moves": {k: asdict(v) for k, v in self.moves.items()},
            "injects": [asdict(i) for i in self.injects],
            "seed": self.seed,
            "vetoes": [asdict(v) for v in self.vetoes],
            "rerolled_from": list(self.rerolled_from),
        }

    @staticmethod
    def from_json(r: dict[str, Any]) -> TurnRecord:
        return TurnRecord(
            turn=r["turn"],
            moves={k: Submission(**v) for k, v in r["moves"].items()},
            injects=[Inject(**i) for i in r["injects"]],
            seed=r.get("seed"),
            vetoes=[Veto(**v) for v in r.get("vetoes", [])],
            rerolled_from=list(r.get("rerolled_from", [])),
        )


@dataclass
class Settings:
    """What a game starts from; `config` is the fully resolved model configuration."""

    scenario: str
    experiment: str
    seed: int
    turn_months: int
    turns: int
    config: dict[str, Any]
    world_sha256: str
    model_sha256: str = ""  # the model code's fingerprint at creation (sim.core.provenance); "" in older games


@dataclass
class Game:
    """The whole game. The state after turn N is not stored: it is rebuilt by replay."""

    dir: Path
    settings: Settings
    teams: list[Team]
    turns: list[TurnRecord] = field(default_factory=list)
    pending: dict[str, Submission] = field(default_factory=dict)
    injects: list[Inject] = field(default_factory=list)  # scheduled for turns not yet adjudicated
    narratives: list[Narrative] = field(default_factory=list)  # every turn's, past and scheduled
    shocks: list[Shock] = field(default_factory=list)  # every turn's, past and scheduled, in their order
    objectives: dict[str, list[Objective]] = field(default_factory=dict)  # team -> its objectives
    _cfg: Config | None = field(default=None, repr=False, compare=False)
    _world: World | None = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------ derived
    @property
    def current_turn(self) -> int:
        """The turn whose moves are being collected (turns + 1 once the game is over)."""
        return len(self.turns) + 1

    @property
    def over(self) -> bool:
        return len(self.turns) >= self.settings.turns

    def steps_of(self, turn: int) -> tuple[int, int]:
        """First and last month (step) of a turn."""
        first = (turn - 1) * self.settings.turn_months + 1
        return first, first + self.settings.turn_months - 1

    def config(self) -> Config:
        """The model configuration (validated against the schema). A setting that a later version of
        the model no longer has (a game created before a rule changed) is dropped with a warning."""
        if self._cfg is None:
            from omegaconf import OmegaConf
            from omegaconf.errors import ConfigKeyError

            from sim.config import to_config

            stored = copy.deepcopy(self.settings.config)
            for _ in range(100):
                try:
                    self._cfg = to_config(OmegaConf.create(stored))
                    break
                except ConfigKeyError as exc:
                    *path, key = str(exc.full_key).split(".")
                    node = stored
                    for part in path:
                        node = node[part]
                    del node[key]
                    print(
                        f"warning: this game was created with a setting the model no longer has "
                        f"({exc.full_key}); it is ignored, and replays may differ from the game as played.",
                        file=sys.stderr,
                    )
            else:
                raise WorkshopError(
                    f"The settings of the game in {self.dir} cannot be read by this version of the "
                    f"model. Finish the game with the version that created it, or start a new one."
                )
        return self._cfg

    @property
    def teams_decide(self) -> bool:
        """True when the rules make no decision for the teams' actors (`new --teams-decide`)."""
        players = self.config().players
        return bool(players.states or players.blocs or players.powers)

    def config_for(self, rules_for: str | None = "all") -> Config:
        """The configuration with the rules deciding again for every actor (rules_for='all', the
        debrief's simulated histories) or for one team's actors (rules_for=TEAM, its what-if); the
        game's own configuration for None. Only a --teams-decide game has actors to give back."""
        import dataclasses

        from sim.core.params import PlayersConf
        from workshop.teams import players_of

        cfg = self.config()
        if not self.teams_decide or rules_for is None:
            return cfg
        players = PlayersConf() if rules_for == "all" else players_of(self.teams, without=rules_for)
        return dataclasses.replace(cfg, players=players)

    def world(self) -> World:
        """A fresh copy of the scenario's world (the replay changes its scripted events)."""
        if self._world is None:
            cfg = self.config()
            path = scenario_path(cfg.scenario.name)
            if world_digest(path) != self.settings.world_sha256:
                print(
                    f"warning: the world file {path} has changed since this game was created; replays may "
                    f"differ from the game as played.",
                    file=sys.stderr,
                )
            from sim.core.provenance import model_fingerprint

            if self.settings.model_sha256 and model_fingerprint() != self.settings.model_sha256:
                print(
                    "warning: the model's rules (sim/) have changed since this game was created; replays may "
                    "differ from the game as played.",
                    file=sys.stderr,
                )
            self._world = load_world(path, cfg.scenario)
        return copy.deepcopy(self._world)

    def team_names(self) -> list[str]:
        return [t.name for t in self.teams]

    def moves_path(self, turn: int, team: str) -> Path:
        """Where a copy of a team's accepted move file is kept (for people; game.json is the record)."""
        return self.dir / "moves" / f"turn-{turn:02d}" / f"{team}.yaml"

    def briefs_dir(self, turn: int) -> Path:
        return self.dir / "briefs" / f"turn-{turn:02d}"

    # ------------------------------------------------------------ storage
    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "settings": asdict(self.settings),
            "teams": [t.to_json() for t in self.teams],
            "turns": [r.to_json() for r in self.turns],
            "pending": {k: asdict(v) for k, v in self.pending.items()},
            "injects": [asdict(i) for i in self.injects],
            "narratives": [asdict(n) for n in self.narratives],
            "shocks": [asdict(x) for x in self.shocks],
            "objectives": {k: [o.to_json() for o in v] for k, v in self.objectives.items()},
        }

    @staticmethod
    def from_json(directory: Path, data: dict[str, Any]) -> Game:
        """The game recorded in `data` (game.json), checked: a hand-edited or damaged record is refused with
        one WorkshopError naming the file and the field, never a traceback."""
        where = directory / GAME_FILE
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise WorkshopError(f"{where} is not a workshop game of format {FORMAT} (found {found!r}).")
        try:
            game = Game(
                dir=directory,
                settings=Settings(**data["settings"]),
                teams=[Team.from_json(t) for t in data["teams"]],
                turns=[TurnRecord.from_json(r) for r in data["turns"]],
                pending={k: Submission(**v) for k, v in data["pending"].items()},
                injects=[Inject(**i) for i in data["injects"]],
                narratives=[Narrative(**n) for n in data.get("narratives", [])],
                shocks=[Shock(**x) for x in data.get("shocks", [])],
                objectives={k: [Objective.from_json(o) for o in v] for k, v in data.get("objectives", {}).items()},
            )
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise WorkshopError(
                f"{where} is damaged: {type(exc).__name__} {exc} while reading it. Restore it from a "
                f"copy, or start a new game with 'python -m workshop new'."
            ) from None
        check_record(game, where)
        return game

    def save(self) -> None:
        """Write game.json atomically: readers see the old or the new file, never a mix."""
        write_atomic(self.dir / GAME_FILE, json.dumps(self.to_json(), indent=1, sort_keys=False) + "\n")

    @staticmethod
    def load(directory: Path | str) -> Game:
        directory = Path(directory)
        path = directory / GAME_FILE
        if not path.is_file():
            raise no_game(directory)
        try:
            data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
        except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise WorkshopError(f"{path} cannot be read as a game ({type(exc).__name__}: {exc}).") from None
        return Game.from_json(directory, data)


def no_game(directory: Path) -> WorkshopError:
    """The mistake of naming a folder (or a file) that holds no game."""
    return WorkshopError(
        f"No game in {directory}: {GAME_FILE} is missing. Create one with "
        f"'python -m workshop new {directory} --team ... --turns N'."
    )


def game_folder_problem(directory: Path) -> WorkshopError | None:
    """Why a new game's folder cannot be made at `directory` (a file there or above it, a folder that
    cannot be written), found without creating anything; None when it can."""
    problem = folder_problem(directory)
    if problem is None:
        return None
    return WorkshopError(
        f"The game folder {directory} cannot be used: {problem}. Give a new folder for the game, "
        f"e.g. 'python -m workshop new games/{directory.name or 'game'}_1 --team ... --turns N'."
    )


def _no_constant(name: str) -> Any:
    """json's NaN, Infinity and -Infinity are not numbers a game may hold."""
    raise ValueError(f"{name} is not a finite number")


def check_record(game: Game, where: Path) -> None:
    """The values of a loaded game that name files or drive the model: team names are safe identifiers
    (they become file names), turns are within the game, numbers finite and bounded."""

    def bad(field_: str, problem: str) -> WorkshopError:
        return WorkshopError(
            f"{where}: {field_} {problem}. Restore game.json from a copy, or start a new game "
            f"with 'python -m workshop new'."
        )

    st = game.settings
    for name, value, lo, hi in (
        ("settings.turns", st.turns, 1, 1000),
        ("settings.turn_months", st.turn_months, 1, 120),
        ("settings.seed", st.seed, 0, 2**63 - 1),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise bad(name, f"is {value!r}, not a whole number from {lo} to {hi}")
    if not isinstance(st.config, dict):
        raise bad("settings.config", "is not a mapping")
    for i, team in enumerate(game.teams):
        if not isinstance(team.name, str) or not NAME.match(team.name):
            raise bad(
                f"teams[{i}].name",
                f"is {team.name!r}: a team name is a letter followed by up to 19 letters, digits, '_' or '-'",
            )
    names = set(game.team_names())
    if len(names) != len(game.teams):
        raise bad("teams", "names a team twice")
    for i, record in enumerate(game.turns):
        if record.turn != i + 1:
            raise bad(f"turns[{i}].turn", f"is {record.turn!r}, expected {i + 1}")
    moves = [(f"turns[{i}].moves.{k}", k, v) for i, r in enumerate(game.turns) for k, v in r.moves.items()]
    moves += [(f"pending.{k}", k, v) for k, v in game.pending.items()]
    for field_, key, sub in moves:
        if key not in names or sub.team != key:
            raise bad(field_, f"names the team {key!r}, which is not one of {sorted(names)}")
        if not isinstance(sub.text, str) or not isinstance(sub.file, str):
            raise bad(field_, "has a move text or file name that is not text")
    injects = [(f"turns[{i}].injects[{j}]", x) for i, r in enumerate(game.turns) for j, x in enumerate(r.injects)]
    injects += [(f"injects[{j}]", x) for j, x in enumerate(game.injects)]
    for field_, inject in injects:
        troops = inject.troops
        if isinstance(troops, bool) or not isinstance(troops, (int, float)) or not 0 <= troops <= 100_000:
            raise bad(f"{field_}.troops", f"is {troops!r}, not a number from 0 to 100,000")
        if isinstance(inject.turn, bool) or not isinstance(inject.turn, int) or not 1 <= inject.turn <= st.turns:
            raise bad(f"{field_}.turn", f"is {inject.turn!r}, not a turn of this game (1 to {st.turns})")
    _check_white_cell(game, bad)


def _whole(value: Any, lo: int, hi: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and lo <= value <= hi


def _check_white_cell(game: Game, bad: Any) -> None:
    """The white cell's record: seeds whole numbers, turns within the game, shocks finite and their
    operation known, narratives text, objectives of the game's teams."""
    st = game.settings
    for i, r in enumerate(game.turns):
        for j, seed in enumerate([r.seed, *r.rerolled_from]):
            if seed is not None and not _whole(seed, 0, 2**63 - 1):
                raise bad(f"turns[{i}].seed", f"is {seed!r}, not a whole number from 0 to 2**63-1")
            if j == 0 and seed is None and r.rerolled_from:
                raise bad(f"turns[{i}].seed", "is missing although the turn was re-rolled")
        for j, v in enumerate(r.vetoes):
            first, last = game.steps_of(r.turn)
            if v.turn != r.turn or not _whole(v.step, first, last):
                raise bad(
                    f"turns[{i}].vetoes[{j}]", f"names turn {v.turn!r}, month {v.step!r}: not a month of turn {r.turn}"
                )
    for j, n in enumerate(game.narratives):
        if not _whole(n.turn, 1, st.turns) or not isinstance(n.text, str):
            raise bad(f"narratives[{j}]", f"is {n!r}: a turn from 1 to {st.turns} and a text are needed")
    for j, x in enumerate(game.shocks):
        value = x.value
        if (
            not _whole(x.turn, 1, st.turns)
            or x.op not in ("+", "=")
            or isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            raise bad(
                f"shocks[{j}]", f"is {x!r}: a turn from 1 to {st.turns}, an op '+' or '=' and a finite value are needed"
            )
    unknown = sorted(set(game.objectives) - set(game.team_names()))
    if unknown:
        raise bad("objectives", f"names the team {unknown[0]!r}, which is not one of {game.team_names()}")
    for name, objectives in game.objectives.items():
        problem = check_objectives(objectives)
        if problem:
            raise bad(f"objectives.{name}", problem)


def world_digest(path: Path) -> str:
    """SHA-256 of a world file, to notice a world that changed under a game."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


#: How often a lock taken with a `wait` is tried again (seconds).
LOCK_RETRY_S = 0.05


def _take(handle: Any, mode: int, wait: float | None, directory: Path) -> None:
    """flock `handle` in `mode`: blocking when wait is None, else tried until `wait` seconds have passed."""
    import fcntl

    if wait is None:
        fcntl.flock(handle.fileno(), mode)
        return
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise GameBusy(
                    f"The game {directory.name} is being changed right now (a turn adjudicated, a move stored): "
                    f"nothing was read; try again in a few seconds."
                ) from None
            time.sleep(LOCK_RETRY_S)


def pause_point(name: str, directory: Path) -> None:
    """Test hook: if WORKSHOP_PAUSE_AT names this point, mark it with a file and wait to be killed."""
    if os.environ.get(PAUSE_ENV) == name:
        (directory / f".paused-{name}").write_text(str(os.getpid()))
        time.sleep(60)


def write_atomic(path: Path, text: str) -> None:
    """Write text to path via a hidden temporary file in the same folder, fsync'd, then os.replace
    (sim.core.atomic), after removing temporary files a killed process left behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left behind by a killed process (writes are locked)
        with contextlib.suppress(OSError):
            stale.unlink()
    write_text_atomic(path, text, before_replace=lambda: pause_point(f"write-{path.name}", path.parent))


@contextlib.contextmanager
def locked(directory: Path, create: bool = False, shared: bool = False, wait: float | None = None) -> Iterator[None]:
    """Hold the game's lock (an flock on GAME_DIR/.lock) so that two commands never interleave. Only a
    game's folder is locked: a folder without game.json is refused (no_game) before the .lock is made
    in it, unless `create` (a new game), which makes the folder first (game_folder_problem). `shared`:
    a command that only reads the game (status, check) waits for one that changes it, not for another
    reader. `wait`: give up after that many seconds with GameBusy (the web pages, which must answer
    while a long adjudication holds the lock) instead of waiting as long as it takes (None)."""
    if not create and not (directory / GAME_FILE).is_file():
        raise no_game(directory)
    if create:
        problem = game_folder_problem(directory)
        if problem is not None:
            raise problem
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkshopError(
                f"The game folder {directory} cannot be made ({exc.strerror}): give a folder you can write into."
            ) from None
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    try:
        handle = open(directory / ".lock", "a+")  # noqa: SIM115 (closed below)
    except OSError as exc:
        if not shared:
            raise WorkshopError(
                f"The game folder {directory} cannot be written ({exc.strerror} on its lock file "
                f".lock): give a game folder you can write into, or copy the game to one."
            ) from None
        handle = None
    if handle is None:  # a game one may only read (e.g. on a read-only disk): no command can change it either
        yield
        return
    with handle:
        _take(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX, wait, directory)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
