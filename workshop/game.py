"""A game as data: settings, teams, the record of every adjudicated turn (the accepted move files'
text and the facilitator's injects), the moves submitted for the current turn and the injects
scheduled for later turns. Stored as GAME_DIR/game.json, rewritten atomically (a temporary file,
fsync, os.replace) after every accepted move file and every turn, under a lock, so a kill at any
moment loses nothing already acknowledged and never leaves a half-written file."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sim.core.atomic import write_text_atomic
from sim.core.params import Config, ScriptedEventConf
from sim.core.world import World, load_world, scenario_path
from workshop.errors import WorkshopError
from workshop.teams import Team

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
class TurnRecord:
    """One adjudicated turn: the moves that were applied and the injects of that turn."""

    turn: int
    moves: dict[str, Submission] = field(default_factory=dict)
    injects: list[Inject] = field(default_factory=list)


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
                    print(f"warning: this game was created with a setting the model no longer has "
                          f"({exc.full_key}); it is ignored, and replays may differ from the game as played.",
                          file=sys.stderr)
            else:
                raise WorkshopError(f"The settings of the game in {self.dir} cannot be read by this version of the "
                                    f"model. Finish the game with the version that created it, or start a new one.")
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
                print(f"warning: the world file {path} has changed since this game was created; replays may "
                      f"differ from the game as played.", file=sys.stderr)
            from sim.core.provenance import model_fingerprint

            if self.settings.model_sha256 and model_fingerprint() != self.settings.model_sha256:
                print("warning: the model's rules (sim/) have changed since this game was created; replays may "
                      "differ from the game as played.", file=sys.stderr)
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
            "turns": [{"turn": r.turn, "moves": {k: asdict(v) for k, v in r.moves.items()},
                       "injects": [asdict(i) for i in r.injects]} for r in self.turns],
            "pending": {k: asdict(v) for k, v in self.pending.items()},
            "injects": [asdict(i) for i in self.injects],
        }

    @staticmethod
    def from_json(directory: Path, data: dict[str, Any]) -> Game:
        if data.get("format") != FORMAT:
            raise WorkshopError(f"{directory / GAME_FILE} is not a workshop game of format {FORMAT} (found "
                                f"{data.get('format')!r}).")
        return Game(
            dir=directory, settings=Settings(**data["settings"]),
            teams=[Team.from_json(t) for t in data["teams"]],
            turns=[TurnRecord(turn=r["turn"], moves={k: Submission(**v) for k, v in r["moves"].items()},
                              injects=[Inject(**i) for i in r["injects"]]) for r in data["turns"]],
            pending={k: Submission(**v) for k, v in data["pending"].items()},
            injects=[Inject(**i) for i in data["injects"]],
        )

    def save(self) -> None:
        """Write game.json atomically: readers see the old or the new file, never a mix."""
        write_atomic(self.dir / GAME_FILE, json.dumps(self.to_json(), indent=1, sort_keys=False) + "\n")

    @staticmethod
    def load(directory: Path | str) -> Game:
        directory = Path(directory)
        path = directory / GAME_FILE
        if not path.is_file():
            raise WorkshopError(f"No game in {directory}: {GAME_FILE} is missing. Create one with "
                                f"'python -m workshop new {directory} --team ... --turns N'.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise WorkshopError(f"{path} cannot be read as a game ({exc}).") from None
        return Game.from_json(directory, data)


def world_digest(path: Path) -> str:
    """SHA-256 of a world file, to notice a world that changed under a game."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


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
def locked(directory: Path) -> Iterator[None]:
    """Hold the game's lock (an flock on GAME_DIR/.lock) so that two commands never interleave."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    with open(directory / ".lock", "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
