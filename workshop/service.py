"""The facilitator's actions on a game folder (docs/workshop.md), as functions that return what they
did: create a game, say where it stands, submit a team's move file, check the stored moves,
adjudicate a turn, undo it, schedule or cancel injects, write the briefs and the debrief; and the
white cell's powers (re-roll the last turn, veto one of its events, narrative injects, parameter
shocks), each kept in the game record so that a replay gives the game as played.

Each returns a frozen result whose `lines()` are the report in words: the command line
(workshop/cli.py) prints them and the facilitator page of the web app (app/games.py) shows them, so
the wording is written once. A mistake raises WorkshopError (one paragraph; Refused adds one line
per problem of a move file); a bad experiment or world file raises ConfigError or WorldError:
`MISTAKES` lists the three. An action that changes the game holds its lock and saves game.json
atomically, so the page and the command line can take turns on the same game.
"""

from __future__ import annotations

import dataclasses
import math
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sim.core.events import Event
from sim.core.params import Config, ConfigError
from sim.core.provenance import model_fingerprint
from sim.core.vocabulary import EVENTS, SCRIPTABLE, event_label
from sim.core.world import World, WorldError, scenario_path
from workshop.errors import Refused, WorkshopError
from workshop.game import (
    GAME_FILE,
    Game,
    Inject,
    Narrative,
    Settings,
    Shock,
    Submission,
    TurnRecord,
    Veto,
    game_folder_problem,
    locked,
    pause_point,
    world_digest,
)
from workshop.moves import MoveRejected, Problem, Situation
from workshop.teams import check_teams, parse_team, players_of, team_by_name
from workshop.tokens import TOKENS_FILE, Tokens, create_tokens, facilitator_link, projector_link, team_link

if TYPE_CHECKING:
    from workshop.outlook import Outlook

#: The exceptions that are a facilitator's or a team's mistake (one paragraph), not a bug.
MISTAKES: tuple[type[Exception], ...] = (WorkshopError, ConfigError, WorldError)
MAX_MOVE_BYTES = 1_000_000
#: The largest deployment an inject may set (more than any power's deployable forces in the worlds).
MAX_INJECT_TROOPS = 100_000
DEFAULT_SCENARIO = "sahel_2024"
DEFAULT_TURN_MONTHS = 3
#: A new game's seed, when none is given, is drawn from the operating system below this bound (nine digits).
SEED_BOUND = 10**9
MAX_NARRATIVE_CHARS = 2000


def _months(world: World, first: int, last: int) -> str:
    """Two months (steps) as the reports write a span, e.g. '2024-06 to 2024-08'."""
    return f"{world.date_of(first)} to {world.date_of(last)}"


def _files(paths: Sequence[Path]) -> str:
    """Written pages as the reports name them: their folder and their file names."""
    return f"{paths[0].parent}/ ({', '.join(p.name for p in paths)})"


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Created:
    """A new game: its record, the teams in words and the months of the game and of its first turn."""

    game: Game = field(repr=False)
    teams: tuple[str, ...]  # each team described, e.g. 'AES (government of Mali, Burkina Faso, Niger)'
    span: str  # the months of the whole game, e.g. '2024-06 to 2025-11'
    first_turn: str  # the months of turn 1
    teams_decide: bool
    tokens: Tokens | None = field(default=None, repr=False)  # the join tokens (workshop/tokens.py)

    def lines(self) -> list[str]:
        s, directory = self.game.settings, self.game.dir
        return [
            f"Created a game in {directory}: scenario {s.scenario}"
            + (f" with experiment {s.experiment}" if s.experiment else "")
            + f", {s.turns} turns of {s.turn_months} months ({self.span}), seed {s.seed}"
            + (". The teams' actors decide only by the teams' moves (--teams-decide)." if self.teams_decide else "."),
            *(f"  team {t}" for t in self.teams),
            *(
                f"  objectives of {t.name}: "
                + "; ".join(o.describe(t.kind) for o in self.game.objectives.get(t.name, []))
                for t in self.game.teams
            ),
            f"Turn 1 covers {self.first_turn}. Opening briefs: python -m workshop briefs {directory}. Moves: "
            f"python -m workshop submit {directory} TEAM FILE.",
            *(Links(self.game, self.tokens).lines() if self.tokens else []),
        ]


@dataclass(frozen=True)
class Links:
    """A game's join links: a page per team and the facilitator's, on the app serving the games root
    that holds the game's folder (`python -m app --games-root PARENT`)."""

    game: Game = field(repr=False)
    tokens: Tokens = field(repr=False)
    base: str = "http://HOST:8765"

    def lines(self) -> list[str]:
        name, parent = self.game.dir.name, self.game.dir.resolve().parent
        return [
            f"Join links (private: whoever holds a link plays that team; {self.game.dir / TOKENS_FILE} keeps "
            f"them), on the app started with 'python -m app --host 0.0.0.0 --games-root {parent}' (HOST: "
            f"this computer's address):",
            *(f"  team {t}: {team_link(self.base, name, tok)}" for t, tok in self.tokens.teams.items()),
            f"  facilitator: {facilitator_link(self.base, name, self.tokens.facilitator)}",
            f"  projector (public page, no secrets): {projector_link(self.base, name, self.tokens.projector)}",
        ]


@dataclass(frozen=True)
class TeamStatus:
    """A team and whether its moves for the current turn are in."""

    name: str
    description: str  # e.g. 'AES (government of Mali, Burkina Faso, Niger)'
    source: str | None  # where its pending move file came from (None: nothing submitted)

    def line(self) -> str:
        state = (
            f"moves submitted (from {self.source})"
            if self.source is not None
            else "nothing yet (would follow the scenario's policy)"
        )
        return f"  {self.description}: {state}"


@dataclass(frozen=True)
class Status:
    """Where a game stands: its record replayed to the current turn."""

    game: Game = field(repr=False)
    month: str  # the month the world stands at
    months: str  # the current turn's months ('' once the game is over)
    teams: tuple[TeamStatus, ...]
    submitted: tuple[str, ...]  # teams with pending moves, sorted
    missing: tuple[str, ...]  # teams without, in the game's order
    fingerprint: str  # of the replayed state

    def to_json(self) -> dict[str, Any]:
        """The status as `status --json` prints it."""
        g = self.game
        return {
            "turn": g.current_turn,
            "turns": g.settings.turns,
            "adjudicated": len(g.turns),
            "over": g.over,
            "month": self.month,
            "submitted": list(self.submitted),
            "missing": list(self.missing),
            "injects": [vars(i) for i in g.injects],
            "fingerprint": self.fingerprint,
            "teams_decide": g.teams_decide,
        }

    def lines(self) -> list[str]:
        g, s = self.game, self.game.settings
        lines = [
            f"Game in {g.dir}: scenario {s.scenario}"
            + (f" with experiment {s.experiment}" if s.experiment else "")
            + f", seed {s.seed}, {s.turns} turns of {s.turn_months} months"
            + ("; the teams' actors decide only by the teams' moves." if g.teams_decide else ".")
        ]
        if g.over:
            lines.append(
                f"The game is over: all {s.turns} turns adjudicated (to {self.month}). Next: python -m "
                f"workshop debrief {g.dir}."
            )
        else:
            lines.append(
                f"Turn {g.current_turn} of {s.turns}: {self.months} ({len(g.turns)} adjudicated; the world "
                f"stands at {self.month})."
            )
            lines += [t.line() for t in self.teams]
        lines += [
            f"  inject at turn {i.turn}: {i.type} in {i.state}"
            + (f" ({i.power or i.bloc})" if i.power or i.bloc else "")
            for i in g.injects
        ]
        lines.append(f"Fingerprint of the state: {self.fingerprint[:16]}")
        return lines


@dataclass(frozen=True)
class Accepted:
    """A team's move file, checked and stored for the current turn."""

    game: Game = field(repr=False)
    team: str
    turn: int
    months: str
    replaced: bool  # the file replaced the team's earlier submission for the turn
    summary: tuple[str, ...]  # the moves in words, one each (none: the scenario's policy plays for the team)
    warnings: tuple[Problem, ...]

    def lines(self) -> list[str]:
        moves = self.summary or ("no moves (the scenario's policy plays for the team)",)
        return [
            f"Accepted: team {self.team}'s moves for turn {self.turn} ({self.months})"
            + (", replacing its earlier submission" if self.replaced else "")
            + ":",
            *(f"  - {line}" for line in moves),
            *(f"note: {w}" for w in self.warnings),
        ]


@dataclass(frozen=True)
class TeamCheck:
    """One team's stored moves for the current turn, checked again."""

    team: str
    verdict: Literal["ok", "refused", "missing"]  # refused: its problems are in Checked.problems
    moves: int = 0  # how many moves an accepted file makes
    warnings: tuple[Problem, ...] = ()

    def lines(self) -> list[str]:
        if self.verdict == "ok":
            return [f"  {self.team}: ok ({self.moves} moves)", *(f"    note: {w}" for w in self.warnings)]
        if self.verdict == "refused":
            return [f"  {self.team}: refused (see below)"]
        return [f"  {self.team}: nothing submitted: the scenario's policy will play for it"]


@dataclass(frozen=True)
class Checked:
    """Every stored move of the current turn checked again. Illegal moves are this check's finding,
    not a mistake of its caller: they are listed in `problems`, and `refusal()` is the Refused that
    adjudicating now would raise."""

    game: Game = field(repr=False)
    turn: int
    months: str  # '' once the game is over
    teams: tuple[TeamCheck, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def refusal(self) -> Refused | None:
        if self.ok:
            return None
        return Refused(
            f"Some stored moves of turn {self.turn} are illegal, so the turn cannot be adjudicated; the "
            f"teams concerned must submit corrected files:",
            self.problems,
        )

    def lines(self) -> list[str]:
        if self.game.over:
            return ["The game is over: there are no moves to check."]
        return [f"Turn {self.turn} ({self.months}):", *(line for t in self.teams for line in t.lines())]


@dataclass(frozen=True)
class TurnEvent:
    """An event of an adjudicated turn, its state and partner named by their codes."""

    step: int
    date: str
    type: str
    state: str
    partner: str  # the power or bloc it names ('' if none)
    cause: str
    scripted: bool

    def line(self) -> str:
        return (
            f"{self.date} {event_label(self.type)} {self.state}"
            + (f" {self.partner}" if self.partner else "")
            + f": {self.cause}"
        )

    @staticmethod
    def of(event: Event, world: World) -> TurnEvent:
        partner = world.powers[event.power] if event.power >= 0 else world.blocs[event.bloc] if event.bloc >= 0 else ""
        return TurnEvent(
            event.step,
            world.date_of(event.step),
            event.type,
            world.states[event.state],
            partner,
            event.cause,
            event.scripted,
        )


@dataclass(frozen=True)
class Briefs:
    """The briefs written for a turn (0: the opening): a page per team and the facilitator's."""

    game: Game = field(repr=False)
    turn: int
    paths: tuple[Path, ...]

    def lines(self) -> list[str]:
        return [f"Briefs for {'the opening' if self.turn == 0 else f'turn {self.turn}'}: {_files(self.paths)}"]


@dataclass(frozen=True)
class Adjudicated:
    """A turn played: the moves and injects applied, every event of its months, its briefs."""

    game: Game = field(repr=False)  # after the turn
    turn: int
    months: str
    teams: tuple[str, ...]  # the teams whose moves were applied
    injects: tuple[Inject, ...]
    events: tuple[TurnEvent, ...]  # every event of the turn, incidents included
    briefs: tuple[Path, ...]  # the pages written (none with briefs=False)

    def lines(self) -> list[str]:
        n = len(self.events)
        lines = [
            f"Turn {self.turn} adjudicated ({self.months}): {n} event{'s' * (n != 1)}; moves of "
            f"{', '.join(self.teams) or 'no team'}"
            + (f"; {len(self.injects)} inject(s)" if self.injects else "")
            + ".",
            *(f"  {e.line()}" for e in self.events if e.type != "incident"),
        ]
        if self.briefs:
            lines.append(f"Briefs: {_files(self.briefs)}")
        if self.game.over:
            lines.append(f"That was the last turn. Next: python -m workshop debrief {self.game.dir}")
        return lines


@dataclass(frozen=True)
class AlreadyAdjudicated:
    """`adjudicate` named a turn played before: nothing was played again. The briefs of the last turn
    are written if a kill stopped them."""

    game: Game = field(repr=False)
    turn: int
    briefs: Briefs | None  # the briefs written now (None: none were missing, or not asked for)

    def lines(self) -> list[str]:
        return [
            f"Turn {self.turn} is already adjudicated: nothing to do.",
            *(self.briefs.lines() if self.briefs else []),
        ]


@dataclass(frozen=True)
class Undone:
    """The last adjudicated turn dropped: its moves and injects are pending again."""

    game: Game = field(repr=False)
    turn: int
    moves: tuple[str, ...]  # the teams whose moves are pending again
    injects: tuple[Inject, ...]  # the turn's injects, scheduled again
    dropped: tuple[str, ...]  # teams whose submissions for the next turn were dropped

    def lines(self) -> list[str]:
        lines = [
            f"Turn {self.turn} undone: the game is back at the start of turn {self.turn}. Its moves "
            f"({', '.join(self.moves) or 'none'}) and injects ({len(self.injects)}) are pending again: adjudicate "
            f"to play it again, or teams submit new files to change their moves."
        ]
        if self.dropped:
            lines.append(
                f"Submissions for turn {self.turn + 1} were dropped ({', '.join(self.dropped)}); copies "
                f"remain in {self.game.dir / 'moves' / f'turn-{self.turn + 1:02d}'}."
            )
        return lines


@dataclass(frozen=True)
class Scheduled:
    """A facilitator's inject scheduled at the first month of a turn."""

    game: Game = field(repr=False)
    inject: Inject
    state_name: str
    month: str  # the month it happens
    remark: str = ""  # what the check found (a coup on a junta is a counter-coup)

    def lines(self) -> list[str]:
        i = self.inject
        return [
            f"Inject scheduled: {i.type} in {self.state_name}"
            + (f" ({i.power or i.bloc})" if i.power or i.bloc else "")
            + f" at the start of turn {i.turn} ({self.month}), before the teams' moves of that month.",
            *([self.remark] if self.remark else []),
        ]


@dataclass(frozen=True)
class Cancelled:
    """Scheduled injects of a turn cancelled."""

    game: Game = field(repr=False)
    turn: int
    injects: tuple[Inject, ...]  # the cancelled ones

    def lines(self) -> list[str]:
        return [f"Cancelled {len(self.injects)} inject(s) of turn {self.turn}."]


@dataclass(frozen=True)
class Debrief:
    """The debrief pack written: the game against simulated histories, and the what-ifs."""

    game: Game = field(repr=False)
    path: Path
    runs: int

    def lines(self) -> list[str]:
        return [f"Debrief: {self.path} ({len(self.game.turns)} turns against {self.runs} simulated histories)."]


# ---------------------------------------------------------------- actions


def new_seed() -> int:
    """A seed for a new game drawn from the operating system's randomness (secrets), not a fixed 0."""
    return secrets.randbelow(SEED_BOUND)


def create_game(
    directory: Path | str,
    teams: Sequence[str],
    turns: int,
    turn_months: int = DEFAULT_TURN_MONTHS,
    seed: int | None = None,
    scenario: str = DEFAULT_SCENARIO,
    experiment: str = "",
    teams_decide: bool = False,
    objectives: Sequence[str] = (),
) -> Created:
    """Create a game in a new folder. teams: specs as `new --team` reads them ('USA', 'ECOWAS',
    'AES=MLI,BFA,NER'); seed: None draws one (new_seed), stored and reported; scenario: a name of
    scenarios/NAME.yaml or a path to a world file; experiment: an overlay of conf/experiment/ ('' for
    none); teams_decide: the rules make no decision for the teams' actors; objectives: specs as
    `new --objective` reads them ('USA=influence:NER,TCD'; a team given none gets its kind's menu)."""
    from omegaconf import OmegaConf

    from workshop.objectives import parse_objectives

    directory = Path(directory)
    seed = new_seed() if seed is None else seed
    _check_new_game(directory, turns, turn_months, seed)
    cfg, world = _model_config(scenario, seed, turns * turn_months, experiment)
    if not teams:
        raise WorkshopError("Give the teams with --team, e.g. --team USA --team AES=MLI,BFA,NER --team ECOWAS.")
    parsed = [parse_team(t, world) for t in teams]
    check_teams(parsed)
    if teams_decide:
        cfg = dataclasses.replace(cfg, players=players_of(parsed))
    settings = Settings(
        scenario=scenario,
        experiment=experiment,
        seed=seed,
        turn_months=turn_months,
        turns=turns,
        config=OmegaConf.to_container(OmegaConf.structured(cfg)),
        world_sha256=world_digest(scenario_path(cfg.scenario.name)),
        model_sha256=model_fingerprint(),
    )
    game = Game(
        dir=directory, settings=settings, teams=parsed, objectives=parse_objectives(list(objectives), parsed, world)
    )
    with locked(directory, create=True):
        game.save()
        tokens = create_tokens(directory, game.team_names())
    return Created(
        game,
        tuple(t.describe(world) for t in parsed),
        _months(world, 1, turns * turn_months),
        _months(world, *game.steps_of(1)),
        teams_decide,
        tokens,
    )


def links(directory: Path | str, base: str = "http://HOST:8765") -> Links:
    """The game's join links (its tokens made now if it has none: a game created before them)."""
    directory = Path(directory)
    with locked(directory):
        game = Game.load(directory)
        tokens = create_tokens(directory, game.team_names())
    return Links(game, tokens, base)


def _check_new_game(directory: Path, turns: int, turn_months: int, seed: int) -> None:
    """Refuse a folder that holds a game already, and sizes or a seed the game cannot have."""
    if (directory / GAME_FILE).exists():
        raise WorkshopError(
            f"{directory} already holds a game ({GAME_FILE}). Choose a new folder, or continue that "
            f"game with 'python -m workshop status {directory}'."
        )
    problem = game_folder_problem(directory)
    if problem is not None:
        raise problem
    if not 1 <= turn_months <= 12:
        raise WorkshopError(f"--turn-months must be between 1 and 12 (months per turn); {turn_months} was given.")
    if not 1 <= turns or turns * turn_months > 600:
        raise WorkshopError(
            f"--turns must be at least 1 and turns x months per turn at most 600; {turns} turns of "
            f"{turn_months} months were given."
        )
    if seed < 0:
        raise WorkshopError(f"--seed must be a non-negative integer; {seed} was given.")


def _model_config(scenario: str, seed: int, steps: int, experiment: str) -> tuple[Config, World]:
    """The model configuration of a new game, composed as `python -m sim` composes one, and its world;
    a missing world file or an unknown experiment is refused."""
    from sim.config import CONF_DIR, compose_config, explain_composition_error
    from sim.core.world import load_world

    path = str(Path(scenario).resolve()) if scenario.endswith((".yaml", ".yml")) else scenario
    if not scenario_path(path).is_file():
        raise WorkshopError(
            f"No world file for scenario {scenario!r} ({scenario_path(path)}). Give a name of "
            f"scenarios/NAME.yaml (e.g. sahel_2024) or a path to a world file."
        )
    overrides = [f"scenario.name={path}", f"seed={seed}", f"run.steps={steps}", "run.plots=false", "run.summary=false"]
    if experiment:
        known = sorted(p.stem for p in (CONF_DIR / "experiment").glob("*.yaml"))
        if experiment not in known:
            raise WorkshopError(
                f"Unknown experiment {experiment!r}: choose one of {', '.join(known)} "
                f"(conf/experiment/), or leave --experiment out."
            )
        overrides.append(f"experiment={experiment}")
    try:
        cfg = compose_config(overrides)
    except ConfigError:
        raise
    except Exception as exc:  # Hydra composition errors
        raise WorkshopError(explain_composition_error(exc, overrides)) from None
    return cfg, load_world(scenario_path(cfg.scenario.name), cfg.scenario)


def situation_now(game: Game) -> Situation:
    """The situation at the start of the current turn: the record replayed."""
    from workshop.adjudicate import replay, situation

    rp = replay(game)
    return situation(game, rp.simulation, game.current_turn)


def status(directory: Path | str) -> Status:
    """Where a game stands: its record replayed to the start of the current turn."""
    from workshop.adjudicate import replay

    directory = Path(directory)
    with locked(directory, shared=True):
        game = Game.load(directory)
        rp = replay(game)
    world = rp.simulation.world
    months = "" if game.over else _months(world, *game.steps_of(game.current_turn))
    teams = tuple(
        TeamStatus(t.name, t.describe(world), game.pending[t.name].file if t.name in game.pending else None)
        for t in game.teams
    )
    return Status(
        game,
        world.date_of(rp.simulation.step_no),
        months,
        teams,
        tuple(sorted(game.pending)),
        tuple(t for t in game.team_names() if t not in game.pending),
        rp.simulation.fingerprint(),
    )


def decode_move_file(raw: bytes, name: str) -> str:
    """A move file's bytes as text, refused if too long or not UTF-8."""
    if len(raw) > MAX_MOVE_BYTES:
        raise WorkshopError(
            f"The move file {name} is {len(raw)} bytes: a move file is a short YAML text (at most "
            f"{MAX_MOVE_BYTES} bytes)."
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkshopError(f"The move file {name} is not UTF-8 text: save it as plain text (UTF-8).") from None


def submit_file(directory: Path | str, team: str, path: Path | str) -> Accepted:
    """Check a team's move file (read from `path`) for the current turn and store it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise WorkshopError(f"The move file {path} cannot be read ({exc.strerror}). Check the path.") from None
    return submit_text(directory, team, decode_move_file(raw, str(path)), str(path))


def submit_text(directory: Path | str, team: str, text: str, source: str) -> Accepted:
    """Check a team's move file (its text; `source` names it in messages and the record) for the
    current turn and store it, replacing the team's earlier file; a refused file is not stored
    (Refused lists its problems)."""
    from workshop.moves import parse_move

    directory = Path(directory)
    with locked(directory):
        game = Game.load(directory)
        if game.over:
            raise WorkshopError(
                f"The game is over ({game.settings.turns} turns adjudicated): no more moves. Next: "
                f"python -m workshop debrief {directory}."
            )
        found = team_by_name(game.teams, team)
        sit = situation_now(game)
        try:
            move = parse_move(text, source, found, sit)
        except MoveRejected as exc:
            raise Refused(
                f"{source} was refused for team {found.name}, turn {sit.turn} ({len(exc.problems)} "
                f"problem{'s' * (len(exc.problems) != 1)}; nothing was stored). Fix the file and submit "
                f"it again (move files: docs/workshop.md):",
                exc.problems,
            ) from None
        replaced = found.name in game.pending
        game.pending[found.name] = Submission(team=found.name, file=source, text=text)
        pause_point("submit-before-save", directory)
        game.save()
        _copy_moves(game, sit.turn, {found.name: game.pending[found.name]})
    return Accepted(
        game, found.name, sit.turn, sit.dates(), replaced, tuple(move.summary(sit.world)), tuple(move.warnings)
    )


def _copy_moves(game: Game, turn: int, subs: dict[str, Submission]) -> None:
    """Keep a copy of each accepted move file in the game folder, for people (game.json is the record)."""
    from workshop.game import write_atomic

    for name, sub in subs.items():
        path = game.moves_path(turn, name)
        if not path.is_file() or path.read_text(encoding="utf-8") != sub.text:
            write_atomic(path, sub.text)


def check(directory: Path | str) -> Checked:
    """Check every stored move of the current turn again (a rule or the record may have changed)."""
    from workshop.adjudicate import check_moves

    directory = Path(directory)
    with locked(directory, shared=True):
        game = Game.load(directory)
        if game.over:
            return Checked(game, game.current_turn, "", (), ())
        sit = situation_now(game)
        moves, problems = check_moves(game, sit, game.pending)
    teams = []
    for t in game.teams:
        if t.name in moves:
            teams.append(TeamCheck(t.name, "ok", len(moves[t.name].summary(sit.world)), tuple(moves[t.name].warnings)))
        else:
            teams.append(TeamCheck(t.name, "refused" if t.name in game.pending else "missing"))
    return Checked(game, sit.turn, sit.dates(), tuple(teams), tuple(problems))


def adjudicate(directory: Path | str, turn: int | None = None, briefs: bool = True) -> Adjudicated | AlreadyAdjudicated:
    """Play the current turn with the stored moves and injects, save it, and write its briefs.

    turn: the turn meant (None: the current one, if some team has submitted). Naming a turn makes a
    rerun safe: a turn already played is not played again (AlreadyAdjudicated), and the briefs of
    the last turn are written if they are missing. Refused if a stored move has become illegal."""
    from workshop.adjudicate import TurnResult, check_moves, play_turn, replay, situation

    directory = Path(directory)
    with locked(directory):
        game = Game.load(directory)
        if turn is not None and 1 <= turn <= len(game.turns):
            written = None
            if briefs and turn == len(game.turns) and not (game.briefs_dir(turn) / "facilitator.html").is_file():
                written = _write_briefs(game, turn)
            return AlreadyAdjudicated(game, turn, written)
        current = _turn_to_play(game, turn, directory)
        rp = replay(game, record=briefs)
        sit = situation(game, rp.simulation, current)
        moves, problems = check_moves(game, sit, game.pending)
        if problems:
            raise Refused(
                f"Turn {current} was not adjudicated: these moves are illegal; the teams concerned must "
                f"submit corrected files:",
                problems,
            )
        record = TurnRecord(
            turn=current, moves=dict(game.pending), injects=[i for i in game.injects if i.turn == current]
        )
        events = play_turn(game, rp.simulation, current, moves, record.injects)
        game.turns.append(record)
        game.pending = {}
        game.injects = [i for i in game.injects if i.turn != current]
        pause_point("adjudicate-before-save", directory)
        game.save()
        _copy_moves(game, current, record.moves)
        first, last = game.steps_of(current)
        rp.results.append(TurnResult(current, first, last, sit, moves, record.injects, events))
        world = rp.simulation.world
        paths: tuple[Path, ...] = ()
        if briefs:
            from workshop.briefs import write_briefs as write_turn_briefs

            paths = tuple(write_turn_briefs(rp, current, game.briefs_dir(current)))
        return Adjudicated(
            game,
            current,
            _months(world, first, last),
            tuple(moves),
            tuple(record.injects),
            tuple(TurnEvent.of(e, world) for e in events),
            paths,
        )


def _turn_to_play(game: Game, turn: int | None, directory: Path) -> int:
    """The current turn, once it is known to be the one meant (None: any, if some team has submitted)."""
    if game.over:
        raise WorkshopError(
            f"The game is over: all {game.settings.turns} turns are adjudicated. Next: python -m "
            f"workshop debrief {directory}."
        )
    current = game.current_turn
    if turn is not None and turn != current:
        raise WorkshopError(f"The game is at turn {current}, not {turn}: run adjudicate --turn {current}.")
    if not game.pending and turn is None:
        raise WorkshopError(
            f"No team has submitted moves for turn {current}. If every team should follow the "
            f"scenario's policy this turn, confirm with: python -m workshop adjudicate {directory} "
            f"--turn {current}"
        )
    return current


def _write_briefs(game: Game, turn: int) -> Briefs:
    """Replay the game to the end of `turn` and write its briefs."""
    from workshop.briefs import briefs_for

    return Briefs(game, turn, tuple(briefs_for(game, turn)))


def undo(directory: Path | str, turn: int | None = None) -> Undone:
    """Drop the last adjudicated turn (only if it is `turn`, when given): its moves and injects become
    pending again, its briefs are removed, and submissions for the next turn are dropped."""
    directory = Path(directory)
    with locked(directory):
        game = Game.load(directory)
        if not game.turns:
            raise WorkshopError("No turn has been adjudicated: there is nothing to undo.")
        last = len(game.turns)
        if turn is not None and turn != last:
            raise WorkshopError(f"The last adjudicated turn is {last}, not {turn}: nothing was undone.")
        record = game.turns.pop()
        dropped = sorted(game.pending)
        game.pending = dict(record.moves)
        game.injects = sorted(record.injects + game.injects, key=lambda i: i.turn)
        game.save()
        shutil.rmtree(game.briefs_dir(record.turn), ignore_errors=True)
    return Undone(game, record.turn, tuple(record.moves), tuple(record.injects), tuple(dropped))


def _world_for_injects(game: Game, turn: int) -> World:
    """The game's world, once `turn` is known to be one whose injects may still change."""
    world = game.world()
    if not game.current_turn <= turn <= game.settings.turns:
        raise WorkshopError(
            f"--turn {turn} cannot take an inject: give a turn from {game.current_turn} (the "
            f"current turn) to {game.settings.turns}; past turns cannot change (undo them first)."
        )
    return world


def schedule_inject(
    directory: Path | str,
    turn: int,
    event_type: str,
    state: str,
    power: str = "",
    bloc: str = "",
    troops: float = 0.0,
    note: str = "",
) -> Scheduled:
    """Schedule a facilitator's event (a scriptable type of the event catalogue) in `state` at the
    first month of `turn` (the current turn or later). power, bloc: the partner the type needs;
    troops: a deployment's size (0: the model's); note: the cause recorded with the event."""
    directory = Path(directory)
    with locked(directory):
        game = Game.load(directory)
        world = _world_for_injects(game, turn)
        _check_inject(world, event_type, state, power, bloc, troops)
        inj = Inject(
            turn=turn,
            type=event_type,
            state=state,
            power=power or "",
            bloc=bloc or "",
            troops=float(troops),
            note=note or "",
        )
        remark = (
            _check_inject_now(game, inj)
            if turn == game.current_turn
            else (
                "note: the state's regime at that turn is not known yet; a coup on a state then ruled by a junta is "
                "applied as a counter-coup and says so."
                if event_type == "coup"
                else ""
            )
        )
        same = [
            i
            for i in game.injects
            if (i.turn, i.type, i.state, i.power, i.bloc) == (inj.turn, inj.type, inj.state, inj.power, inj.bloc)
        ]
        if same:
            partner = f" and {power or bloc}" if power or bloc else ""
            raise WorkshopError(
                f"A {event_type} inject for {state}{partner} is already scheduled for turn {turn}: "
                f"nothing was added. Cancel it first "
                f"('python -m workshop inject {directory} --cancel --turn {turn} --type {event_type} "
                f"--state {state}') to change it."
            )
        game.injects = sorted([*game.injects, inj], key=lambda i: i.turn)
        game.save()
    first = game.steps_of(turn)[0]
    return Scheduled(game, inj, world.state_names[world.states.index(state)], world.date_of(first), remark)


def _check_inject_now(game: Game, inj: Inject) -> str:
    """An inject of the current turn checked against the situation at its start: a transition needs a
    junta, and a coup on a junta is a counter-coup (returned as a remark)."""
    sit = situation_now(game)
    s = sit.world.states.index(inj.state)
    junta = bool(sit.junta[s])
    name = sit.world.state_names[s]
    if inj.type == "transition" and not junta:
        raise WorkshopError(
            f"{name} has a civilian government at the start of turn {inj.turn}: a transition inject "
            f"would change nothing, so it was not scheduled."
        )
    if inj.type == "coup" and junta:
        return (
            f"{name} is ruled by a junta: this coup is applied as a counter-coup (officers overthrow the junta; "
            f"the model's coup follows, with its sanctions and aid suspensions where none are in force) and its "
            f"event says so."
        )
    return ""


def _check_inject(world: World, event_type: str, state: str, power: str, bloc: str, troops: float) -> None:
    """Refuse an inject the world cannot take: a type the facilitator cannot set, an unknown state,
    power or bloc, a missing partner, negative troops."""
    if not event_type or not state:
        raise WorkshopError(
            "An inject needs --type and --state (and --power or --bloc for some types), e.g. "
            "--turn 2 --type coup --state TCD."
        )
    if event_type not in SCRIPTABLE:
        raise WorkshopError(
            f"--type {event_type!r} is not an event the facilitator can set: use one of {', '.join(SCRIPTABLE)}."
        )
    if state not in world.states:
        raise WorkshopError(f"--state {state!r} is not a state of this scenario: use one of {', '.join(world.states)}.")
    needs = EVENTS[event_type].partner
    for opt, value, known in (("power", power, world.powers), ("bloc", bloc, world.blocs)):
        if value and value not in known:
            raise WorkshopError(f"--{opt} {value!r} is not a {opt} of this scenario: use one of {', '.join(known)}.")
        if needs == opt and not value:
            raise WorkshopError(f"A {event_type} inject needs --{opt} (one of {', '.join(known)}).")
    if not math.isfinite(troops) or not 0 <= troops <= MAX_INJECT_TROOPS:
        raise WorkshopError(
            f"--troops must be zero (the model's deployment size) or a number of troops up to "
            f"{MAX_INJECT_TROOPS:,.0f}; {troops} given."
        )


def cancel_injects(directory: Path | str, turn: int, event_type: str = "", state: str = "") -> Cancelled:
    """Cancel the scheduled injects of `turn` (only those of `event_type` and `state`, if given)."""
    directory = Path(directory)
    with locked(directory):
        game = Game.load(directory)
        _world_for_injects(game, turn)
        chosen = [i.turn == turn and event_type in ("", i.type) and state in ("", i.state) for i in game.injects]
        if not any(chosen):
            raise WorkshopError(
                f"No scheduled inject of turn {turn} matches: nothing was cancelled. "
                f"'python -m workshop status {directory}' lists them."
            )
        cancelled = tuple(i for i, c in zip(game.injects, chosen, strict=True) if c)
        game.injects = [i for i, c in zip(game.injects, chosen, strict=True) if not c]
        game.save()
    return Cancelled(game, turn, cancelled)


def write_briefs(directory: Path | str, turn: int | None = None) -> Briefs:
    """Write the briefs of a turn (default: the last adjudicated; 0: the opening), holding the game's lock
    (an undo running meanwhile would otherwise see the briefs of the turn it dropped written again)."""
    directory = Path(directory)
    with locked(directory):
        game = Game.load(directory)
        turn = len(game.turns) if turn is None else turn
        if not 0 <= turn <= len(game.turns):
            raise WorkshopError(f"--turn {turn}: briefs exist for turns 0 (the opening) to {len(game.turns)}.")
        return _write_briefs(game, turn)


def write_debrief(
    directory: Path | str, runs: int, what_if: Sequence[str] = (), out: Path | str | None = None
) -> Debrief:
    """Write the debrief pack (default GAME_DIR/debrief.html): the game against `runs` simulated
    histories, and the what-ifs of the teams in `what_if` (none given: every team)."""
    from workshop.debrief import write_debrief as write_pack

    directory = Path(directory)
    with locked(directory, shared=True):  # the record as the last command left it; undo leaves debrief.html be
        game = Game.load(directory)
    path = write_pack(game, Path(out) if out else game.dir / "debrief.html", runs=runs, what_if=list(what_if) or None)
    return Debrief(game, path, runs)


def outlook(directory: Path | str, turn: int | None = None, runs: int | None = None, seed: int = 0) -> Outlook:
    """The range of outcomes of a turn (workshop.outlook.Outlook): before adjudication the key events'
    probabilities with the moves submitted so far; after it, also where the game's draw fell."""
    from workshop.outlook import DEFAULT_RUNS
    from workshop.outlook import outlook as range_of_outcomes

    directory = Path(directory)
    with locked(directory, shared=True):  # the record as the last command left it (nothing else is read)
        game = Game.load(directory)
    return range_of_outcomes(game, turn, DEFAULT_RUNS if runs is None else runs, seed)


# ---------------------------------------------------------------- the white cell


@dataclass(frozen=True)
class Rerolled:
    """The last turn played again with another seed (its moves and injects unchanged)."""

    game: Game = field(repr=False)
    turn: int
    seed: int
    previous: int  # the seed of the roll replaced
    dropped_vetoes: int  # vetoes of the old roll, dropped (they named its events)
    adjudicated: Adjudicated

    def lines(self) -> list[str]:
        out = [
            f"Turn {self.turn} re-rolled: its months now draw from seed {self.seed} (was {self.previous}); "
            f"the moves and injects are unchanged. The record keeps both seeds, so a replay gives this roll."
        ]
        if self.dropped_vetoes:
            out.append(f"{self.dropped_vetoes} veto(es) of the old roll were dropped: they named its events.")
        if self.game.pending:
            out.append(
                f"Submissions for turn {self.turn + 1} ({', '.join(sorted(self.game.pending))}) are kept and "
                f"checked again when that turn is adjudicated."
            )
        return out + self.adjudicated.lines()[1:]


@dataclass(frozen=True)
class Vetoed:
    """An event of the last turn vetoed, and the turn replayed with the veto."""

    game: Game = field(repr=False)
    veto: Veto
    event: TurnEvent
    adjudicated: Adjudicated

    def lines(self) -> list[str]:
        v, e = self.veto, self.event
        if v.counter:
            how = (
                f"It comes from the model's rules, which cannot be suppressed without changing the model: it stands "
                f"in the record, and a counter-inject ({event_label(v.counter)}) follows the month after it."
            )
        else:
            how = (
                "It was a scripted event (a team's move, an inject or the world file's): the replay no longer "
                "applies it."
            )
        return [f"Vetoed: {e.line()}", how, f"Turn {v.turn} replayed with the veto:", *self.adjudicated.lines()[1:]]


@dataclass(frozen=True)
class Narrated:
    """A narrative-only inject: shown in the briefs of its turn, no effect on the model."""

    game: Game = field(repr=False)
    narrative: Narrative

    def lines(self) -> list[str]:
        return [
            f"Narrative for turn {self.narrative.turn} recorded (shown in every brief of that turn; it changes "
            f"nothing in the model): {self.narrative.text}"
        ]


@dataclass(frozen=True)
class Shocked:
    """A parameter shock scheduled (or shocks cancelled)."""

    game: Game = field(repr=False)
    shocks: tuple[Shock, ...]
    values: tuple[float, ...]  # each shock's parameter once applied (empty for a cancellation)
    cancelled: bool = False

    def lines(self) -> list[str]:
        if self.cancelled:
            return [f"Cancelled {len(self.shocks)} shock(s): " + "; ".join(describe_shock(x) for x in self.shocks)]
        return [
            f"Shock scheduled: {describe_shock(x)} (it becomes {v:g} from the first month of turn {x.turn}, in the "
            f"configuration every replay uses)."
            for x, v in zip(self.shocks, self.values, strict=True)
        ]


def describe_shock(x: Shock) -> str:
    """E.g. 'scenario.powers.RUS.overstretch +0.2 from turn 3'."""
    change = f"+{x.value:g}" if x.op == "+" and x.value >= 0 else (f"{x.value:g}" if x.op == "+" else f"= {x.value:g}")
    return f"{x.key} {change} from turn {x.turn}"


def _play_last_again(game: Game, record: TurnRecord, briefs: bool) -> Adjudicated:
    """Replay the game with `record` as its last turn, save it and write the turn's briefs."""
    from workshop.adjudicate import replay

    game.turns[-1] = record
    rp = replay(game, record=briefs)
    result = rp.results[-1]
    game.save()
    world = rp.simulation.world
    paths: tuple[Path, ...] = ()
    if briefs:
        from workshop.briefs import write_briefs as write_turn_briefs

        shutil.rmtree(game.briefs_dir(record.turn), ignore_errors=True)
        paths = tuple(write_turn_briefs(rp, record.turn, game.briefs_dir(record.turn)))
    else:  # the projector would show the old roll's public page: drop it, it is written again when asked for
        from workshop.briefs import PROJECTOR_FILE

        (game.briefs_dir(record.turn) / PROJECTOR_FILE).unlink(missing_ok=True)
    return Adjudicated(
        game,
        record.turn,
        _months(world, result.first_step, result.last_step),
        tuple(result.moves),
        tuple(record.injects),
        tuple(TurnEvent.of(e, world) for e in result.events),
        paths,
    )


def _last_turn(game: Game, turn: int | None, what: str) -> TurnRecord:
    if not game.turns:
        raise WorkshopError(f"No turn has been adjudicated: there is nothing to {what}.")
    last = len(game.turns)
    if turn is not None and turn != last:
        raise WorkshopError(
            f"Only the last adjudicated turn ({last}) can be {what}d; turn {turn} was given (undo the "
            f"later turns first)."
        )
    return game.turns[-1]


def reroll(directory: Path | str, turn: int | None = None, seed: int | None = None, briefs: bool = True) -> Rerolled:
    """Play the last adjudicated turn (only if it is `turn`, when given) again with the same moves and
    injects and another seed for its months (None: a new random one). Its vetoes are dropped."""
    directory = Path(directory)
    with locked(directory):
        game = Game.load(directory)
        old = _last_turn(game, turn, "re-roll")
        previous = game.settings.seed if old.seed is None else old.seed
        seed = new_seed() if seed is None else seed
        if isinstance(seed, bool) or not 0 <= seed < 2**63:
            raise WorkshopError(f"--seed must be a whole number from 0 to 2**63-1; {seed} was given.")
        if seed == previous:
            raise WorkshopError(
                f"Turn {old.turn} was played with seed {seed} already: give another --seed (or none for a random one)."
            )
        record = dataclasses.replace(old, seed=seed, vetoes=[], rerolled_from=[*old.rerolled_from, previous])
        done = _play_last_again(game, record, briefs)
    return Rerolled(game, record.turn, seed, previous, len(old.vetoes), done)


def veto(
    directory: Path | str,
    event_type: str,
    state: str,
    power: str = "",
    bloc: str = "",
    month: str = "",
    note: str = "",
    briefs: bool = True,
) -> Vetoed:
    """Veto an event of the last adjudicated turn, named by its type, state, partner and (if several
    match) month 'YYYY-MM'. A scripted event is no longer applied; an event of the model's rules
    stands and its counter-inject (adjudicate.COUNTERS) follows the month after it."""
    from workshop.adjudicate import COUNTERS, replay, veto_key

    directory = Path(directory)
    with locked(directory):
        game = Game.load(directory)
        record = _last_turn(game, None, "veto")
        rp = replay(game)
        world = rp.simulation.world
        events = [TurnEvent.of(e, world) for e in rp.results[-1].events]
        found = [
            e
            for e in events
            if (e.type, e.state) == (event_type, state) and e.partner == (power or bloc) and month in ("", e.date)
        ]
        if not found:
            listed = "; ".join(e.line() for e in events if e.type != "incident") or "none"
            partner = f" with {power or bloc}" if power or bloc else ""
            raise WorkshopError(
                f"No {event_type or '(no --type)'} event in {state or '(no --state)'}{partner}"
                + (f" in {month}" if month else "")
                + f" in turn {record.turn}: nothing was vetoed. Its events: {listed}."
            )
        if len(found) > 1:
            raise WorkshopError(
                f"{len(found)} such events in turn {record.turn} ({', '.join(e.date for e in found)}): "
                f"name one with --month."
            )
        event = found[0]
        probe = Veto(record.turn, event.step, event.type, event.state, power, bloc, "", note)
        scripted = any((e.step, e.type, e.state, e.power, e.bloc) == veto_key(probe, world) for e in world.scripted)
        if not scripted:
            if event.type not in COUNTERS:
                raise WorkshopError(
                    f"A {event_label(event.type)} of the model's rules cannot be vetoed: the model "
                    f"cannot suppress it, and it has no counter-inject (those exist for "
                    f"{', '.join(COUNTERS)}). Nothing was vetoed."
                )
            if event.step >= game.settings.turns * game.settings.turn_months:
                raise WorkshopError(
                    "That event falls in the game's last month: no counter-inject can follow it. Nothing was vetoed."
                )
        new = dataclasses.replace(probe, counter="" if scripted else COUNTERS[event.type])
        if any(
            (v.step, v.type, v.state, v.power, v.bloc) == (new.step, new.type, new.state, new.power, new.bloc)
            for v in record.vetoes
        ):
            raise WorkshopError("That event is vetoed already: nothing was changed.")
        after = dataclasses.replace(record, vetoes=[*record.vetoes, new])
        _check_vetoes(game, after)
        done = _play_last_again(game, after, briefs)
    return Vetoed(game, new, event, done)


def _check_vetoes(game: Game, record: TurnRecord) -> None:
    """Refuse vetoes that contradict each other: in the replay with them, every countered rule event
    must still happen (an earlier veto may have taken away its cause)."""
    from workshop.adjudicate import replay, veto_key

    trial = dataclasses.replace(game, turns=[*game.turns[:-1], record])
    rp = replay(trial)
    keys = {(e.step, e.type, e.state, e.power, e.bloc) for e in rp.results[-1].events}
    for v in record.vetoes:
        if v.counter and veto_key(v, rp.simulation.world) not in keys:
            raise WorkshopError(
                f"With the vetoes of turn {record.turn}, the {event_label(v.type)} in {v.state} of "
                f"{rp.simulation.world.date_of(v.step)} no longer happens, so its counter-inject would "
                f"answer nothing: undo the turn and adjudicate it again instead. Nothing was vetoed."
            )


def narrate(directory: Path | str, turn: int, text: str) -> Narrated:
    """Record a narrative-only inject for `turn` (the current turn or later): shown in every brief of
    that turn, no effect on the model."""
    directory = Path(directory)
    text = " ".join(str(text).split())
    with locked(directory):
        game = Game.load(directory)
        _world_for_injects(game, turn)
        if not text or len(text) > MAX_NARRATIVE_CHARS:
            raise WorkshopError(
                f"A narrative inject needs a text of 1 to {MAX_NARRATIVE_CHARS} characters; {len(text)} given."
            )
        narrative = Narrative(turn, text)
        if narrative in game.narratives:
            raise WorkshopError(f"That narrative is recorded for turn {turn} already: nothing was added.")
        game.narratives.append(narrative)
        game.save()
    return Narrated(game, narrative)


def parse_change(change: str) -> tuple[str, float]:
    """'+0.2', '-0.1' (a change) or '=0.5' (a new value) as (op, value), finite."""
    text = change.strip()
    op, number = ("=", text[1:]) if text.startswith("=") else ("+", text)
    try:
        value = float(number)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise WorkshopError(
            f"--change {change!r}: write a change such as +0.2 or -0.1, or a new value such as =0.5 (a finite number)."
        )
    return op, value


def schedule_shock(directory: Path | str, turn: int, key: str, change: str) -> Shocked:
    """Schedule a parameter shock: from the first month of `turn` (the current turn or later) the
    model parameter or power knob `key` changes by `change` ('+0.2', '-0.1') or is set ('=0.5'). The
    shocked value, with every shock before it, must stay within the parameter's legal range."""
    from workshop.adjudicate import apply_shock, shock_range

    directory = Path(directory)
    op, value = parse_change(change)
    with locked(directory):
        game = Game.load(directory)
        world = _world_for_injects(game, turn)
        shock_range(key)
        from sim.core.params import power_knob

        knob = power_knob(key)
        if knob is not None and knob[0] not in world.powers:
            raise WorkshopError(f"{key!r}: no power {knob[0]!r} in this scenario (powers: {', '.join(world.powers)}).")
        shock = Shock(turn, key, op, value)
        if shock in game.shocks:
            raise WorkshopError(f"The shock {describe_shock(shock)} is scheduled already: nothing was added.")
        shocks = sorted([*game.shocks, shock], key=lambda x: x.turn)
        values = _shocked_values(game, shocks, apply_shock)
        game.shocks = shocks
        game.save()
    return Shocked(game, (shock,), (values[shocks.index(shock)],))


def _shocked_values(game: Game, shocks: list[Shock], apply_shock: Any) -> list[float]:
    """Each shock's value once applied in order to the game's configuration and world (a WorkshopError
    if one leaves its legal range); the model is not stepped."""
    from workshop.adjudicate import GameSimulation, shock_range, shocked_value

    cfg = game.config()
    sim = GameSimulation(cfg, game.world(), [cfg.seed])
    values = []
    for x in shocks:
        value = shocked_value(sim.cfg, sim.world, x)
        lo, hi = shock_range(x.key)
        if not lo <= value <= hi:
            raise WorkshopError(
                f"The shock {describe_shock(x)} would make {x.key} {value:g}, outside its legal range "
                f"{lo:g} to {hi:g} (with the shocks scheduled before it): nothing was scheduled."
            )
        values.append(value)
        apply_shock(sim, x)
    return values


def cancel_shocks(directory: Path | str, turn: int, key: str = "") -> Shocked:
    """Cancel the shocks of `turn` (the current turn or later; only those of `key`, if given)."""
    directory = Path(directory)
    with locked(directory):
        game = Game.load(directory)
        _world_for_injects(game, turn)
        gone = tuple(x for x in game.shocks if x.turn == turn and key in ("", x.key))
        if not gone:
            raise WorkshopError(f"No shock of turn {turn} matches: nothing was cancelled.")
        game.shocks = [x for x in game.shocks if x not in gone]
        game.save()
    return Shocked(game, gone, (), cancelled=True)
