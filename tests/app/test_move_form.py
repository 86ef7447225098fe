"""The move form on a team's page (app/moveform.py, app/team.py) at the HTTP level, on the server's own
stack (AddressGuard, Gate, the team routes): the form's inputs come from the world, a check shows every
problem at its input and stores nothing, a legal form stores the same YAML file the command line
accepts, the live check answers in JSON, and a team's token checks and submits only as that team."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from asgi_client import gated_client  # noqa: E402

from app.gate import TOKENS_ENV  # noqa: E402
from app.server import GAMES_ROOT_ENV  # noqa: E402
from app.team import FORM_SOURCE  # noqa: E402
from workshop import service  # noqa: E402
from workshop.game import Game  # noqa: E402
from workshop.moves import parse_move  # noqa: E402
from workshop.teams import team_by_name  # noqa: E402
from workshop.tokens import load_tokens  # noqa: E402

LEGAL = {
    "via": "form",
    "note": "Hold Chad",
    "allocate.TCD.security": "10",
    "allocate.TCD.economic": "20",
    "allocate.NGA.economic": "35",
    "regime_protection": "0.3",
    "deploy.0.state": "BEN",
    "deploy.0.troops": "50",
    "deploy.0.date": "2024-07",
    "deploy.1.state": "",
    "deploy.1.troops": "",
}
ILLEGAL = {
    **LEGAL,
    "allocate.NGA.security": "25",
    "deploy.0.troops": "80",
    "aid.0.state": "TCD",
    "aid.0.action": "resume",
}


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("games")
    service.create_game(root / "g", ["USA", "AES=MLI,BFA,NER"], turns=2, seed=0)
    return root


@pytest.fixture
def client(root, monkeypatch):
    monkeypatch.setenv(GAMES_ROOT_ENV, str(root))
    monkeypatch.delenv(TOKENS_ENV, raising=False)
    return gated_client()


def _as(root: Path, team: str) -> dict[str, str]:
    return {"game": "g", "token": load_tokens(root / "g").teams[team]}


def msgs(page: str, name: str) -> list[str]:
    """The messages the page shows under the input (or row, or section) `name`."""
    m = re.search(rf'<ul class="msgs" data-for="{re.escape(html.escape(name))}">(.*?)</ul>', page)
    assert m, f"no messages list for {name!r}"
    return [html.unescape(x) for x in re.findall(r"<li class=\"(?:bad|warn)\">(.*?)</li>", m.group(1))]


def test_the_form_is_built_from_the_world_and_the_team(client, root):
    usa = client.get("/team", params=_as(root, "USA")).text
    assert '<select name="deploy.0.state"' in usa and '<option value="BEN">BEN: Benin</option>' in usa
    assert '<select name="basing.0.base"' in usa and "Air Base 101 Niamey (NER)" in usa
    assert 'name="allocate.CAF.information"' in usa and "regime_protection" in usa
    assert 'data-spent="0" data-of="30"' in usa and 'data-of="70">0</b> of 70 available' in usa  # budget, forces
    assert "No moves: the scenario&#x27;s policy plays for your team." in usa
    assert "expel." not in usa  # a power team's form has no government moves
    aes = client.get("/team", params=_as(root, "AES")).text
    assert '<select name="expel.0.state"' in aes and 'name="allocate.' not in aes
    states = re.search(r'<select name="expel\.0\.state".*?</select>', aes).group(0)
    assert re.findall(r'<option value="(\w+)">', states) == ["MLI", "BFA", "NER"]


def test_a_check_shows_every_problem_at_its_input_and_stores_nothing(client, root):
    r = client.post("/team", params=_as(root, "USA"), data={**ILLEGAL, "do": "check"})
    assert r.status_code == 200
    page = r.text
    assert any("add up to 35" in m for m in msgs(page, "allocate"))  # over the security budget
    assert any("80 troops" in m and "70 available" in m for m in msgs(page, "deploy.0"))
    assert any("not suspended" in m for m in msgs(page, "aid.0"))
    assert msgs(page, "") == [] and msgs(page, "deploy.0.state") == []
    assert 'data-spent="0" data-of="30">35</b>' in page and "<span class=over>Troops sent" in page
    assert "United States deploys 80 troops to Benin (2024-07)" in page  # the moves in words
    assert 'value="80"' in page  # the values are kept to fix
    assert "USA" not in Game.load(root / "g").pending


def test_a_refused_form_is_not_stored_and_a_legal_one_stores_the_command_lines_file(client, root):
    usa = _as(root, "USA")
    r = client.post("/team", params=usa, data={**ILLEGAL, "do": "submit"})
    assert r.status_code == 400 and 'id="said-form"' in r.text and "3 problems" in r.text
    assert "USA" not in Game.load(root / "g").pending
    r = client.post("/team", params=usa, data={**LEGAL, "do": "submit"})
    assert r.status_code == 200 and "Accepted: team USA&#x27;s moves for turn 1" in r.text
    game = Game.load(root / "g")
    sub = game.pending["USA"]
    assert sub.file == FORM_SOURCE
    assert sub.text == (
        "team: USA\nturn: 1\nnote: Hold Chad\nallocate:\n  TCD: {security: 10, economic: 20}\n"
        "  NGA: {economic: 35}\nregime_protection: 0.3\ndeploy:\n"
        "  - {state: BEN, troops: 50, date: '2024-07'}\n"
    )
    # the stored text is a move file the command line accepts, and the YAML box shows it
    sit = service.situation_now(game)
    assert parse_move(sub.text, "f", team_by_name(game.teams, "USA"), sit).summary(sit.world)
    page = client.get("/team", params=usa).text
    assert html.escape(sub.text) in page and '<option value="BEN" selected>' in page  # the form shows it again
    assert service.submit_text(root / "g", "USA", sub.text, "cli.yaml").summary  # and the CLI takes it as is


def test_add_a_row_without_scripts(client, root):
    posted = {
        "via": "form",
        "invite.0.state": "NER",
        "invite.0.power": "RUS",
        "invite.1.state": "",
        "invite.1.power": "",
    }  # a filled row and the blank row the form always has
    r = client.post("/team", params=_as(root, "AES"), data={**posted, "add": "invite"})
    assert r.status_code == 200
    assert 'name="invite.2.state"' in r.text and 'name="invite.3.state"' not in r.text
    assert '<option value="NER" selected>' in r.text
    again = client.post("/team", params=_as(root, "AES"), data={**posted, "do": "check"}).text
    assert 'name="invite.1.state"' in again and 'name="invite.2.state"' not in again  # a check adds no row


def test_the_live_check_answers_in_json_for_the_tokens_team_only(client, root):
    r = client.post("/team/check", params=_as(root, "USA"), data={**ILLEGAL, "via": "form"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    got = r.json()
    assert got["ok"] is False and got["troops_sent"] == 80 and got["spent_usd_m"] == [35, 55, 0]
    assert set(got["problems"]) == {"allocate", "deploy.0", "aid.0"}
    assert got["text"].startswith("team: USA\nturn: 1\n")
    # AES's token checks AES's moves: a power's key is refused for a government team
    aes = client.post("/team/check", params=_as(root, "AES"), data={"expel.0.state": "NER", "expel.0.power": "FRA"})
    assert aes.json()["text"].startswith("team: AES\n") and aes.json()["ok"] is True
    assert client.post("/team/check", params={"game": "g", "token": "nope"}, data=LEGAL).status_code == 403
    facilitator = {"game": "g", "token": load_tokens(root / "g").facilitator}
    assert client.post("/team/check", params=facilitator, data=LEGAL).status_code == 403
    assert "USA" not in Game.load(root / "g").pending or Game.load(root / "g").pending["USA"].file != "nope"
