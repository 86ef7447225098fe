"""The projector's page at the HTTP level (app/projector.py, app/gate.py, workshop/tokens.py): it
opens with the game's projector link (or the facilitator's), shows the public view of the last turn
and no team's notes, moves or objectives and nothing of the facilitator's brief; a team's token does
not open it, and the projector's token opens no other page."""

from __future__ import annotations

import fcntl
import threading
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from asgi_client import gated_client  # noqa: E402
from game_lock import answered, held  # noqa: E402

from app import games  # noqa: E402
from app.gate import TOKENS_ENV  # noqa: E402
from app.projector import SCRIPT  # noqa: E402
from app.server import GAMES_ROOT_ENV  # noqa: E402
from workshop import service  # noqa: E402
from workshop.game import Game  # noqa: E402
from workshop.tokens import load_tokens  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
NOTE = "Keep a foothold in Chad while Niger slips away"  # the note of the worked example's USA file
USA = (REPO / "examples" / "workshop" / "usa_turn1.yaml").read_text(encoding="utf-8")
ROUTES = ["/projector", "/projector/view", "/projector/state"]


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A games root with one game (USA with a note, RUS), its turn 1 adjudicated with its briefs."""
    root = tmp_path_factory.mktemp("games")
    service.create_game(root / "g1", ["USA", "RUS"], turns=2, seed=0)
    service.submit_text(root / "g1", "USA", USA, "usa.yaml")
    service.adjudicate(root / "g1", 1)
    return root


@pytest.fixture
def client(root, monkeypatch):
    monkeypatch.setenv(GAMES_ROOT_ENV, str(root))
    monkeypatch.setenv(TOKENS_ENV, "1")  # served on the network: every game page needs its token
    return gated_client()


def test_the_projector_shows_public_information_only(client, root):
    t = load_tokens(root / "g1")
    params = {"game": "g1", "token": t.projector}
    page = client.get("/projector", params=params)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "Turn 1 was adjudicated. Now collecting moves for turn 2 of 2" in page.text
    view = client.get("/projector/view", params=params)
    assert view.status_code == 200 and "sandbox" in view.headers["content-security-policy"]
    text = view.text
    for public in ("The region", "Influence", "Forces and bases", "Public events this turn", "deploys 50 troops"):
        assert public in text, public
    # what the facilitator's brief holds, and the team's own brief, is not on the projector
    fac = (root / "g1" / "briefs" / "turn-01" / "facilitator.html").read_text(encoding="utf-8")
    usa = (root / "g1" / "briefs" / "turn-01" / "USA.html").read_text(encoding="utf-8")
    assert NOTE in fac and "Objectives and scores" in fac and "Allocate per month" in fac  # the check can fail
    game = Game.load(root / "g1")
    secrets = [
        NOTE,
        "Objectives",
        "objective",
        "Allocate per month",
        "Regime protection stance",
        "Moves and injects",
        "Facilitator brief",
        "Your moves",
        "usa.yaml",
        *(o.describe("power") for o in game.objectives["USA"]),
    ]
    for secret in secrets:
        assert secret not in text and secret not in page.text, secret
    assert "objectives" in usa.lower() and text != usa
    state = client.get("/projector/state", params=params).json()
    assert state["stamp"].startswith("1:") and "0 of 2 teams are in" in state["clock"]


def test_the_projector_page_is_written_when_missing(client, root):
    path = root / "g1" / "briefs" / "turn-01" / "projector.html"
    kept = path.read_text(encoding="utf-8")
    path.unlink()  # as after 'adjudicate --no-briefs'
    view = client.get("/projector/view", params={"game": "g1", "token": load_tokens(root / "g1").projector})
    assert view.status_code == 200 and path.read_text(encoding="utf-8") == kept == view.text


@pytest.mark.parametrize("route", ROUTES)
def test_a_team_token_or_a_wrong_one_does_not_open_it(client, root, route):
    t = load_tokens(root / "g1")
    for token in (t.teams["USA"], t.teams["RUS"], t.projector[:-1], "", "nope"):
        r = client.get(route, params={"game": "g1", "token": token})
        assert r.status_code == 403 and "projector" in r.text
        assert t.projector not in r.text
    for game in ("../g1", "g1/..", "/g1", ".."):
        assert client.get(route, params={"game": game, "token": t.projector}).status_code == 403
    assert client.get(route, params={"game": "g1", "token": t.facilitator}).status_code == 200


def test_the_projector_token_opens_nothing_else(client, root):
    t = load_tokens(root / "g1")
    p = {"game": "g1", "token": t.projector}
    for route in ("/team", "/team/brief", "/team/state", "/workshop"):
        assert client.get(route, params={**p, "turn": 1}).status_code == 403, route
    assert client.post("/team", params=p, data={"moves": USA}).status_code == 403
    assert "USA" not in Game.load(root / "g1").pending
    assert load_tokens(root / "g1").role_of(t.projector) is None  # no role: neither a team nor the facilitator
    # a team's token does not open the facilitator's page either
    assert client.get("/workshop", params={"game": "g1", "token": t.teams["USA"]}).status_code == 403


def test_the_link_is_printed_and_old_tokens_files_get_one(root, tmp_path):
    lines = service.links(root / "g1", "http://10.0.0.5:8765").lines()
    t = load_tokens(root / "g1")
    assert any(f"/projector?game=g1&token={t.projector}" in line for line in lines)
    import json

    service.create_game(tmp_path / "old", ["USA"], turns=1)
    path = tmp_path / "old" / "tokens.json"
    data = json.loads(path.read_text())
    del data["projector"]  # a tokens file made before the projector
    path.write_text(json.dumps(data))
    assert load_tokens(tmp_path / "old").projector == ""
    service.links(tmp_path / "old")
    new = load_tokens(tmp_path / "old")
    assert len(new.projector) >= 43 and new.teams == data["teams"] and new.facilitator == data["facilitator"]


def test_a_reroll_without_briefs_shows_the_new_roll(client, root):
    service.create_game(root / "g3", ["USA"], turns=2, seed=0)
    service.adjudicate(root / "g3", 1, briefs=False)
    params = {"game": "g3", "token": load_tokens(root / "g3").projector}
    stamp = client.get("/projector/state", params=params).json()["stamp"]
    assert client.get("/projector/view", params=params).status_code == 200  # written when first asked for
    page = root / "g3" / "briefs" / "turn-01" / "projector.html"
    assert page.is_file()
    service.reroll(root / "g3", 1, seed=7, briefs=False)
    assert not page.exists()  # the old roll's public page is dropped
    assert client.get("/projector/state", params=params).json()["stamp"] != stamp  # the page reloads itself
    assert client.get("/projector/view", params=params).status_code == 200 and page.is_file()


def test_the_projector_reads_under_the_games_lock_and_never_hangs_on_it(client, root, monkeypatch):
    """As the team pages (tests/app/test_team_access.py): while a command changes the game the projector's
    page and its poll answer 503 after app.games.READ_WAIT_S, and the poll keeps what it shows; its frame
    waits for the command to finish."""
    monkeypatch.setattr(games, "READ_WAIT_S", 0.2)
    params = {"game": "g1", "token": load_tokens(root / "g1").projector}
    with held(root / "g1", fcntl.LOCK_EX):  # as an adjudication holds it
        page = answered(client.get, "/projector", params=params)
        state = answered(client.get, "/projector/state", params=params)
    assert page.status_code == 503 and '<meta http-equiv="refresh"' in page.text
    assert state.status_code == 503 and state.json() == {"busy": True} and "if (!r.ok) return;" in SCRIPT
    with held(root / "g1", fcntl.LOCK_SH):  # another reader does not hold it up
        assert answered(client.get, "/projector/state", params=params).json()["stamp"].startswith("1:")
        assert answered(client.get, "/projector/view", params=params).status_code == 200
    with open(root / "g1" / ".lock", "a+") as handle:  # the frame waits for the command, however long
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        release = threading.Timer(0.5, fcntl.flock, (handle.fileno(), fcntl.LOCK_UN))
        release.start()
        view = answered(client.get, "/projector/view", params=params)
        release.join()  # before the file is closed
    assert view.status_code == 200 and "Public events this turn" in view.text
