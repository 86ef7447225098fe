"""`sahel COMMAND ...`: one console script for the project's commands, installed with the package.

Each command runs the module that `python -m` runs, with the rest of the command line, exactly as
`python -m MODULE ...` would (runpy; the modules are never imported here): `sahel run seed=3` is
`python -m sim seed=3`, `sahel workshop status GAME` is `python -m workshop status GAME`.
`sahel --help` lists the commands; `sahel COMMAND --help` is the command's own help; `sahel --version`.
"""

from __future__ import annotations

import runpy
import sys
from typing import NoReturn

#: Command -> (the module run as `python -m`, one line of what it does).
COMMANDS: dict[str, tuple[str, str]] = {
    "run": (
        "sim",
        "one run of a scenario, with tables, plots and a summary (Hydra overrides: seed=3 experiment=us_stays)",
    ),
    "sweep": ("sim.sweep", "a sample design x seeds into Parquet datasets, resumable (sweep=demo_lhs)"),
    "forecast": ("sim.forecast", "event probabilities within 12, 24 and 36 months of the May-2024 world"),
    "hindcast": ("sim.hindcast", "the 2020 world run forward and scored against what happened"),
    "calibrate": ("sim.calibrate", "fit incentive weights and hazards to the record, checked out of time"),
    "plausibility": ("sim.plausibility", "every experiment checked against the stylized facts"),
    "insurgency-fit": ("sim.insurgency_fit", "fit the insurgent groups' growth between two worlds"),
    "check-outputs": ("sim.check_outputs", "a run or sweep folder checked against the output contract"),
    "report": ("analysis.report", "a report of a run or an ensemble folder"),
    "export": ("analysis.export", "a run's or sweep's tables as CSV files, for spreadsheets (DIR OUT)"),
    "app": ("app", "the classroom app: a local web page (--host, --port)"),
    "workshop": ("workshop", "the facilitator's commands of a workshop game (new, status, submit, adjudicate, ...)"),
}


def usage() -> str:
    """The console script's help: its commands, one line each, and their `python -m` forms."""
    width = max(map(len, COMMANDS))
    lines = [
        "usage: sahel COMMAND [ARGS ...]  |  sahel --version",
        "",
        "Agent-based simulation of regional influence in the Sahel. Commands (each is also `python -m MODULE`):",
        "",
    ]
    lines += [f"  {name:<{width}}  {text} [python -m {module}]" for name, (module, text) in COMMANDS.items()]
    lines += [
        "",
        "`sahel COMMAND --help` shows a command's options. Configs and world files ship with the "
        "package; outputs go under the current folder.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the command named first on the command line with the rest of it; exits with its status."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["--version"]:
        from sim import __version__

        print(f"sahel-influence {__version__}")
        sys.exit(0)
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        sys.exit(0 if args else 2)
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"error: unknown command {name!r}. Commands: {', '.join(COMMANDS)} (see sahel --help).", file=sys.stderr)
        sys.exit(2)
    module = COMMANDS[name][0]
    sys.argv = [f"sahel {name}", *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
