"""`python -m workshop COMMAND GAME_DIR ...`: the facilitator's commands (docs/workshop.md).

    new GAME_DIR --team USA --team AES=MLI,BFA,NER --team ECOWAS --turns 6 [--turn-months 3] [--seed 0]
                 [--scenario sahel_2024] [--experiment us_stays]
    status GAME_DIR [--json]
    submit GAME_DIR TEAM FILE        check GAME_DIR          adjudicate GAME_DIR [--turn N] [--no-briefs]
    undo GAME_DIR [--turn N]         briefs GAME_DIR [--turn N]
    inject GAME_DIR --turn N --type coup --state TCD [--power P] [--bloc B] [--troops T] [--note TEXT]
    inject GAME_DIR --turn N --cancel [--type T] [--state S]
    debrief GAME_DIR [--runs 500] [--what-if TEAM] [--out FILE]

A mistake (a bad option, an illegal move) prints one `error:` paragraph (with one line per problem
of a move file) and exits with status 2; nothing is changed.

Other programs (the facilitator page of the web app, app/facilitator.py) run the same commands in
their own process with `run(argv)` or `capture(fn, ...)`, which return an `Outcome` (the lines a
command would print, or its error paragraph and problems) instead of printing.
"""

from __future__ import annotations

import argparse
import contextvars
import dataclasses
import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sim.core.params import ConfigError
from sim.core.provenance import model_fingerprint
from sim.core.vocabulary import EVENTS, SCRIPTABLE
from sim.core.world import WorldError, scenario_path
from workshop.errors import WorkshopError
from workshop.game import GAME_FILE, Game, Inject, Settings, Submission, TurnRecord, locked, pause_point, world_digest
from workshop.moves import MoveRejected, Problem
from workshop.teams import check_teams, parse_team, players_of, team_by_name

EXIT_BAD_INPUT = 2
MAX_MOVE_BYTES = 1_000_000


class Refused(WorkshopError):
    """A refusal with a list of problems, printed one per line under the paragraph."""

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


#: Where `_out` writes while `capture` runs a command (None: standard output).
_SINK: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("workshop_cli_sink", default=None)


def _out(text: str = "") -> None:
    sink = _SINK.get()
    if sink is None:
        print(text, flush=True)
    else:
        sink.append(text)


@dataclass
class Outcome:
    """What a command run by `run` or `capture` did: the lines it would have printed, or its mistake
    (the `error:` paragraph, without the prefix, and one line per problem of a refused move file)."""

    ok: bool
    lines: list[str] = field(default_factory=list)
    error: str = ""
    problems: list[str] = field(default_factory=list)


def capture(fn: Callable[..., object], *args: object, **kwargs: object) -> Outcome:
    """Call a command function with its output collected instead of printed, and its mistakes
    (Refused, WorkshopError, ConfigError, WorldError) returned instead of raised."""
    lines: list[str] = []
    token = _SINK.set(lines)
    try:
        fn(*args, **kwargs)
    except Refused as exc:
        return Outcome(False, lines, str(exc), [str(p) for p in exc.problems])
    except (WorkshopError, ConfigError, WorldError) as exc:
        return Outcome(False, lines, str(exc))
    finally:
        _SINK.reset(token)
    return Outcome(True, lines)


class _RaisingParser(argparse.ArgumentParser):
    """A parser that reports a bad option as a WorkshopError instead of printing usage and exiting."""

    def error(self, message: str):  # type: ignore[override]
        raise WorkshopError(f"{self.prog}: {message}.")


def run(argv: list[str]) -> Outcome:
    """Run one command (the same arguments as `python -m workshop`) in this process; returns its
    Outcome instead of printing."""
    try:
        args = parser(_RaisingParser).parse_args([str(a) for a in argv])
    except WorkshopError as exc:
        return Outcome(False, error=str(exc))
    return capture(COMMANDS[args.command], args)


# ---------------------------------------------------------------- commands

def cmd_new(a: argparse.Namespace) -> None:
    from omegaconf import OmegaConf

    from sim.config import CONF_DIR, compose_config, explain_composition_error
    from sim.core.world import load_world

    directory = Path(a.game_dir)
    if (directory / GAME_FILE).exists():
        raise WorkshopError(f"{directory} already holds a game ({GAME_FILE}). Choose a new folder, or continue that "
                            f"game with 'python -m workshop status {directory}'.")
    if not 1 <= a.turn_months <= 12:
        raise WorkshopError(f"--turn-months must be between 1 and 12 (months per turn); {a.turn_months} was given.")
    if not 1 <= a.turns or a.turns * a.turn_months > 600:
        raise WorkshopError(f"--turns must be at least 1 and turns x months per turn at most 600; {a.turns} turns of "
                            f"{a.turn_months} months were given.")
    if a.seed < 0:
        raise WorkshopError(f"--seed must be a non-negative integer; {a.seed} was given.")
    scenario = a.scenario
    if scenario.endswith((".yaml", ".yml")):
        scenario = str(Path(scenario).resolve())
    if not scenario_path(scenario).is_file():
        raise WorkshopError(f"No world file for scenario {a.scenario!r} ({scenario_path(scenario)}). Give a name of "
                            f"scenarios/NAME.yaml (e.g. sahel_2024) or a path to a world file.")
    overrides = [f"scenario.name={scenario}", f"seed={a.seed}", f"run.steps={a.turns * a.turn_months}",
                 "run.plots=false", "run.summary=false"]
    if a.experiment:
        known = sorted(p.stem for p in (CONF_DIR / "experiment").glob("*.yaml"))
        if a.experiment not in known:
            raise WorkshopError(f"Unknown experiment {a.experiment!r}: choose one of {', '.join(known)} "
                                f"(conf/experiment/), or leave --experiment out.")
        overrides.append(f"experiment={a.experiment}")
    try:
        cfg = compose_config(overrides)
    except ConfigError:
        raise
    except Exception as exc:  # Hydra composition errors
        raise WorkshopError(explain_composition_error(exc, overrides)) from None
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    if not a.team:
        raise WorkshopError("Give the teams with --team, e.g. --team USA --team AES=MLI,BFA,NER --team ECOWAS.")
    teams = [parse_team(t, world) for t in a.team]
    check_teams(teams)
    if a.teams_decide:
        cfg = dataclasses.replace(cfg, players=players_of(teams))
    settings = Settings(scenario=a.scenario, experiment=a.experiment or "", seed=a.seed, turn_months=a.turn_months,
                        turns=a.turns, config=OmegaConf.to_container(OmegaConf.structured(cfg)),
                        world_sha256=world_digest(scenario_path(cfg.scenario.name)), model_sha256=model_fingerprint())
    game = Game(dir=directory, settings=settings, teams=teams)
    with locked(directory):
        game.save()
    first, last = game.steps_of(1)
    _out(f"Created a game in {directory}: scenario {a.scenario}"
         + (f" with experiment {a.experiment}" if a.experiment else "")
         + f", {a.turns} turns of {a.turn_months} months ({world.date_of(1)} to "
           f"{world.date_of(a.turns * a.turn_months)}), seed {a.seed}"
         + (". The teams' actors decide only by the teams' moves (--teams-decide)." if a.teams_decide else "."))
    for t in teams:
        _out(f"  team {t.describe(world)}")
    _out(f"Turn 1 covers {world.date_of(first)} to {world.date_of(last)}. Opening briefs: python -m workshop briefs "
         f"{directory}. Moves: python -m workshop submit {directory} TEAM FILE.")


def _replay_now(game: Game):
    from workshop.adjudicate import replay, situation

    rp = replay(game)
    return rp, situation(game, rp.simulation, game.current_turn)


def cmd_status(a: argparse.Namespace) -> None:
    game = Game.load(a.game_dir)
    from workshop.adjudicate import replay

    rp = replay(game)
    world, s = rp.simulation.world, game.settings
    info = {
        "turn": game.current_turn, "turns": s.turns, "adjudicated": len(game.turns), "over": game.over,
        "month": world.date_of(rp.simulation.step_no), "submitted": sorted(game.pending),
        "missing": [t for t in game.team_names() if t not in game.pending],
        "injects": [vars(i) for i in game.injects], "fingerprint": rp.simulation.fingerprint(),
        "teams_decide": game.teams_decide,
    }
    if a.json:
        _out(json.dumps(info, indent=1))
        return
    _out(f"Game in {game.dir}: scenario {s.scenario}" + (f" with experiment {s.experiment}" if s.experiment else "")
         + f", seed {s.seed}, {s.turns} turns of {s.turn_months} months"
         + ("; the teams' actors decide only by the teams' moves." if game.teams_decide else "."))
    if game.over:
        _out(f"The game is over: all {s.turns} turns adjudicated (to {info['month']}). Next: python -m workshop "
             f"debrief {game.dir}.")
    else:
        first, last = game.steps_of(game.current_turn)
        _out(f"Turn {game.current_turn} of {s.turns}: {world.date_of(first)} to {world.date_of(last)} "
             f"({len(game.turns)} adjudicated; the world stands at {info['month']}).")
        for t in game.teams:
            sub = game.pending.get(t.name)
            state = f"moves submitted (from {sub.file})" if sub else "nothing yet (would follow the scenario's policy)"
            _out(f"  {t.describe(world)}: {state}")
    for i in game.injects:
        _out(f"  inject at turn {i.turn}: {i.type} in {i.state}" + (f" ({i.power or i.bloc})" if i.power or i.bloc
                                                                    else ""))
    _out(f"Fingerprint of the state: {info['fingerprint'][:16]}")


def cmd_submit(a: argparse.Namespace) -> None:
    path = Path(a.file)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise WorkshopError(f"The move file {path} cannot be read ({exc.strerror}). Check the path.") from None
    submit_text(a.game_dir, a.team, decode_move_file(raw, str(path)), str(path))


def decode_move_file(raw: bytes, name: str) -> str:
    """A move file's bytes as text, refused if too long or not UTF-8."""
    if len(raw) > MAX_MOVE_BYTES:
        raise WorkshopError(f"The move file {name} is {len(raw)} bytes: a move file is a short YAML text (at most "
                            f"{MAX_MOVE_BYTES} bytes).")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkshopError(f"The move file {name} is not UTF-8 text: save it as plain text (UTF-8).") from None


def submit_text(game_dir: Path | str, team_name: str, text: str, source: str) -> None:
    """Check a team's move file (its text; `source` names it in messages and the record) for the
    current turn and store it, replacing the team's earlier file; a refused file is not stored."""
    from workshop.moves import parse_move

    directory = Path(game_dir)
    with locked(directory):
        game = Game.load(directory)
        if game.over:
            raise WorkshopError(f"The game is over ({game.settings.turns} turns adjudicated): no more moves. Next: "
                                f"python -m workshop debrief {directory}.")
        team = team_by_name(game.teams, team_name)
        _, sit = _replay_now(game)
        try:
            move = parse_move(text, source, team, sit)
        except MoveRejected as exc:
            raise Refused(f"{source} was refused for team {team.name}, turn {sit.turn} ({len(exc.problems)} "
                          f"problem{'s' * (len(exc.problems) != 1)}; nothing was stored). Fix the file and submit "
                          f"it again (move files: docs/workshop.md):", exc.problems) from None
        replaced = team.name in game.pending
        game.pending[team.name] = Submission(team=team.name, file=source, text=text)
        pause_point("submit-before-save", directory)
        game.save()
        _copy_moves(game, sit.turn, {team.name: game.pending[team.name]})
    _out(f"Accepted: team {team.name}'s moves for turn {sit.turn} ({sit.dates()})"
         + (", replacing its earlier submission" if replaced else "") + ":")
    for line in move.summary(sit.world) or ["no moves (the scenario's policy plays for the team)"]:
        _out(f"  - {line}")
    for w in move.warnings:
        _out(f"note: {w}")


def _copy_moves(game: Game, turn: int, subs: dict[str, Submission]) -> None:
    from workshop.game import write_atomic

    for name, sub in subs.items():
        path = game.moves_path(turn, name)
        if not path.is_file() or path.read_text(encoding="utf-8") != sub.text:
            write_atomic(path, sub.text)


def cmd_check(a: argparse.Namespace) -> None:
    from workshop.adjudicate import check_moves

    game = Game.load(a.game_dir)
    if game.over:
        _out("The game is over: there are no moves to check.")
        return
    _, sit = _replay_now(game)
    moves, problems = check_moves(game, sit, game.pending)
    _out(f"Turn {sit.turn} ({sit.dates()}):")
    for t in game.teams:
        if t.name in moves:
            _out(f"  {t.name}: ok ({len(moves[t.name].summary(sit.world))} moves)")
            for w in moves[t.name].warnings:
                _out(f"    note: {w}")
        elif t.name in game.pending:
            _out(f"  {t.name}: refused (see below)")
        else:
            _out(f"  {t.name}: nothing submitted: the scenario's policy will play for it")
    if problems:
        raise Refused(f"Some stored moves of turn {sit.turn} are illegal, so the turn cannot be adjudicated; the teams "
                      f"concerned must submit corrected files:", problems)


def cmd_adjudicate(a: argparse.Namespace) -> None:
    from workshop.adjudicate import TurnResult, check_moves, play_turn, replay, situation

    directory = Path(a.game_dir)
    with locked(directory):
        game = Game.load(directory)
        if a.turn is not None and 1 <= a.turn <= len(game.turns):
            _out(f"Turn {a.turn} is already adjudicated: nothing to do.")
            if not a.no_briefs and a.turn == len(game.turns) and not (game.briefs_dir(a.turn) / "facilitator.html"
                                                                     ).is_file():
                _write_briefs(game, a.turn)
            return
        if game.over:
            raise WorkshopError(f"The game is over: all {game.settings.turns} turns are adjudicated. Next: python -m "
                                f"workshop debrief {directory}.")
        turn = game.current_turn
        if a.turn is not None and a.turn != turn:
            raise WorkshopError(f"The game is at turn {turn}, not {a.turn}: run adjudicate --turn {turn}.")
        if not game.pending and a.turn is None:
            raise WorkshopError(f"No team has submitted moves for turn {turn}. If every team should follow the "
                                f"scenario's policy this turn, confirm with: python -m workshop adjudicate {directory} "
                                f"--turn {turn}")
        rp = replay(game, record=not a.no_briefs)
        sit = situation(game, rp.simulation, turn)
        moves, problems = check_moves(game, sit, game.pending)
        if problems:
            raise Refused(f"Turn {turn} was not adjudicated: these moves are illegal; the teams concerned must submit "
                          f"corrected files:", problems)
        record = TurnRecord(turn=turn, moves=dict(game.pending), injects=[i for i in game.injects if i.turn == turn])
        events = play_turn(game, rp.simulation, turn, moves, record.injects)
        game.turns.append(record)
        game.pending = {}
        game.injects = [i for i in game.injects if i.turn != turn]
        pause_point("adjudicate-before-save", directory)
        game.save()
        _copy_moves(game, turn, record.moves)
        first, last = game.steps_of(turn)
        rp.results.append(TurnResult(turn, first, last, sit, moves, record.injects, events))
        world = rp.simulation.world
        _out(f"Turn {turn} adjudicated ({world.date_of(first)} to {world.date_of(last)}): "
             f"{len(events)} event{'s' * (len(events) != 1)}; moves of {', '.join(moves) or 'no team'}"
             + (f"; {len(record.injects)} inject(s)" if record.injects else "") + ".")
        for e in events:
            if e.type != "incident":
                who = world.powers[e.power] if e.power >= 0 else world.blocs[e.bloc] if e.bloc >= 0 else ""
                _out(f"  {world.date_of(e.step)} {e.type.replace('_', ' ')} {world.states[e.state]}"
                     + (f" {who}" if who else "") + f": {e.cause}")
        if not a.no_briefs:
            from workshop.briefs import write_briefs

            paths = write_briefs(rp, turn, game.briefs_dir(turn))
            _out(f"Briefs: {paths[0].parent}/ ({', '.join(p.name for p in paths)})")
        if game.over:
            _out(f"That was the last turn. Next: python -m workshop debrief {directory}")


def _write_briefs(game: Game, turn: int) -> None:
    from workshop.briefs import briefs_for

    paths = briefs_for(game, turn)
    _out(f"Briefs for {'the opening' if turn == 0 else f'turn {turn}'}: {paths[0].parent}/ "
         f"({', '.join(p.name for p in paths)})")


def cmd_undo(a: argparse.Namespace) -> None:
    directory = Path(a.game_dir)
    with locked(directory):
        game = Game.load(directory)
        if not game.turns:
            raise WorkshopError("No turn has been adjudicated: there is nothing to undo.")
        last = len(game.turns)
        if a.turn is not None and a.turn != last:
            raise WorkshopError(f"The last adjudicated turn is {last}, not {a.turn}: nothing was undone.")
        record = game.turns.pop()
        dropped = sorted(game.pending)
        game.pending = dict(record.moves)
        game.injects = sorted(record.injects + game.injects, key=lambda i: i.turn)
        game.save()
        shutil.rmtree(game.briefs_dir(record.turn), ignore_errors=True)
    _out(f"Turn {record.turn} undone: the game is back at the start of turn {record.turn}. Its moves "
         f"({', '.join(record.moves) or 'none'}) and injects ({len(record.injects)}) are pending again: adjudicate to "
         f"play it again, or teams submit new files to change their moves.")
    if dropped:
        _out(f"Submissions for turn {record.turn + 1} were dropped ({', '.join(dropped)}); copies remain in "
             f"{directory / 'moves' / f'turn-{record.turn + 1:02d}'}.")


def cmd_inject(a: argparse.Namespace) -> None:
    directory = Path(a.game_dir)
    with locked(directory):
        game = Game.load(directory)
        world = game.world()
        if not game.current_turn <= a.turn <= game.settings.turns:
            raise WorkshopError(f"--turn {a.turn} cannot take an inject: give a turn from {game.current_turn} (the "
                                f"current turn) to {game.settings.turns}; past turns cannot change (undo them first).")
        if a.cancel:
            keep = [i for i in game.injects if not (i.turn == a.turn and a.type in ("", i.type)
                                                    and a.state in ("", i.state))]
            if len(keep) == len(game.injects):
                raise WorkshopError(f"No scheduled inject of turn {a.turn} matches: nothing was cancelled. "
                                    f"'python -m workshop status {directory}' lists them.")
            dropped = len(game.injects) - len(keep)
            game.injects = keep
            game.save()
            _out(f"Cancelled {dropped} inject(s) of turn {a.turn}.")
            return
        if not a.type or not a.state:
            raise WorkshopError("An inject needs --type and --state (and --power or --bloc for some types), e.g. "
                                "--turn 2 --type coup --state TCD.")
        if a.type not in SCRIPTABLE:
            raise WorkshopError(f"--type {a.type!r} is not an event the facilitator can set: use one of "
                                f"{', '.join(SCRIPTABLE)}.")
        if a.state not in world.states:
            raise WorkshopError(f"--state {a.state!r} is not a state of this scenario: use one of "
                                f"{', '.join(world.states)}.")
        needs = EVENTS[a.type].partner
        for opt, value, known in (("power", a.power, world.powers), ("bloc", a.bloc, world.blocs)):
            if value and value not in known:
                raise WorkshopError(f"--{opt} {value!r} is not a {opt} of this scenario: use one of "
                                    f"{', '.join(known)}.")
            if needs == opt and not value:
                raise WorkshopError(f"A {a.type} inject needs --{opt} (one of {', '.join(known)}).")
        if a.troops < 0:
            raise WorkshopError(f"--troops must be zero (the model's deployment size) or positive; {a.troops} given.")
        inj = Inject(turn=a.turn, type=a.type, state=a.state, power=a.power or "", bloc=a.bloc or "",
                     troops=float(a.troops), note=a.note or "")
        game.injects = sorted([*game.injects, inj], key=lambda i: i.turn)
        game.save()
    first = game.steps_of(a.turn)[0]
    _out(f"Inject scheduled: {a.type} in {world.state_names[world.states.index(a.state)]}"
         + (f" ({a.power or a.bloc})" if a.power or a.bloc else "")
         + f" at the start of turn {a.turn} ({world.date_of(first)}), before the teams' moves of that month.")


def cmd_briefs(a: argparse.Namespace) -> None:
    game = Game.load(a.game_dir)
    turn = len(game.turns) if a.turn is None else a.turn
    if not 0 <= turn <= len(game.turns):
        raise WorkshopError(f"--turn {turn}: briefs exist for turns 0 (the opening) to {len(game.turns)}.")
    _write_briefs(game, turn)


def cmd_debrief(a: argparse.Namespace) -> None:
    from workshop.debrief import write_debrief

    game = Game.load(a.game_dir)
    out = Path(a.out) if a.out else game.dir / "debrief.html"
    path = write_debrief(game, out, runs=a.runs, what_if=a.what_if)
    _out(f"Debrief: {path} ({len(game.turns)} turns against {a.runs} simulated histories).")


# ---------------------------------------------------------------- parsing

def parser(cls: type[argparse.ArgumentParser] = argparse.ArgumentParser) -> argparse.ArgumentParser:
    p = cls(prog="python -m workshop", description="Policy workshop mode: teams play a scenario "
            "turn by turn; the model adjudicates. See docs/workshop.md.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help_, description=help_)
        c.add_argument("game_dir", metavar="GAME_DIR", help="the game's folder (holds game.json)")
        return c

    c = command("new", "create a game")
    c.add_argument("--team", action="append", metavar="SPEC", help="a team: a power (USA), a bloc (ECOWAS), a state "
                   "(TCD) or NAME=STATE,STATE (AES=MLI,BFA,NER); repeat for each team (1 to 6)")
    c.add_argument("--turns", type=int, required=True, help="number of turns")
    c.add_argument("--turn-months", type=int, default=3, help="months per turn (default 3)")
    c.add_argument("--seed", type=int, default=0, help="seed of the game's random streams (default 0)")
    c.add_argument("--scenario", default="sahel_2024", help="world file: scenarios/NAME.yaml or a path")
    c.add_argument("--experiment", default="", help="an experiment overlay of conf/experiment/ (e.g. us_stays)")
    c.add_argument("--teams-decide", action="store_true",
                   help="the rules make no decision for the teams' actors (expulsions, invitations, bloc moves, "
                        "transitions, sanctions, aid suspensions, deployments answering invitations): only the "
                        "teams' moves do")
    c = command("status", "where the game stands and who has submitted")
    c.add_argument("--json", action="store_true", help="print the status as JSON")
    c = command("submit", "validate and store a team's move file for the current turn")
    c.add_argument("team", metavar="TEAM")
    c.add_argument("file", metavar="FILE")
    command("check", "validate every stored move of the current turn")
    c = command("adjudicate", "apply the turn's moves and advance the turn's months")
    c.add_argument("--turn", type=int, help="the turn to adjudicate (makes a rerun safe; needed if nobody submitted)")
    c.add_argument("--no-briefs", action="store_true", help="do not write the briefs")
    c = command("undo", "drop the last adjudicated turn")
    c.add_argument("--turn", type=int, help="undo only if this is the last adjudicated turn")
    c = command("inject", "schedule a facilitator's event at the first month of a turn")
    c.add_argument("--turn", type=int, required=True)
    c.add_argument("--type", default="", help=f"one of {', '.join(SCRIPTABLE)}")
    c.add_argument("--state", default="")
    c.add_argument("--power", default="")
    c.add_argument("--bloc", default="")
    c.add_argument("--troops", type=float, default=0.0, help="for deploy (0: the model's deployment size)")
    c.add_argument("--note", default="", help="the cause recorded with the event")
    c.add_argument("--cancel", action="store_true", help="cancel the injects of --turn (those of --type and "
                   "--state if given) instead")
    c = command("briefs", "write the per-team and facilitator briefs of a turn (default: the last)")
    c.add_argument("--turn", type=int, help="0 for the opening briefs")
    c = command("debrief", "write the debrief pack (debrief.html)")
    c.add_argument("--runs", type=int, default=500, help="simulated histories for the fan charts (default 500)")
    c.add_argument("--what-if", action="append", metavar="TEAM", help="team(s) for the what-if (default: every team)")
    c.add_argument("--out", help="output file (default GAME_DIR/debrief.html)")
    return p


COMMANDS = {"new": cmd_new, "status": cmd_status, "submit": cmd_submit, "check": cmd_check,
            "adjudicate": cmd_adjudicate, "undo": cmd_undo, "inject": cmd_inject, "briefs": cmd_briefs,
            "debrief": cmd_debrief}


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status (0, or 2 for a mistake, with one `error:` paragraph)."""
    args = parser().parse_args(argv)
    try:
        COMMANDS[args.command](args)
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (WorkshopError, ConfigError, WorldError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into `head`: the command itself has finished its work
        sys.stderr.close()
    return 0
