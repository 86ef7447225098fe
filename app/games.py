"""The facilitator page's view of workshop games, in plain Python (no Solara): the games in a folder,
where a game stands (read from its record and replayed, as `python -m workshop status` does), the
pages it has produced, and the page's actions.

Every action calls the workshop's service (workshop/service.py), the functions behind the command
line, so the page and the command line check, store and replay games in the same way. Each returns
an `Outcome`, built from the service's typed result (its `lines()`, the command line's wording) or
from its mistake (one paragraph, and the problems of a refused move file).

Every folder the page touches lies inside one games root (`--games-root`, GAMES_ROOT_ENV): a folder
typed on the page is read relative to it, and '..', a path outside it or a symlink leading out of it
is refused; a game is a folder holding a game.json (not a symlink), and the page creates a game only
in a new folder, so nothing is ever written into a folder that is not a game. The pages a game has
produced are read only if they are regular files inside the game's folder (no symlink).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from app.catalog import NO_EXPERIMENT
from app.server import DEFAULT_GAMES_ROOT, GAMES_ROOT_ENV
from app.session import EventLine, event_line
from sim.core.vocabulary import event_label
from workshop import service
from workshop.errors import Refused, WorkshopError
from workshop.game import GAME_FILE, Game, Inject, locked
from workshop.service import MISTAKES

DEFAULT_FOLDER = ""  # the folder field's default: the games root itself
PASTED = "pasted text"  # how a pasted move file is named in messages and in the record
GAME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: The longest folder the page accepts (longer than any real path; a paste of a whole file is refused).
MAX_FOLDER_CHARS = 1024
#: The largest produced page (a brief or the debrief) the viewer reads: a bound on memory, well above
#: any page the workshop writes.
MAX_PAGE_BYTES = 32 * 1024 * 1024
#: How long a team's or the projector's page waits for a command that is changing its game before it answers
#: that the game is busy (seconds). Storing a move holds the game's lock while it checks the move (0.4 s at
#: turn 1 on the 2-core machine under load, more in later turns); an adjudication holds it for seconds to
#: minutes (3 to 5 s for a turn of the worked example). So another team's submission never makes a page
#: fail, an adjudication never makes one hang, and a page's poll (every POLL_MS, app/team.py) is answered
#: before the next one is sent.
READ_WAIT_S = 2.0
log = logging.getLogger(__name__)


@contextmanager
def reading(directory: Path, block: bool = False) -> Iterator[None]:
    """Hold the game's shared lock while a page reads its record and the pages it produced, as
    `python -m workshop status` does: never in the middle of a command that changes the game (a turn
    half written). GameBusy once READ_WAIT_S pass, unless `block` (after a team's own post, whose
    submission waited for the lock too: its answer is worth the wait)."""
    with locked(Path(directory), shared=True, wait=None if block else READ_WAIT_S):
        yield


def load_game(directory: Path, block: bool = False) -> Game:
    """A game's record (game.json), read under its shared lock (`reading`)."""
    with reading(directory, block):
        return Game.load(directory)


def games_root() -> Path:
    """The folder that holds every game the page may open or create (resolved: no symlink in it)."""
    return Path(os.environ.get(GAMES_ROOT_ENV) or DEFAULT_GAMES_ROOT).expanduser().resolve()


def _inside(path: Path, root: Path) -> bool:
    """Whether path, with every symlink followed, is root or lies below it."""
    return path.resolve().is_relative_to(root)


def resolve(folder: str) -> Path:
    """A folder typed on the page: relative to the games root (or an absolute path inside it).
    Raises WorkshopError for '..', a path outside the root or one a symlink leads out of it."""
    root, text = games_root(), folder.strip()
    if len(text) > MAX_FOLDER_CHARS or "\0" in text:
        raise WorkshopError(
            f"That is not a folder name (more than {MAX_FOLDER_CHARS} characters, or a NUL "
            f"character). Type a folder inside {root}, or leave the field empty for {root} itself."
        )
    typed = Path(text or ".")
    if ".." in typed.parts:
        raise WorkshopError(
            f"The folder {text!r} contains '..': the games are inside {root} only. Type a folder "
            f"inside it (relative to it), or leave the field empty for {root} itself."
        )
    path = typed if typed.is_absolute() else root / typed
    if not _inside(path, root):
        how = "a symlink in it leads" if path.absolute().is_relative_to(root) else "it is"
        raise WorkshopError(
            f"The folder {text!r} is outside the games root {root} ({how} out of it): the page "
            f"opens and creates games inside {root} only. Start the app with --games-root FOLDER "
            f"to use another root."
        )
    return path.resolve()


def is_game(path: Path) -> bool:
    """Whether path is a game inside the games root: a folder (no symlink leading out) holding a
    game.json that is a regular file, not a symlink."""
    record = path / GAME_FILE
    return (
        path.is_dir()
        and _inside(path, games_root())
        and record.is_file()
        and not record.is_symlink()
        and not (path / ".lock").is_symlink()
    )


def list_games(folder: str) -> list[str]:
    """The games in a folder inside the games root: the names of its sub-folders that are games (the
    folder's own name if it is itself a game). Raises WorkshopError if the folder is refused or does
    not exist."""
    path = resolve(folder)
    if not path.is_dir():
        raise WorkshopError(
            f"There is no folder {path} yet. Type the folder that holds the games (inside the "
            f"games root {games_root()}), or create a new game: its folder is made then."
        )
    if is_game(path):
        return [path.name]
    return sorted(p.name for p in path.iterdir() if is_game(p))


def game_path(folder: str, name: str) -> Path:
    """The folder of the game `name` among the games of `folder` (or `folder` itself if it is a game).
    Raises WorkshopError if that is not a game inside the games root."""
    path = resolve(folder)
    if is_game(path) and path.name == name:
        return path
    if not GAME_NAME.match(name) or not is_game(path / name):
        raise WorkshopError(f"There is no game {name!r} in {path}: pick one of the games listed.")
    return path / name


def split_teams(text: str) -> list[str]:
    """The teams of the new-game form as `--team` specs. Teams are separated by a comma and a space, a
    semicolon or a new line; a government team lists its states with commas and no spaces:
    'USA, RUS, AES=MLI,BFA,NER, ECOWAS' -> ['USA', 'RUS', 'AES=MLI,BFA,NER', 'ECOWAS']."""
    specs: list[str] = []
    for chunk in re.split(r"[;\n]|,\s+", text):
        chunk = chunk.strip().strip(",").strip()
        if not chunk:
            continue
        if "=" in chunk:  # 'USA,AES=MLI,BFA': the names before the government team are teams of their own
            head, _, tail = chunk.partition("=")
            *others, name = head.split(",")
            specs += [o.strip() for o in others if o.strip()]
            specs.append(f"{name.strip()}={','.join(s.strip() for s in tail.split(',') if s.strip())}")
        else:
            specs += [t.strip() for t in chunk.split(",") if t.strip()]
    return specs


# ---------------------------------------------------------------- where a game stands


@dataclass(frozen=True)
class TeamRow:
    """A team as the status table shows it."""

    name: str
    description: str  # e.g. 'AES (government of Mali, Burkina Faso, Niger)'
    kind: str
    submitted: bool
    source: str  # where its pending moves came from ('' if none)


@dataclass(frozen=True)
class PageFile:
    """An HTML page the game has produced (a brief or the debrief)."""

    label: str  # e.g. 'USA', 'facilitator', 'debrief'
    path: Path
    written: str  # when, e.g. '14:32'


@dataclass
class GameView:
    """Everything the facilitator page shows about one game."""

    dir: Path
    scenario: str
    experiment: str
    seed: int
    turns: int
    turn_months: int
    teams_decide: bool
    adjudicated: int
    over: bool
    turn: int  # the turn whose moves are being collected (turns + 1 once over)
    months: str  # its months, e.g. '2024-09 to 2024-11' ('' once over)
    world_month: str  # the month the world stands at
    fingerprint: str
    teams: list[TeamRow]
    injects: list[Inject]
    last_turn: int  # the last adjudicated turn (0: none)
    last_months: str
    last_events: list[EventLine]  # its events, incidents left out
    incidents: int  # how many incidents between foreign forces it had
    states: list[tuple[str, str]]  # (code, name) of the scenario's states, for the inject form
    powers: list[tuple[str, str]]
    blocs: list[tuple[str, str]]
    briefs: dict[int, list[PageFile]] = field(default_factory=dict)  # turn -> its briefs (0: the opening)
    debrief: PageFile | None = None

    @property
    def submitted(self) -> list[str]:
        return [t.name for t in self.teams if t.submitted]

    @property
    def missing(self) -> list[str]:
        return [t.name for t in self.teams if not t.submitted]


def _written(path: Path) -> str:
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime)
    return stamp.strftime("%H:%M" if stamp.date() == dt.date.today() else "%Y-%m-%d %H:%M")


def safe_page(game_dir: Path, path: Path) -> bool:
    """Whether path is a page the viewer may show: a regular file (not a symlink) inside the game's
    folder, with no symlink on the way."""
    return (
        path.is_file()
        and not path.is_symlink()
        and path.resolve().is_relative_to(game_dir.resolve())
        and path.resolve() == path.absolute()
    )


def read_page(game_dir: Path | str, path: Path | str) -> str:
    """The text of a page the game produced. Raises WorkshopError for a symlink, a file outside the
    game's folder, a file too large, or one that is not UTF-8 (a page the game did not write)."""
    game_dir, path = Path(game_dir), Path(path)
    if not path.exists() and not path.is_symlink():
        return ""
    if not safe_page(game_dir, path):
        raise WorkshopError(
            f"{path.name} is not shown: only the pages written in the game's folder are (this one "
            f"is a symlink, or lies outside {game_dir})."
        )
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        data = handle.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise WorkshopError(
            f"{path.name} is larger than {MAX_PAGE_BYTES} bytes: not a page the game wrote. "
            f"Open it from {path.parent} with a browser."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkshopError(f"{path.name} is not UTF-8 text: not a page the game wrote.") from None


def _pages(game: Game) -> tuple[dict[int, list[PageFile]], PageFile | None]:
    briefs: dict[int, list[PageFile]] = {}
    order = {name: i for i, name in enumerate(game.team_names())}
    for turn in range(len(game.turns) + 1):
        folder = game.briefs_dir(turn)
        files = [p for p in folder.glob("*.html") if safe_page(game.dir, p)] if folder.is_dir() else []
        files.sort(key=lambda p: (order.get(p.stem, len(order)), p.stem))
        if files:
            briefs[turn] = [PageFile(p.stem, p, _written(p)) for p in files]
    debrief = game.dir / "debrief.html"
    return briefs, (PageFile("debrief", debrief, _written(debrief)) if safe_page(game.dir, debrief) else None)


def read_game(directory: Path | str) -> GameView:
    """Load a game and replay its record (as `status` does). Raises WorkshopError, ConfigError or
    WorldError with a message for the page."""
    from workshop.adjudicate import replay

    game = Game.load(directory)
    rp = replay(game)
    world, s = rp.simulation.world, game.settings
    months = ""
    if not game.over:
        first, last = game.steps_of(game.current_turn)
        months = f"{world.date_of(first)} to {world.date_of(last)}"
    last_turn, last_months, lines, incidents = len(game.turns), "", [], 0
    if rp.results:
        result = rp.results[-1]
        last_months = f"{world.date_of(result.first_step)} to {world.date_of(result.last_step)}"
        incidents = sum(e.type == "incident" for e in result.events)
        lines = [event_line(world, e) for e in result.events if e.type != "incident"]
    briefs, debrief = _pages(game)
    return GameView(
        dir=game.dir,
        scenario=s.scenario,
        experiment=s.experiment,
        seed=s.seed,
        turns=s.turns,
        turn_months=s.turn_months,
        teams_decide=game.teams_decide,
        adjudicated=len(game.turns),
        over=game.over,
        turn=game.current_turn,
        months=months,
        world_month=world.date_of(rp.simulation.step_no),
        fingerprint=rp.simulation.fingerprint(),
        teams=[
            TeamRow(
                t.name,
                t.describe(world),
                t.kind,
                t.name in game.pending,
                game.pending[t.name].file if t.name in game.pending else "",
            )
            for t in game.teams
        ],
        injects=list(game.injects),
        last_turn=last_turn,
        last_months=last_months,
        last_events=lines,
        incidents=incidents,
        states=list(zip(world.states, world.state_names, strict=True)),
        powers=list(zip(world.powers, world.power_names, strict=True)),
        blocs=list(zip(world.blocs, world.bloc_names, strict=True)),
        briefs=briefs,
        debrief=debrief,
    )


def unexpected(what: str, exc: Exception) -> str:
    """Log an unexpected error with its traceback (on the server) and say it in one sentence for the
    page: no traceback, no server path."""
    log.error("%s failed", what, exc_info=exc)
    return (
        f"{what} failed unexpectedly ({type(exc).__name__}). The server's log has the details; the game "
        f"folder holds what was saved before."
    )


def try_read_game(directory: Path | str) -> tuple[GameView | None, str]:
    """(the game, '') or (None, the reason it cannot be read, in one paragraph): a mistake's own
    message, or one sentence for an unexpected error (logged with its traceback)."""
    try:
        if not is_game(Path(directory)):
            return None, f"{directory} is not a game inside the games root {games_root()}."
        return read_game(directory), ""
    except MISTAKES as exc:
        return None, str(exc)
    except Exception as exc:  # a record the checks let through, or a bug: never a traceback on the page
        return None, unexpected(f"Reading the game in {Path(directory).name}", exc)


def pending_text(directory: Path | str, team: str) -> str:
    """The text of a team's pending move file ('' if none)."""
    sub = Game.load(directory).pending.get(team)
    return sub.text if sub else ""


def template(team: str, turn: int) -> str:
    """The first lines of every move file."""
    return f"team: {team}\nturn: {turn}\n"


# ---------------------------------------------------------------- actions (each an Outcome)


class Result(Protocol):
    """A result of the workshop's service: its report in words, one line each."""

    def lines(self) -> list[str]: ...


@dataclass(frozen=True)
class Outcome:
    """What an action came to, as the report at the top of the page shows it: a head line and detail
    lines, or a mistake (its paragraph, one line per problem of a refused move file, then what the
    action reported before it, if anything)."""

    ok: bool
    head: str
    details: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @staticmethod
    def done(result: Result) -> Outcome:
        lines = result.lines()
        return Outcome(True, lines[0] if lines else "Done.", _details(lines[1:]))

    @staticmethod
    def mistake(exc: Exception, report: Sequence[str] = ()) -> Outcome:
        problems = tuple(str(p) for p in exc.problems) if isinstance(exc, Refused) else ()
        return Outcome(False, str(exc), _details(report), problems)


def _details(lines: Sequence[str]) -> tuple[str, ...]:
    """A report's lines as list items: without the command line's indentation and dashes."""
    return tuple(line.strip().removeprefix("- ") for line in lines if line.strip())


def _run(action: Callable[[], Result]) -> Outcome:
    """Run a service action: its result, or its mistake, as the page shows it."""
    try:
        return Outcome.done(action())
    except MISTAKES as exc:
        return Outcome.mistake(exc)


def new_game(
    folder: str,
    name: str,
    scenario: str,
    experiment: str,
    teams: str,
    turns: int,
    turn_months: int,
    seed: int,
    teams_decide: bool = False,
) -> tuple[Outcome, Path | None]:
    """Create a game in folder/name (`python -m workshop new`); returns its outcome and folder."""
    name = name.strip()
    if not GAME_NAME.match(name):
        return Outcome(
            False,
            f"The new game needs a folder name of letters, digits, '.', '-' or '_' (for example "
            f"workshop-{dt.date.today():%Y-%m-%d}); {name!r} was given.",
        ), None
    specs = split_teams(teams)
    if not specs:
        return Outcome(
            False, "Give the teams, separated by a comma and a space, e.g. USA, RUS, AES=MLI,BFA,NER, ECOWAS."
        ), None
    try:
        directory = resolve(folder) / name
    except WorkshopError as exc:
        return Outcome.mistake(exc), None
    if (directory / GAME_FILE).exists():
        return Outcome(
            False,
            f"{directory} already holds a game ({GAME_FILE}): choose another name, or open that "
            f"game in the list above.",
        ), None
    if directory.exists() or directory.is_symlink():
        return Outcome(
            False,
            f"There is already a folder {directory} and it is not a game: a new game needs a new "
            f"folder. Choose another name (nothing was written into that folder).",
        ), None
    overlay = experiment if experiment and experiment != NO_EXPERIMENT else ""
    out = _run(lambda: service.create_game(directory, specs, turns, turn_months, seed, scenario, overlay, teams_decide))
    return out, (directory if out.ok else None)


def submit(directory: Path | str, team: str, text: str, source: str = PASTED) -> Outcome:
    """Check and store a team's moves for the current turn (`submit`); a refused file is not stored."""
    if len(text) > service.MAX_MOVE_BYTES:  # before encoding or parsing anything
        return Outcome(
            False,
            f"The moves of team {team} are {len(text):,} characters long: a move file is a short "
            f"YAML text of at most {service.MAX_MOVE_BYTES:,} bytes. Paste only the team's move "
            f"file; nothing was stored.",
        )
    if not text.strip():
        return Outcome(
            False,
            f"The moves of team {team} are empty: paste the team's move file (it starts with "
            f"'team: {team}' and 'turn: N'), or drop the file on the page.",
        )
    try:
        checked = service.decode_move_file(text.encode("utf-8"), source)
    except WorkshopError as exc:
        return Outcome.mistake(exc)
    return _run(lambda: service.submit_text(directory, team, checked, source))


def read_upload(name: str, data: bytes, size: int = 0) -> tuple[str, str]:
    """(the text, '') of an uploaded move file, or ('', why it cannot be used); `size` is the file's
    size as the browser announced it, checked before anything is read or decoded."""
    if size > service.MAX_MOVE_BYTES:
        return "", (
            f"The move file {name} is {size:,} bytes: a move file is a short YAML text (at most "
            f"{service.MAX_MOVE_BYTES:,} bytes). Nothing was read."
        )
    try:
        return service.decode_move_file(data, name), ""
    except WorkshopError as exc:
        return "", str(exc)


def check(directory: Path | str) -> Outcome:
    """Check the stored moves again (`check`): illegal ones make a mistake, shown with every team's verdict."""
    try:
        result = service.check(directory)
    except MISTAKES as exc:
        return Outcome.mistake(exc)
    refusal = result.refusal()
    return Outcome.done(result) if refusal is None else Outcome.mistake(refusal, result.lines())


def outlook(directory: Path | str, turn: int | None = None, runs: int | None = None) -> Outcome:
    """The range of outcomes of a turn (`outlook`): the current turn's with the moves submitted so far,
    or an adjudicated turn's with where the game's draw fell."""
    return _run(lambda: service.outlook(directory, turn, runs))


def adjudicate(directory: Path | str, turn: int) -> Outcome:
    """Play turn `turn` and write its briefs (`adjudicate --turn N`: safe to repeat)."""
    return _run(lambda: service.adjudicate(directory, turn))


def undo(directory: Path | str, turn: int) -> Outcome:
    """Drop turn `turn` if it is the last adjudicated one (`undo --turn N`)."""
    return _run(lambda: service.undo(directory, turn))


def schedule_inject(
    directory: Path | str,
    turn: int,
    type_: str,
    state: str,
    power: str = "",
    bloc: str = "",
    troops: float = 0.0,
    note: str = "",
) -> Outcome:
    return _run(lambda: service.schedule_inject(directory, turn, type_, state, power, bloc, troops, note))


def cancel_inject(directory: Path | str, inject: Inject) -> Outcome:
    return _run(lambda: service.cancel_injects(directory, inject.turn, inject.type, inject.state))


def build_briefs(directory: Path | str, turn: int) -> Outcome:
    return _run(lambda: service.write_briefs(directory, turn))


def build_debrief(directory: Path | str, runs: int, what_if: Sequence[str] = ()) -> Outcome:
    return _run(lambda: service.write_debrief(directory, runs, what_if))


# ---------------------------------------------------------------- join links


@dataclass(frozen=True)
class JoinLink:
    """A link to a game's page: a team's (with its QR code as SVG, '' without segno) or the facilitator's."""

    who: str  # a team's name, 'facilitator' or 'projector'
    url: str
    qr_svg: str = ""


def base_url() -> str:
    """The server's address as other computers reach it: the address it listens on (this computer's
    address on the network when it listens on every interface) and its port."""
    from app.guard import ANY_ADDRESS, machine_names

    host, port = os.environ.get("SERVER_NAME", "127.0.0.1"), os.environ.get("SERVER_PORT", "8765")
    if host.strip() in ANY_ADDRESS:
        network = sorted(n for n in machine_names() if n.count(".") == 3 and not n.startswith("127."))
        host = network[0] if network else socket.gethostname()
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def qr_svg(url: str) -> str:
    """A QR code of `url` as inline SVG (segno), or '' if segno is not installed."""
    try:
        import segno
    except ImportError:
        return ""
    return segno.make(url, error="m").svg_inline(scale=3, dark="#000", light="#fff")


def game_id(directory: Path | str) -> str:
    """How a link names a game: its folder relative to the games root."""
    return Path(directory).resolve().relative_to(games_root()).as_posix()


def join_links(directory: Path | str) -> list[JoinLink]:
    """Each team's join link (with its QR code) and the facilitator's, on this server; the game's
    tokens are made now if it has none (a game created before them)."""
    from workshop.tokens import team_link

    links = service.links(directory, base_url())
    name = game_id(directory)
    out = [
        JoinLink(t, team_link(links.base, name, tok), qr_svg(team_link(links.base, name, tok)))
        for t, tok in links.tokens.teams.items()
    ]
    from workshop.tokens import FACILITATOR, PROJECTOR, facilitator_link, projector_link

    return [
        *out,
        JoinLink(FACILITATOR, facilitator_link(links.base, name, links.tokens.facilitator)),
        JoinLink(PROJECTOR, projector_link(links.base, name, links.tokens.projector)),
    ]


def record_stamp(directory: Path | str) -> float:
    """When game.json last changed (0.0 if it cannot be read): the page looks again when it changes."""
    try:
        return (Path(directory) / GAME_FILE).stat().st_mtime_ns / 1e9
    except OSError:
        return 0.0


def describe_inject(inj: Inject, states: dict[str, str]) -> str:
    """E.g. 'turn 2: coup in Chad (TCD): Officers seize power'."""
    who = f" ({inj.power or inj.bloc})" if inj.power or inj.bloc else ""
    troops = f", {inj.troops:g} troops" if inj.troops else ""
    note = f": {inj.note}" if inj.note else ""
    return (
        f"turn {inj.turn}: {event_label(inj.type)} in {states.get(inj.state, inj.state)} "
        f"({inj.state}){who}{troops}{note}"
    )
