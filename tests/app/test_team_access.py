"""The team pages and the facilitator's token at the HTTP level (app/team.py, app/gate.py,
workshop/tokens.py), on the server's own stack (AddressGuard, Gate, the team routes; a stand-in
for Solara's app behind them), called with real ASGI requests by a small client
(tests/helpers/asgi_client.py): a team reads and submits only as itself, a wrong or missing token
gets 403, '..' and absolute paths never name a game, and no token reaches a log or an error."""

from __future__ import annotations

import fcntl
import logging
import os
import stat
import threading
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from asgi_client import gated_client  # noqa: E402
from game_lock import answered, held  # noqa: E402

from app import games  # noqa: E402
from app.gate import DESK_FILE, TOKENS_ENV, desk_token  # noqa: E402
from app.server import GAMES_ROOT_ENV, RedactTokens  # noqa: E402
from app.team import SCRIPT  # noqa: E402
from workshop import service  # noqa: E402
from workshop.tokens import FACILITATOR, load_tokens, tokens_path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
USA = (REPO / "examples" / "workshop" / "usa_turn1.yaml").read_text(encoding="utf-8")
RUS = (REPO / "examples" / "workshop" / "russia_turn1.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A games root with one game (teams USA and RUS) and its opening briefs."""
    root = tmp_path_factory.mktemp("games")
    service.create_game(root / "g1", ["USA", "RUS"], turns=2)
    service.write_briefs(root / "g1", 0)
    return root


@pytest.fixture
def client(root, monkeypatch):
    monkeypatch.setenv(GAMES_ROOT_ENV, str(root))
    monkeypatch.delenv(TOKENS_ENV, raising=False)
    return gated_client()


def _tokens(root: Path):
    return load_tokens(root / "g1")


def test_tokens_are_private_unguessable_and_distinct(root):
    t = _tokens(root)
    assert stat.S_IMODE(os.stat(tokens_path(root / "g1")).st_mode) == 0o600
    every = [t.facilitator, *t.teams.values()]
    assert set(t.teams) == {"USA", "RUS"} and len(set(every)) == 3
    assert all(len(x) >= 43 for x in every)  # 32 random bytes
    assert t.role_of(t.teams["USA"]) == "USA" and t.role_of(t.facilitator) == FACILITATOR
    assert t.role_of(t.teams["USA"][:-1]) is None and t.role_of("") is None and t.role_of(None) is None
    assert t.facilitator not in (root / "g1" / "game.json").read_text(encoding="utf-8")


def test_a_team_sees_its_own_page_and_brief_only(client, root):
    t = _tokens(root)
    page = client.get("/team", params={"game": "g1", "token": t.teams["USA"]})
    assert page.status_code == 200
    assert "Team USA" in page.text and "Team RUS" not in page.text
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "same-origin"
    own = client.get("/team/brief", params={"game": "g1", "token": t.teams["USA"], "turn": 0})
    assert own.status_code == 200 and "sandbox" in own.headers["content-security-policy"]
    other = (root / "g1" / "briefs" / "turn-00" / "RUS.html").read_text(encoding="utf-8")
    assert own.text != other
    # the team is the token's, never a parameter: asking for RUS's brief with USA's token gives USA's
    asked = client.get("/team/brief", params={"game": "g1", "token": t.teams["USA"], "turn": 0, "team": "RUS"})
    assert asked.text == own.text


@pytest.mark.parametrize("route", ["/team", "/team/brief", "/team/state"])
@pytest.mark.parametrize("token", [None, "", "nope", "USA"])
def test_a_wrong_or_missing_token_gets_403(client, root, route, token):
    params = {"game": "g1", "turn": 0}
    if token is not None:
        params["token"] = token
    r = client.get(route, params=params)
    assert r.status_code == 403


def test_the_facilitator_token_opens_no_team_page(client, root):
    r = client.get("/team", params={"game": "g1", "token": _tokens(root).facilitator})
    assert r.status_code == 403


def test_a_token_of_one_game_opens_no_other_game(client, root):
    service.create_game(root / "g2", ["USA"], turns=1)
    r = client.get("/team", params={"game": "g2", "token": _tokens(root).teams["USA"]})
    assert r.status_code == 403


@pytest.mark.parametrize(
    "game", ["../g1", "g1/..", "/g1", "g1/../g1", "..", ".", "", "g1/game.json", "%2e%2e/g1", "g1\x00", "./g1"]
)
def test_path_traversal_is_refused(client, root, game):
    r = client.get("/team", params={"game": game, "token": _tokens(root).teams["USA"]})
    assert r.status_code == 403


def test_a_game_outside_the_root_is_refused_even_with_its_token(client, root, tmp_path):
    service.create_game(tmp_path / "outside", ["USA"], turns=1)
    token = load_tokens(tmp_path / "outside").teams["USA"]
    for game in (str(tmp_path / "outside"), f"../{tmp_path.name}/outside"):
        assert client.get("/team", params={"game": game, "token": token}).status_code == 403
    (root / "link").symlink_to(tmp_path / "outside")
    assert client.get("/team", params={"game": "link", "token": token}).status_code == 403


@pytest.mark.parametrize("turn", ["-1", "../../game", "1e3", "99999", ""])
def test_a_brief_is_named_by_a_turn_number_only(client, root, turn):
    r = client.get("/team/brief", params={"game": "g1", "token": _tokens(root).teams["USA"], "turn": turn})
    assert r.status_code in (400, 404)
    assert "facilitator" not in r.text.lower() or r.status_code == 400


def test_teams_submit_as_themselves_only(client, root):
    t = _tokens(root)
    usa = {"game": "g1", "token": t.teams["USA"]}
    # USA's token with RUS's file: refused, nothing stored for RUS
    r = client.post("/team", params=usa, data={"moves": RUS})
    assert r.status_code == 400 and "refused" in r.text
    game = service.Game.load(root / "g1")
    assert "RUS" not in game.pending and "USA" not in game.pending
    # a refused file: problems next to the box with their line, the text kept to fix
    bad = USA.replace("security: 10, economic: 20", "security: 99, economic: 20")
    r = client.post("/team", params=usa, data={"moves": bad})
    assert r.status_code == 400 and 'class="said bad"' in r.text and "line " in r.text
    assert "security: 99" in r.text
    # accepted, then revised before the turn is adjudicated
    r = client.post("/team", params=usa, data={"moves": USA})
    assert r.status_code == 200 and "Accepted: team USA&#x27;s moves for turn 1" in r.text
    r = client.post("/team", params=usa, data={"moves": USA.replace("economic: 35", "economic: 34")})
    assert "replacing its earlier submission" in r.text
    rus = {"game": "g1", "token": t.teams["RUS"]}
    assert client.get("/team/state", params=rus).json()["submitted"] is False
    assert client.get("/team/state", params=usa).json() == {
        "adjudicated": 0,
        "turn": 1,
        "over": False,
        "submitted": True,
        "brief": 0,
        "revised": 0,
    }
    # RUS's page does not show USA's moves
    page = client.get("/team", params=rus).text
    assert "economic: 34" not in page and "Nothing submitted for turn 1 yet" in page
    # a submission to another game with this token is refused
    assert client.post("/team", params={"game": "g2", "token": t.teams["USA"]}, data={"moves": USA}).status_code == 403


def test_a_re_rolled_turn_tells_the_team_pages_to_reload(client, root):
    """A re-roll rewrites the brief under the same turn number: the state the team pages poll
    changes (`revised`), and the page carries the value it was drawn with."""
    service.create_game(root / "g3", ["USA", "RUS"], turns=2, seed=5)
    service.adjudicate(root / "g3", turn=1, briefs=False)
    usa = {"game": "g3", "token": load_tokens(root / "g3").teams["USA"]}
    before = client.get("/team/state", params=usa).json()
    assert before["adjudicated"] == 1 and before["revised"] == 0
    assert 'data-revised="0"' in client.get("/team", params=usa).text
    service.reroll(root / "g3", turn=1, seed=6, briefs=False)
    after = client.get("/team/state", params=usa).json()
    assert after["adjudicated"] == 1 and after["revised"] == 1
    assert 'data-revised="1"' in client.get("/team", params=usa).text


def test_no_token_in_errors(client, root):
    t = _tokens(root)
    for r in (
        client.get("/team", params={"game": "g1", "token": t.teams["USA"] + "x"}),
        client.get("/team", params={"game": "nope", "token": t.teams["USA"]}),
    ):
        assert r.status_code == 403 and t.teams["USA"] not in r.text


def test_the_access_log_never_shows_a_token():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("1.2.3.4", "GET", "/team?game=g1&token=SECRET-abc_1", "1.1", 200),
        None,
    )
    RedactTokens().filter(record)
    assert "SECRET" not in record.getMessage() and "token=***" in record.getMessage()


def test_the_facilitator_page_needs_a_token_on_the_network(client, root, monkeypatch):
    assert client.get("/workshop").status_code == 200  # bound to this computer only: as before
    monkeypatch.setenv(TOKENS_ENV, "1")
    t = _tokens(root)
    assert client.get("/workshop").status_code == 403
    assert client.get("/workshop", params={"token": "nope"}).status_code == 403
    assert client.get("/workshop", params={"game": "g1", "token": t.teams["USA"]}).status_code == 403
    assert client.get("/workshop", params={"game": "../g1", "token": t.facilitator}).status_code == 403
    assert client.get("/workshop", params={"game": "g1", "token": t.facilitator}).status_code == 200
    desk = desk_token(root, create=True)
    assert stat.S_IMODE(os.stat(root / DESK_FILE).st_mode) == 0o600
    assert client.get("/workshop", params={"token": desk}).status_code == 200
    assert client.get("/", params={}).status_code == 200  # the classroom page is no game page


def test_the_team_pages_read_under_the_games_lock_and_never_hang_on_it(client, root, monkeypatch):
    """While a command changes the game (an adjudication holds its lock) the team's page, its poll, its
    form's live check answer 503 after app.games.READ_WAIT_S instead of reading a game half written or
    hanging: the poll's answer is ignored (the page keeps what it shows and asks again at its
    next poll), a page opened then loads itself again a poll later. Another reader does not hold them up,
    a short write (storing a move) is waited out, and a brief's frame (sandboxed: it could not load itself
    again) waits for the command to finish."""
    monkeypatch.setattr(games, "READ_WAIT_S", 0.2)
    usa = {"game": "g1", "token": _tokens(root).teams["USA"]}
    with held(root / "g1", fcntl.LOCK_EX):
        state = answered(client.get, "/team/state", params=usa)
        page = answered(client.get, "/team", params=usa)
        check = answered(client.post, "/team/check", params=usa, data={"via": "form"})
    assert state.status_code == 503 and state.json() == {"busy": True} and state.headers["retry-after"] == "4"
    assert "if (!r.ok) return;" in SCRIPT  # the poll ignores it
    assert page.status_code == 503 and '<meta http-equiv="refresh" content="4">' in page.text
    assert (
        "being changed right now" in page.text and "frame-ancestors 'none'" in page.headers["content-security-policy"]
    )
    assert check.status_code == 503
    with held(root / "g1", fcntl.LOCK_SH):  # python -m workshop status reading the game
        assert answered(client.get, "/team/state", params=usa).status_code == 200
        assert answered(client.get, "/team", params=usa).status_code == 200
    monkeypatch.setattr(games, "READ_WAIT_S", 30.0)
    with open(root / "g1" / ".lock", "a+") as handle:  # a move being stored: the lock is let go 0.3 s later
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        release = threading.Timer(0.3, fcntl.flock, (handle.fileno(), fcntl.LOCK_UN))
        release.start()
        assert answered(client.get, "/team/state", params=usa).json()["adjudicated"] == 0
        release.join()  # before the file is closed
    monkeypatch.setattr(games, "READ_WAIT_S", 0.2)
    with open(root / "g1" / ".lock", "a+") as handle:  # a brief's frame waits for the command, however long
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        release = threading.Timer(0.5, fcntl.flock, (handle.fileno(), fcntl.LOCK_UN))
        release.start()
        brief = answered(client.get, "/team/brief", params={**usa, "turn": "0"})
        release.join()  # before the file is closed
    assert brief.status_code == 200 and "sandbox" in brief.headers["content-security-policy"]
