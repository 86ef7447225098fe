"""A team's own page (route /team?game=GAME&token=TOKEN): plain HTML served by Starlette, no
Solara, so it works on any phone and every request is checked on its own.

The token names the team (workshop/tokens.py); the page shows only what that team's brief shows:
who it plays, the turn and its months, its briefs of every turn (its own HTML files, never another
team's), its moves of past turns and its submission for the current turn. It submits a move file
with the same checks as `python -m workshop submit`, either filled in the move form (app/moveform.py:
drop-downs, running totals, every problem at its input, the moves in words; it makes the same YAML
file) or pasted as YAML; a refused file's problems are listed right under the box, each with its
line (the box has line numbers), and the file can be revised until the facilitator adjudicates the
turn. The page looks every few seconds whether a
turn has been adjudicated, a new brief written or a turn re-rolled or vetoed by the white cell, and
reloads itself then (unless the box holds unsent changes). It reads the game under the game's shared
lock, as `python -m workshop status` does, waiting at most `app.games.READ_WAIT_S`: while a command
changes the game (an adjudication) a poll is answered 503 and the page keeps what it shows, asking again
at its next poll, a page opened then says so and loads again (`busy`), and a brief's frame waits for the
command to finish.

Access (`team_of`): the game is a folder inside the games root (app/games.py refuses '..', paths
outside it and symlinks); the token must be one of that game's team tokens, compared in constant
time. Every failure is the same 403 sentence, which names neither the token nor whether the game
exists. The token is never written to a log or shown in an error; responses are not cached and
send a Referer to this server only (a form posted under "no-referrer" would carry
Origin: null, which app/guard.py refuses).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from app import games, moveform
from workshop import service
from workshop.errors import GameBusy, Refused, WorkshopError
from workshop.game import Game
from workshop.moveform import FormCheck, check_form, form_of, values_of
from workshop.moves import Situation
from workshop.teams import Team
from workshop.tokens import FACILITATOR, load_tokens

#: The one answer to a request without a valid team token (whatever was wrong with it).
FORBIDDEN = "This link does not open a team page: ask the facilitator for your team's link."
#: The largest form the page reads: a move file, URL-encoded (each byte up to 3 characters), and its fields.
MAX_FORM_BYTES = 3 * service.MAX_MOVE_BYTES + 4096
#: How often the page asks whether a turn has been adjudicated (milliseconds).
POLL_MS = 4000
SOURCE = "the team page"
#: How a file made by the move form is named in messages and the record.
FORM_SOURCE = "the team page's form"
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff"}
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; "
    "frame-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
)
#: A brief is shown as a document of its own: no script runs in it, it can only be framed by the team page.
BRIEF_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
#: What a page shows while a command changes its game (GameBusy): it loads itself again a poll later.
BUSY_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" '
    f'content="{POLL_MS // 1000}"><title>One moment: Sahel influence workshop</title></head><body><p>The game is '
    "being changed right now (a turn adjudicated, a move stored): this page loads again in a few seconds.</p>"
    "</body></html>"
)
_brief_locks: dict[Path, threading.Lock] = {}
_locks_lock = threading.Lock()


@dataclass(frozen=True)
class Access:
    """A request's game and the team its token names."""

    game_id: str  # the game's folder relative to the games root, as in the link
    dir: Path
    team: str
    token: str


def team_of(game_id: str | None, token: str | None) -> Access | None:
    """The game and team a link names, or None (unknown or refused game, wrong token, the
    facilitator's token: a team page is for a team)."""
    if not game_id or not token or len(game_id) > games.MAX_FOLDER_CHARS or len(token) > 256:
        return None
    if not all(games.GAME_NAME.match(part) for part in game_id.split("/")):
        return None  # '..', '.', empty parts, absolute paths and odd characters never name a game
    try:
        path = games.resolve(game_id)
    except WorkshopError:
        return None
    if not games.is_game(path):
        return None
    try:
        role = load_tokens(path).role_of(token)
    except WorkshopError:
        return None
    if role is None or role == FACILITATOR:
        return None
    return Access(game_id, path, role, token)


def _link(access: Access, route: str = "/team", **extra: object) -> str:
    return f"{route}?{urlencode({'game': access.game_id, 'token': access.token, **extra})}"


def _brief_path(game: Game, turn: int, team: str) -> Path:
    return game.briefs_dir(turn) / f"{team}.html"


def ensure_opening_briefs(game: Game) -> None:
    """Write the opening briefs if no turn is adjudicated and they are missing (once per game at a
    time: five teams opening their links together write them once)."""
    if game.turns or _brief_path(game, 0, game.teams[0].name).is_file():
        return
    with _locks_lock:
        lock = _brief_locks.setdefault(game.dir, threading.Lock())
    with lock:
        if not _brief_path(game, 0, game.teams[0].name).is_file():
            service.write_briefs(game.dir, 0)


@dataclass(frozen=True)
class Said:
    """What the page says about the last submission: accepted (its report) or refused (its problems)."""

    ok: bool
    head: str
    lines: tuple[str, ...] = ()
    bad_lines: tuple[int, ...] = ()  # the lines of the file with a problem


def submit(access: Access, text: str, source: str = SOURCE) -> Said:
    """Check and store the team's move file, as `python -m workshop submit` does."""
    if not text.strip():
        return Said(False, "The box is empty: write the team's moves (the file starts with 'team:' and 'turn:').")
    try:
        checked = service.decode_move_file(text.encode("utf-8"), source)
        accepted = service.submit_text(access.dir, access.team, checked, source)
    except Refused as exc:
        lines = tuple(sorted({p.line for p in exc.problems if getattr(p, "line", 0)}))
        head = str(exc).replace(f"{source} was refused", "Your moves were refused", 1)
        return Said(False, head, tuple(str(p).removeprefix(f"{source}, ") for p in exc.problems), lines)
    except service.MISTAKES as exc:
        return Said(False, str(exc))
    except Exception as exc:  # a bug: one sentence, the details in the server's log (never the token)
        return Said(False, games.unexpected(f"Submitting the moves of team {access.team}", exc))
    out = accepted.lines()
    return Said(True, out[0], tuple(line.strip().removeprefix("- ") for line in out[1:]))


@dataclass
class FormState:
    """What the move form shows: its values, their last check, what its last submission came to and
    a list key to give one more row."""

    values: dict[str, str]
    checked: FormCheck | None = None
    said: Said | None = None
    add: str = ""


def form_post(access: Access, values: dict[str, str], do: str, add: str) -> FormState:
    """A post of the move form: add a row, check the moves, or check and submit them (the file the
    form makes goes through `submit`, the command line's checks, and is stored only if legal)."""
    game, team = _load(access, block=True)  # a post: its values are not lost to a busy answer
    if game.over:
        return FormState(
            values, said=Said(False, f"The game is over ({game.settings.turns} turns adjudicated): no more moves.")
        )
    sit = service.situation_now(game)
    checked = check_form(form_of(team, sit), values, sit, FORM_SOURCE)
    if do != "submit":
        return FormState(values, checked, add=add)
    if not checked.ok:
        n = sum(len(v) for v in checked.problems.values())
        return FormState(
            values,
            checked,
            Said(
                False,
                f"Your moves were refused ({n} problem{'s' * (n != 1)}, each "
                f"shown at its input; nothing was stored): fix them and "
                f"submit again.",
            ),
        )
    return FormState(values, checked, submit(access, checked.text, FORM_SOURCE))


def check_only(access: Access, values: dict[str, str]) -> FormCheck | None:
    """The live check of the form's values (None once the game is over)."""
    game, team = _load(access)
    if game.over:
        return None
    sit = service.situation_now(game)
    return check_form(form_of(team, sit), values, sit, FORM_SOURCE)


# ---------------------------------------------------------------- HTML

STYLE = (
    """
body { font-family: system-ui, sans-serif; font-size: 18px; line-height: 1.4; margin: 0; color: #1a1a1a; }
header { background: #243b53; color: white; padding: 10px 16px; }
header h1 { margin: 0; font-size: 24px; } header p { margin: 2px 0 0; }
main { padding: 10px 16px; max-width: 70em; }
section { margin: 14px 0; } h2 { font-size: 21px; margin: 8px 0; }
.editor { display: flex; border: 1px solid #889; border-radius: 4px; max-width: 60em; }
.gutter { margin: 0; padding: 6px 6px; background: #eef; color: #667; text-align: right; user-select: none;
  font: 15px/1.4 monospace; overflow: hidden; min-width: 2.5em; }
.gutter .bad { color: #b00020; font-weight: bold; }
textarea { flex: 1; border: 0; padding: 6px; font: 15px/1.4 monospace; resize: vertical; white-space: pre;
  overflow-wrap: normal; overflow-x: auto; }
.said { border-left: 5px solid; padding: 6px 10px; margin: 8px 0; max-width: 60em; }
.said.ok { border-color: #2e7d32; background: #edf7ee; } .said.bad { border-color: #b00020; background: #fdecee; }
.state-in { color: #2e7d32; font-weight: bold; } .state-out { color: #8a5a00; font-weight: bold; }
button { font-size: 18px; font-weight: bold; padding: 6px 16px; }
iframe { width: 100%; height: 70vh; border: 1px solid #ccd; } .note { color: #555; font-size: 16px; }
pre.moves { background: #f4f4f7; padding: 6px; font-size: 14px; overflow-x: auto; }
:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
"""
    + moveform.STYLE
)

SCRIPT = """
const box = document.getElementById('moves'), gutter = document.getElementById('gutter');
let dirty = false;
if (box) {
  const bad = new Set(JSON.parse(gutter.dataset.bad));
  const number = () => {
    const n = box.value.split('\\n').length;
    gutter.innerHTML = Array.from({length: n}, (_, i) =>
      bad.has(i + 1) ? '<span class="bad">' + (i + 1) + '</span>' : String(i + 1)).join('\\n');
    gutter.scrollTop = box.scrollTop;
  };
  box.addEventListener('input', () => { dirty = true; number(); });
  const mf = document.getElementById('moveform');
  if (mf) {
    mf.addEventListener('input', () => { dirty = true; });
    mf.addEventListener('submit', () => { dirty = false; });
  }
  box.addEventListener('scroll', () => { gutter.scrollTop = box.scrollTop; });
  document.getElementById('form').addEventListener('submit', () => { dirty = false; });
  number();
}
const seen = document.body.dataset.adjudicated, brief = document.body.dataset.brief,
  revised = document.body.dataset.revised;
setInterval(async () => {
  try {
    const r = await fetch(document.body.dataset.state, {cache: 'no-store'});
    if (!r.ok) return;
    const s = await r.json();
    if ((String(s.adjudicated) !== seen || String(s.brief) !== brief || String(s.revised) !== revised) && !dirty)
      window.location.replace(document.body.dataset.self);
  } catch (e) { /* the server is restarting: try again later */ }
}, POLL_MS);
""".replace("POLL_MS", str(POLL_MS))


def white_cell_revisions(game: Game) -> int:
    """How many times the white cell rewrote an adjudicated turn (re-rolls and vetoes): a team page
    reloads when this changes, since its brief is then rewritten under the same turn number."""
    return sum(len(r.rerolled_from) + len(r.vetoes) for r in game.turns)


def _said_html(said: Said | None, ident: str = "said") -> str:
    if said is None:
        return ""
    items = "".join(f"<li>{escape(line)}</li>" for line in said.lines)
    return (
        f'<div class="said {"ok" if said.ok else "bad"}" id="{ident}" role="status"><b>{escape(said.head)}</b>'
        + (f"<ul>{items}</ul>" if items else "")
        + "</div>"
    )


def latest_brief(game: Game, team: str) -> int:
    """The last turn with a brief of the team (-1: none yet; briefs are written after a turn is saved)."""
    return next(
        (t for t in range(len(game.turns), -1, -1) if games.safe_page(game.dir, _brief_path(game, t, team))), -1
    )


def _form_section(access: Access, game: Game, team: Team, sit: Situation, state: FormState | None) -> str:
    """The move form of the current turn: the posted values (and their check), else the stored file's."""
    form = form_of(team, sit)
    pending = game.pending.get(team.name)
    if state is None:
        stored = values_of(form, pending.text) if pending else {}
        if stored is None:
            return (
                '<p class="note">Your stored file holds something the form cannot show: revise it in the box below.</p>'
            )
        state = FormState(stored, check_form(form, stored, sit, FORM_SOURCE))
    return moveform.form_html(
        form,
        state.values,
        state.checked,
        _link(access) + "",
        _link(access, "/team/check"),
        _said_html(state.said, "said-form"),
        state.add,
    )


def page_html(
    access: Access,
    game: Game,
    team: Team,
    said: Said | None = None,
    draft: str | None = None,
    form: FormState | None = None,
    sit: Situation | None = None,
) -> str:
    """The team's page: header, this turn's move form and submission box (with `said` under it), its
    briefs and its past moves. `draft`: the text to put back in the box (a refused file, to fix);
    `form`: the move form's posted state; `sit`: the situation now (replayed if not given)."""
    world = game.world()
    s = game.settings
    pending = game.pending.get(team.name)
    if game.over:
        turn_line = f"Game over: {s.turns} turns played."
    else:
        first, last = game.steps_of(game.current_turn)
        turn_line = f"Turn {game.current_turn} of {s.turns}: {world.date_of(first)} to {world.date_of(last)}"
    parts = [
        f"<header><h1>Team {escape(team.name)}</h1><p>{escape(team.describe(world))}</p>"
        f'<p class="turn">{escape(turn_line)}</p></header><main>'
    ]
    if not game.over:
        if pending is not None:
            state = (
                f'<span class="state-in">✔ Your moves for turn {game.current_turn} are in</span> (accepted; '
                f"you can still revise them until the facilitator adjudicates the turn)."
            )
        else:
            state = (
                f'<span class="state-out">Nothing submitted for turn {game.current_turn} yet</span>: if the '
                f"facilitator adjudicates now, the scenario's policy plays for your team."
            )
        text = (
            draft if draft is not None else (pending.text if pending else games.template(team.name, game.current_turn))
        )
        bad = json.dumps(list(said.bad_lines) if said and not said.ok else [])
        sit = sit or service.situation_now(game)
        parts.append(
            f'<section><h2>Your moves for turn {game.current_turn}</h2><p id="state">{state}</p>'
            f"<h3>Fill in the form</h3>{_form_section(access, game, team, sit, form)}"
            f"<h3>Or write the move file (YAML)</h3>"
            f'<form id="form" method="post" action="{escape(_link(access))}">'
            f'<div class="editor"><pre class="gutter" id="gutter" data-bad="{escape(bad)}">1</pre>'
            f'<textarea id="moves" name="moves" rows="16" spellcheck="false" aria-label="Moves of team '
            f'{escape(team.name)}">{escape(text)}</textarea></div>'
            f'{_said_html(said)}<p><button type="submit">Submit the moves of {escape(team.name)}</button></p>'
            f'<p class="note">A move file in YAML (docs/workshop.md, "Move files"); it is checked at once and '
            f"stored only if every move is legal.</p></form></section>"
        )
    briefs = [(t, _brief_path(game, t, team.name)) for t in range(len(game.turns), -1, -1)]
    briefs = [(t, p) for t, p in briefs if games.safe_page(game.dir, p)]
    parts.append("<section><h2>Your briefs</h2>")
    if briefs:
        parts.append(
            "<p>"
            + " · ".join(
                f'<a href="{escape(_link(access, "/team/brief", turn=t))}" target="_blank" rel="noreferrer">'
                f"{'Opening brief' if t == 0 else f'Brief of turn {t}'}</a>"
                for t, _ in briefs
            )
            + "</p>"
        )
        t = briefs[0][0]
        parts.append(
            f'<iframe id="brief" title="Your latest brief" sandbox '
            f'src="{escape(_link(access, "/team/brief", turn=t))}"></iframe>'
        )
    else:
        parts.append('<p class="note">No brief yet: the facilitator writes them.</p>')
    parts.append("</section>")
    past = [(r.turn, r.moves[team.name]) for r in game.turns if team.name in r.moves]
    if past:
        parts.append(
            "<section><h2>Your moves of past turns</h2>"
            + "".join(
                f'<details><summary>Turn {t}</summary><pre class="moves">{escape(sub.text)}</pre></details>'
                for t, sub in past
            )
            + "</section>"
        )
    parts.append("</main>")
    head = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        f'content="width=device-width, initial-scale=1"><meta name="referrer" content="same-origin">'
        f"<title>Team {escape(team.name)}: Sahel influence workshop</title><style>{STYLE}</style></head>"
        f'<body data-adjudicated="{len(game.turns)}" data-brief="{latest_brief(game, team.name)}" '
        f'data-revised="{white_cell_revisions(game)}" '
        f'data-state="{escape(_link(access, "/team/state"))}" '
        f'data-self="{escape(_link(access))}">'
    )
    script = f"<script>{SCRIPT}</script><script>{moveform.SCRIPT}</script>"
    return head + "".join(parts) + script + "</body></html>"


# ---------------------------------------------------------------- HTTP endpoints (Starlette)


def _forbidden():
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(FORBIDDEN + "\n", status_code=403, headers=HEADERS)


def _html(text: str, status: int = 200):
    from starlette.responses import HTMLResponse

    return HTMLResponse(text, status_code=status, headers={**HEADERS, "Content-Security-Policy": PAGE_CSP})


def _load(access: Access, block: bool = False) -> tuple[Game, Team]:
    """The game, read under its shared lock (GameBusy if a command holds it too long, unless `block`),
    and the access's team."""
    game = games.load_game(access.dir, block)
    return game, next(t for t in game.teams if t.name == access.team)


def busy(kind: str = "page"):
    """The answer while a command changes the game (GameBusy), status 503: a page that loads itself again
    a poll later ("page"), or to a page's poll or live check ("json") an answer it ignores, keeping what
    it shows and asking again at its next poll. (Frames wait instead: see team_brief.)"""
    from starlette.responses import HTMLResponse, JSONResponse

    headers = {**HEADERS, "Retry-After": str(POLL_MS // 1000)}
    if kind == "json":
        return JSONResponse({"busy": True}, status_code=503, headers=headers)
    return HTMLResponse(BUSY_PAGE, status_code=503, headers={**headers, "Content-Security-Policy": PAGE_CSP})


def _problem(access: Access, what: str, exc: Exception):
    from starlette.responses import PlainTextResponse

    text = str(exc) if isinstance(exc, service.MISTAKES) else games.unexpected(what, exc)
    return PlainTextResponse(text + "\n", status_code=500, headers=HEADERS)


async def team_page(request):
    """GET /team: the page; POST /team: submit the box's moves, then the page with the verdict."""
    from starlette.concurrency import run_in_threadpool

    access = team_of(request.query_params.get("game"), request.query_params.get("token"))
    if access is None:
        return _forbidden()
    said, draft, status = None, None, 200
    form: FormState | None = None
    if request.method == "POST":
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FORM_BYTES:
                return _html(f"<p>{escape(FORM_TOO_LARGE)}</p>", 413)
        fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        if (fields.get("via") or [""])[0] == "form":
            try:
                form = await run_in_threadpool(
                    form_post,
                    access,
                    moveform.form_values(fields),
                    (fields.get("do") or [""])[0],
                    (fields.get("add") or [""])[0],
                )
            except Exception as exc:
                return _problem(access, f"Checking the form of team {access.team}", exc)
            status = 400 if form.said is not None and not form.said.ok else 200
        else:
            text = (fields.get("moves") or [""])[0].replace("\r\n", "\n")
            said = await run_in_threadpool(submit, access, text)
            draft, status = (None, 200) if said.ok else (text, 400)

    def render() -> str:
        game, team = _load(access, block=request.method == "POST")  # after a post: its verdict is worth the wait
        ensure_opening_briefs(game)  # outside the shared lock: writing them takes the game's lock itself
        return page_html(access, game, team, said, draft, form)

    try:
        return _html(await run_in_threadpool(render), status)
    except GameBusy:
        return busy("page")
    except Exception as exc:
        return _problem(access, f"Showing the page of team {access.team}", exc)


FORM_TOO_LARGE = (
    f"The moves sent are larger than a move file may be ({service.MAX_MOVE_BYTES:,} bytes): paste "
    f"only the team's move file. Nothing was stored."
)


async def team_brief(request):
    """GET /team/brief?turn=N: the team's own brief of turn N (0: the opening), as a sandboxed page."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse, PlainTextResponse

    access = team_of(request.query_params.get("game"), request.query_params.get("token"))
    if access is None:
        return _forbidden()
    turn_text = request.query_params.get("turn", "")
    if not turn_text.isdigit() or len(turn_text) > 4:
        return PlainTextResponse(
            "turn must be a turn number (0 for the opening brief).\n", status_code=400, headers=HEADERS
        )

    def read() -> str:
        # not while a turn's briefs are being written; a frame waits for the command as long as it takes: it
        # is loaded just after its page was read, and a sandboxed frame cannot load itself again (Chromium
        # ignores a refresh there), so a busy answer would stay until the page reloads
        with games.reading(access.dir, block=True):
            game = Game.load(access.dir)
            return games.read_page(game.dir, _brief_path(game, int(turn_text), access.team))

    try:
        text = await run_in_threadpool(read)
    except Exception as exc:
        return _problem(access, f"Reading a brief of team {access.team}", exc)
    if not text:
        return PlainTextResponse(
            f"No brief of turn {int(turn_text)} for team {access.team}.\n", status_code=404, headers=HEADERS
        )
    return HTMLResponse(text, headers={**HEADERS, "Content-Security-Policy": BRIEF_CSP})


async def team_state(request):
    """GET /team/state: how many turns are adjudicated and whether the team's moves are in (JSON)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    access = team_of(request.query_params.get("game"), request.query_params.get("token"))
    if access is None:
        return _forbidden()
    try:
        game = await run_in_threadpool(games.load_game, access.dir)
    except GameBusy:
        return busy("json")
    except Exception as exc:
        return _problem(access, "Reading the game", exc)
    return JSONResponse(
        {
            "adjudicated": len(game.turns),
            "turn": game.current_turn,
            "over": game.over,
            "submitted": access.team in game.pending,
            "brief": latest_brief(game, access.team),
            "revised": white_cell_revisions(game),
        },
        headers=HEADERS,
    )


async def team_check(request):
    """POST /team/check: the move form's values checked as a file (JSON: problems and warnings by
    input, the moves in words, the totals, the file); nothing is stored."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse, PlainTextResponse

    access = team_of(request.query_params.get("game"), request.query_params.get("token"))
    if access is None:
        return _forbidden()
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return PlainTextResponse(FORM_TOO_LARGE + "\n", status_code=413, headers=HEADERS)
    values = moveform.form_values(parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
    try:
        checked = await run_in_threadpool(check_only, access, values)
    except GameBusy:
        return busy("json")
    except Exception as exc:
        return _problem(access, f"Checking the form of team {access.team}", exc)
    if checked is None:
        return PlainTextResponse("The game is over: no more moves.\n", status_code=409, headers=HEADERS)
    return JSONResponse(checked.to_json(), headers=HEADERS)


def team_routes() -> list:
    """The team page's Starlette routes."""
    from starlette.routing import Route

    return [
        Route("/team", team_page, methods=["GET", "POST"]),
        Route("/team/brief", team_brief, methods=["GET"]),
        Route("/team/state", team_state, methods=["GET"]),
        Route("/team/check", team_check, methods=["POST"]),
    ]
