"""The facilitator page stays inside its games root and shows no traceback (issue 14, server part):
'..', paths outside the root and symlinks leading out are refused; a new game is made only in a new
folder (nothing is written into an existing folder that is not a game); the page viewer shows only
regular files inside the game's folder; pasted and dropped move files are bounded before anything
is parsed; an unexpected error is one sentence on the page and a traceback in the server's log."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import ipyvuetify as v
import pytest
import solara

from app import games
from app.boundary import Guarded
from app.facilitator import FacilitatorPage, Viewer
from app.server import GAMES_ROOT_ENV
from workshop import service
from workshop.game import GAME_FILE

TEAMS = "USA, AES=MLI,BFA,NER"


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    """The games root: tmp_path/root; tmp_path/outside is a folder outside it."""
    monkeypatch.setenv(GAMES_ROOT_ENV, str(tmp_path / "root"))
    (tmp_path / "root").mkdir()
    (tmp_path / "outside").mkdir()
    return tmp_path / "root"


def _fake_game(folder: Path) -> Path:
    """A folder that looks like a game to the listing (its game.json is not read)."""
    folder.mkdir(parents=True)
    (folder / GAME_FILE).write_text("{}", encoding="utf-8")
    return folder


def _tree(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


def test_folders_outside_the_games_root_are_refused(root):
    outside = root.parent / "outside"
    (root / "room").mkdir()
    (root / "leak").symlink_to(outside, target_is_directory=True)
    assert games.resolve("") == root.resolve() and games.resolve("room") == (root / "room").resolve()
    assert games.resolve(str(root / "room")) == (root / "room").resolve()  # absolute, inside
    for typed, needle in [
        ("..", "contains '..'"),
        ("room/../..", "contains '..'"),
        ("room/..", "contains '..'"),
        (str(outside), "is outside the games root"),
        ("/etc", "is outside the games root"),
        ("leak", "a symlink in it leads out"),
        ("leak/sub", "a symlink in it leads out"),
        ("x" * 5000, "not a folder name"),
        ("a\0b", "not a folder name"),
    ]:
        with pytest.raises(games.WorkshopError, match=needle):
            games.resolve(typed)
        with pytest.raises(games.WorkshopError):
            games.list_games(typed)


def test_only_games_inside_the_root_are_listed_and_opened(root):
    outside = root.parent / "outside"
    _fake_game(root / "real")
    _fake_game(outside / "elsewhere")
    (root / "linked").symlink_to(outside / "elsewhere", target_is_directory=True)  # a game, but outside
    (root / "plain").mkdir()  # not a game
    (root / "fake").mkdir()
    (root / "fake" / GAME_FILE).symlink_to(outside / "elsewhere" / GAME_FILE)  # a game.json that is a symlink
    assert games.list_games("") == ["real"]
    assert games.game_path("", "real") == root.resolve() / "real"
    for name in ["linked", "plain", "fake", "../outside/elsewhere", "..", "nothing"]:
        with pytest.raises(games.WorkshopError, match="There is no game"):
            games.game_path("", name)
    view, problem = games.try_read_game(root / "linked")
    assert view is None and "is not a game inside the games root" in problem


def test_a_new_game_is_made_only_in_a_new_folder_inside_the_root(root):
    outside = root.parent / "outside"
    (root / "notes").mkdir()
    (root / "notes" / "todo.txt").write_text("keep me", encoding="utf-8")
    (root / "empty").mkdir()
    (root / "leak").symlink_to(outside, target_is_directory=True)
    before_root, before_outside = _tree(root), _tree(outside)
    for folder, name, needle in [
        ("", "notes", "is not a game"),
        ("", "empty", "is not a game"),
        ("", "leak", "is not a game"),
        (str(outside), "demo", "outside the games root"),
        ("..", "demo", "contains '..'"),
        ("leak", "demo", "a symlink in it leads out"),
        ("", "../demo", "needs a folder name"),
    ]:
        out, path = games.new_game(folder, name, "sahel_2024", "none", TEAMS, 2, 2, 1)
        assert not out.ok and needle in out.head and path is None, (folder, name, out.head)
    assert _tree(root) == before_root and _tree(outside) == before_outside  # no game.json, no .lock anywhere
    out, path = games.new_game("room", "demo", "sahel_2024", "none", TEAMS, 2, 2, 1)
    assert out.ok and path == root.resolve() / "room" / "demo" and games.list_games("room") == ["demo"]


def test_the_viewer_shows_only_regular_files_inside_the_game(root):
    outside = root.parent / "outside"
    secret = outside / "passwd"
    secret.write_text("root:x:0:0", encoding="utf-8")
    game = _fake_game(root / "g")
    briefs = game / "briefs" / "turn-00"
    briefs.mkdir(parents=True)
    (briefs / "USA.html").write_text("<p>brief</p>", encoding="utf-8")
    (briefs / "RUS.html").symlink_to(secret)
    (game / "debrief.html").symlink_to(secret)
    (outside / "page.html").write_text("<p>elsewhere</p>", encoding="utf-8")
    assert games.read_page(game, briefs / "USA.html") == "<p>brief</p>"
    for path in [
        briefs / "RUS.html",
        game / "debrief.html",
        outside / "page.html",
        briefs / ".." / ".." / ".." / ".." / "outside" / "passwd",
    ]:
        with pytest.raises(games.WorkshopError, match="is not shown"):
            games.read_page(game, path)
    assert games.read_page(game, briefs / "gone.html") == ""  # removed by an undo: nothing to show

    _, rc = solara.render(Viewer(game, str(briefs / "RUS.html"), 0, lambda: None), handle_error=False)
    try:
        assert not [w for w in rc.find(solara.widgets.HTML).widgets if w.tag == "iframe"]
        (note,) = [w.children[0] for w in rc.find(v.Html, class_="sahel-note sahel-problem").widgets]
        assert "RUS.html is not shown" in note and "root:x" not in note
    finally:
        rc.close()


def test_a_real_game_lists_no_symlinked_page(root):
    game = root / "demo"
    service.create_game(game, ["USA", "AES=MLI,BFA,NER"], turns=2, turn_months=2, seed=1)
    service.write_briefs(game, 0)
    (game / "briefs" / "turn-00" / "EVIL.html").symlink_to(root.parent / "outside")
    view = games.read_game(game)
    labels = [f.label for f in view.briefs[0]]
    assert "USA" in labels and "EVIL" not in labels and view.debrief is None


@pytest.mark.parametrize("record", ["{not json", "[]", '{"format": 999}', '"text"', "\xff\xfe", '{"format": 1'])
def test_a_malformed_game_is_a_short_message(root, record):
    game = root / "broken"
    game.mkdir()
    (game / GAME_FILE).write_bytes(record.encode("latin-1"))
    view, problem = games.try_read_game(game)
    assert view is None and problem and "Traceback" not in problem and 'File "' not in problem


def test_an_unexpected_error_is_one_sentence_on_the_page_and_a_traceback_in_the_log(root, monkeypatch, caplog):
    game = _fake_game(root / "g")

    def broken(directory):
        raise RuntimeError("/srv/secret/path exploded")

    monkeypatch.setattr(games, "read_game", broken)
    with caplog.at_level(logging.ERROR):
        view, problem = games.try_read_game(game)
    assert view is None and "failed unexpectedly (RuntimeError)" in problem and "/srv/secret" not in problem
    (record,) = [r for r in caplog.records if r.exc_info]
    assert "/srv/secret/path exploded" in str(record.exc_info[1])


def test_the_error_boundary_keeps_tracebacks_off_the_page(caplog):
    clicked = solara.reactive(False)

    @solara.component
    def Fragile():
        if clicked.value:
            raise ValueError("/srv/secret/path in a render")
        solara.Button("Break", on_click=lambda: clicked.set(True))

    @solara.component
    def Handler():
        def fail() -> None:
            raise KeyError("/srv/secret/path in a handler")

        solara.Button("Fail", on_click=fail)

    for component, label in [(Fragile, "Break"), (Handler, "Fail")]:
        caplog.clear()
        _, rc = solara.render(Guarded(component, "The test page"), handle_error=False)
        try:
            with caplog.at_level(logging.ERROR):
                rc.find(v.Btn, children=[label]).widget.click()
            (alert,) = rc.find(v.Alert).widgets
            text = " ".join(str(c) for c in alert.children)
            assert "The test page met an unexpected error" in text and "/srv/secret" not in text
            assert "Traceback" not in text
            assert any(r.exc_info and "/srv/secret" in str(r.exc_info[1]) for r in caplog.records)
            rc.find(v.Btn, children=["Start the page again"]).widget.click()  # back to the page
        finally:
            rc.close()
        clicked.set(False)


def test_pasted_and_dropped_moves_are_bounded_before_parsing(root, monkeypatch):
    game = _fake_game(root / "g")
    before = (game / GAME_FILE).read_bytes()

    def never(*args, **kwargs):
        raise AssertionError("parsed or stored a move file over the limit")

    monkeypatch.setattr(service, "submit_text", never)
    monkeypatch.setattr(service, "decode_move_file", never)
    big = "team: USA\nturn: 1\n" + "#" * service.MAX_MOVE_BYTES
    out = games.submit(game, "USA", big)
    assert not out.ok and "characters long" in out.head and "nothing was stored" in out.head
    text, problem = games.read_upload("usa.yaml", b"", size=service.MAX_MOVE_BYTES + 1)
    assert text == "" and "Nothing was read" in problem
    assert (game / GAME_FILE).read_bytes() == before


def test_the_folder_field_refuses_a_path_outside_the_root(root):
    _, rc = solara.render(FacilitatorPage(), handle_error=False)
    try:
        for typed, needle in [("..", "contains '..'"), (str(root.parent / "outside"), "outside the games root")]:
            widget = rc.find(v.TextField, label="Folder of the games").widget
            widget.v_model = typed
            widget.fire_event("keyup.enter", None)
            notes = [w.children[0] for w in rc.find(v.Html, class_="sahel-note sahel-problem").widgets]
            assert any(needle in n for n in notes), notes
        assert os.listdir(root.parent / "outside") == []
    finally:
        rc.close()


def test_a_billion_laughs_pasted_on_the_page_is_refused_at_once(root):
    # issue 14: a 420-byte move file of nested aliases, pasted in the facilitator page, took the whole app
    # down; it is now refused at its first alias, before anything expands, and nothing is stored
    import time

    game = root / "demo"
    service.create_game(game, ["USA", "AES=MLI,BFA,NER"], turns=2, turn_months=2, seed=1)
    before = (game / GAME_FILE).read_bytes()
    laughs = "team: USA\nturn: 1\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )
    assert len(laughs.encode()) < 500
    started = time.perf_counter()
    out = games.submit(game, "USA", laughs)
    assert time.perf_counter() - started < 10.0  # a bound on a refusal, not a performance claim
    text = " ".join([out.head, *out.details, *out.problems])
    assert not out.ok and "alias" in text and "Traceback" not in text, text
    assert (game / GAME_FILE).read_bytes() == before
