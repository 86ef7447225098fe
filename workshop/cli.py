"""`python -m workshop COMMAND GAME_DIR ...`: the facilitator's commands (docs/workshop.md).

    new GAME_DIR --team USA --team AES=MLI,BFA,NER --team ECOWAS --turns 6 [--turn-months 3] [--seed S]
                 [--scenario sahel_2024] [--experiment us_stays] [--objective USA=influence:NER,TCD ...]
    status GAME_DIR [--json]         links GAME_DIR [--base http://192.168.1.20:8765]
    submit GAME_DIR TEAM FILE        check GAME_DIR          adjudicate GAME_DIR [--turn N] [--no-briefs]
    undo GAME_DIR [--turn N]         briefs GAME_DIR [--turn N]
    inject GAME_DIR --turn N --type coup --state TCD [--power P] [--bloc B] [--troops T] [--note TEXT]
    inject GAME_DIR --turn N --cancel [--type T] [--state S]
    debrief GAME_DIR [--runs 500] [--what-if TEAM] [--out FILE]
    outlook GAME_DIR [--turn N] [--runs 200] [--seed 0]
  the white cell:
    reroll GAME_DIR [--turn N] [--seed S]           veto GAME_DIR --type T --state S [--power P] [--bloc B]
    narrate GAME_DIR --turn N TEXT                                              [--month YYYY-MM] [--note TEXT]
    shock GAME_DIR --turn N --param scenario.powers.RUS.overstretch --change +0.2 (or =0.5; --cancel to drop)

A mistake (a bad option, an illegal move) prints one `error:` paragraph (with one line per problem
of a move file) and exits with status 2; nothing is changed.

This module only reads the arguments and prints: every command is a function of workshop/service.py
that returns what it did, and the lines printed are that result's `lines()` (the facilitator page
of the web app shows the same results).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable

from sim.commandline import Parser
from sim.core.vocabulary import SCRIPTABLE
from workshop import service
from workshop.errors import Refused

EXIT_BAD_INPUT = 2


def _out(lines: Iterable[str]) -> None:
    for line in lines:
        print(line, flush=True)


# ---------------------------------------------------------------- commands


def cmd_new(a: argparse.Namespace) -> None:
    _out(
        service.create_game(
            a.game_dir,
            a.team or [],
            a.turns,
            a.turn_months,
            a.seed,
            a.scenario,
            a.experiment,
            a.teams_decide,
            a.objective or (),
        ).lines()
    )


def cmd_links(a: argparse.Namespace) -> None:
    _out(service.links(a.game_dir, a.base).lines())


def cmd_status(a: argparse.Namespace) -> None:
    result = service.status(a.game_dir)
    _out([json.dumps(result.to_json(), indent=1)] if a.json else result.lines())


def cmd_submit(a: argparse.Namespace) -> None:
    _out(service.submit_file(a.game_dir, a.team, a.file).lines())


def cmd_check(a: argparse.Namespace) -> None:
    result = service.check(a.game_dir)
    _out(result.lines())
    refusal = result.refusal()
    if refusal is not None:  # the report above, then the problems as a mistake (exit status 2)
        raise refusal


def cmd_adjudicate(a: argparse.Namespace) -> None:
    _out(service.adjudicate(a.game_dir, a.turn, briefs=not a.no_briefs).lines())


def cmd_undo(a: argparse.Namespace) -> None:
    _out(service.undo(a.game_dir, a.turn).lines())


def cmd_inject(a: argparse.Namespace) -> None:
    if a.cancel:
        result = service.cancel_injects(a.game_dir, a.turn, a.type, a.state)
    else:
        result = service.schedule_inject(a.game_dir, a.turn, a.type, a.state, a.power, a.bloc, a.troops, a.note)
    _out(result.lines())


def cmd_briefs(a: argparse.Namespace) -> None:
    _out(service.write_briefs(a.game_dir, a.turn).lines())


def cmd_debrief(a: argparse.Namespace) -> None:
    _out(service.write_debrief(a.game_dir, a.runs, a.what_if or (), a.out).lines())


def cmd_outlook(a: argparse.Namespace) -> None:
    _out(service.outlook(a.game_dir, a.turn, a.runs, a.seed).lines())


def cmd_reroll(a: argparse.Namespace) -> None:
    _out(service.reroll(a.game_dir, a.turn, a.seed, briefs=not a.no_briefs).lines())


def cmd_veto(a: argparse.Namespace) -> None:
    _out(service.veto(a.game_dir, a.type, a.state, a.power, a.bloc, a.month, a.note, briefs=not a.no_briefs).lines())


def cmd_narrate(a: argparse.Namespace) -> None:
    _out(service.narrate(a.game_dir, a.turn, a.text).lines())


def cmd_shock(a: argparse.Namespace) -> None:
    if a.cancel:
        _out(service.cancel_shocks(a.game_dir, a.turn, a.param).lines())
    elif not a.param or not a.change:
        raise service.WorkshopError(
            "A shock needs --param and --change, e.g. --turn 3 --param "
            "scenario.powers.RUS.overstretch --change +0.2 (or --change =0.5)."
        )
    else:
        _out(service.schedule_shock(a.game_dir, a.turn, a.param, a.change).lines())


# ---------------------------------------------------------------- parsing


def parser() -> argparse.ArgumentParser:
    """The command line; a mistake in it (an unknown option, a number that is not one) ends the program
    with one `error:` paragraph and exit status 2, as the other commands do (sim.commandline.Parser)."""
    p = Parser(
        prog="python -m workshop",
        description="Policy workshop mode: teams play a scenario "
        "turn by turn; the model adjudicates. See docs/workshop.md.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help_, description=help_)
        c.add_argument("game_dir", metavar="GAME_DIR", help="the game's folder (holds game.json)")
        return c

    c = command("new", "create a game")
    c.add_argument(
        "--team",
        action="append",
        metavar="SPEC",
        help="a team: a power (USA), a bloc (ECOWAS), a state "
        "(TCD) or NAME=STATE,STATE (AES=MLI,BFA,NER); repeat for each team (1 to 6)",
    )
    c.add_argument("--turns", type=int, required=True, help="number of turns")
    c.add_argument(
        "--turn-months",
        type=int,
        default=service.DEFAULT_TURN_MONTHS,
        help=f"months per turn (default {service.DEFAULT_TURN_MONTHS})",
    )
    c.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the game's random streams (default: drawn at "
        "random from the operating system, printed and stored)",
    )
    c.add_argument("--scenario", default=service.DEFAULT_SCENARIO, help="world file: scenarios/NAME.yaml or a path")
    c.add_argument("--experiment", default="", help="an experiment overlay of conf/experiment/ (e.g. us_stays)")
    c.add_argument(
        "--teams-decide",
        action="store_true",
        help="the rules make no decision for the teams' actors (expulsions, invitations, bloc moves, "
        "transitions, sanctions, aid suspensions, deployments answering invitations): only the "
        "teams' moves do",
    )
    c.add_argument(
        "--objective",
        action="append",
        metavar="TEAM=KEY[:STATES]",
        help="a team's objective (repeat; "
        "a team given none gets its kind's whole menu): power influence:STATE,STATE, bases, forces; "
        "government survival, insurgency, sovereignty; bloc members, coups",
    )
    c = command("links", "print each team's join link and the facilitator's (made now for an older game)")
    c.add_argument(
        "--base",
        default="http://HOST:8765",
        help="the app's address as the teams reach it, e.g. http://192.168.1.20:8765 (default: HOST to fill in)",
    )
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
    c.add_argument(
        "--cancel",
        action="store_true",
        help="cancel the injects of --turn (those of --type and --state if given) instead",
    )
    c = command("briefs", "write the per-team and facilitator briefs of a turn (default: the last)")
    c.add_argument("--turn", type=int, help="0 for the opening briefs")
    c = command("debrief", "write the debrief pack (debrief.html)")
    c.add_argument("--runs", type=int, default=500, help="simulated histories for the fan charts (default 500)")
    c.add_argument("--what-if", action="append", metavar="TEAM", help="team(s) for the what-if (default: every team)")
    c.add_argument("--out", help="output file (default GAME_DIR/debrief.html)")
    c = command("outlook", "the range of outcomes of a turn: each key event's probability over quick histories")
    c.add_argument(
        "--turn",
        type=int,
        help="an adjudicated turn: also where the game's draw fell (default: the "
        "current turn, with the moves submitted so far)",
    )
    c.add_argument("--runs", type=int, default=None, help="histories (default 200)")
    c.add_argument("--seed", type=int, default=0, help="the first of the histories' seeds (default 0)")
    c = command("reroll", "play the last turn again, same moves and injects, with another seed")
    c.add_argument("--turn", type=int, help="re-roll only if this is the last adjudicated turn")
    c.add_argument("--seed", type=int, help="the new seed (default: drawn at random)")
    c.add_argument("--no-briefs", action="store_true", help="do not write the briefs")
    c = command("veto", "veto an event of the last turn (a scripted one is not applied; a rule's is countered)")
    c.add_argument("--type", default="", help="the event's type, e.g. coup")
    c.add_argument("--state", default="", help="the event's state code")
    c.add_argument("--power", default="")
    c.add_argument("--bloc", default="")
    c.add_argument("--month", default="", help="YYYY-MM, if several events match")
    c.add_argument("--note", default="", help="the reason, recorded with the veto")
    c.add_argument("--no-briefs", action="store_true", help="do not write the briefs")
    c = command("narrate", "a narrative-only inject: shown in the briefs of its turn, no effect on the model")
    c.add_argument("--turn", type=int, required=True)
    c.add_argument("text", metavar="TEXT")
    c = command("shock", "change a model parameter or power knob from the first month of a turn on")
    c.add_argument("--turn", type=int, required=True)
    c.add_argument("--param", default="", help="e.g. scenario.powers.RUS.overstretch or hazards.coup_base")
    c.add_argument("--change", default="", help="+0.2 or -0.1 (write --change=-0.1) to change it, =0.5 to set it")
    c.add_argument("--cancel", action="store_true", help="cancel the shocks of --turn (of --param if given)")
    return p


COMMANDS = {
    "new": cmd_new,
    "links": cmd_links,
    "status": cmd_status,
    "submit": cmd_submit,
    "check": cmd_check,
    "adjudicate": cmd_adjudicate,
    "undo": cmd_undo,
    "inject": cmd_inject,
    "briefs": cmd_briefs,
    "debrief": cmd_debrief,
    "outlook": cmd_outlook,
    "reroll": cmd_reroll,
    "veto": cmd_veto,
    "narrate": cmd_narrate,
    "shock": cmd_shock,
}


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
    except service.MISTAKES as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into `head`: the command itself has finished its work
        sys.stderr.close()
    return 0
