"""A class session's pages rendered in-process with solara.render (no browser), as
tests/app/test_page.py does: a classroom page joins with the code and publishes its run after each
Step, the teacher's view shows each group's card, a wrong token opens nothing, and the projector
view replays a group's run to the same results."""

from __future__ import annotations

import time

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara

import app.classpage as classpage
from app import classroom
from app.classpage import GroupShow, TeacherDesk, catch_up, query_field, show_link
from app.classroom import Classroom
from app.page import Page
from app.runsummary import summarize
from app.session import RunSession

WAIT_S = 30.0


@pytest.fixture
def reg(monkeypatch) -> Classroom:
    """A fresh registry in place of the server's, and quick polling."""
    fresh = Classroom()
    monkeypatch.setattr(classroom, "REGISTRY", fresh)
    monkeypatch.setattr(classpage, "POLL_S", 0.05)
    return fresh


def _click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def _texts(rc, css_class: str) -> list[str]:
    return [w.children[0] for w in rc.find(v.Html, class_=css_class).widgets]


def _htmls(rc) -> str:
    return "".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)


def _wait(check, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _cards(rc) -> list:
    """The group cards of the teacher's view."""
    return [w for w in rc.find(v.Card).widgets if "sahel-class-card" in (w.class_ or "")]


def _join(rc, code: str, group: str) -> None:
    rc.find(v.TextField, label="Class code").widget.v_model = code
    rc.find(v.TextField, label="Group name").widget.v_model = group
    _click(rc, "Join")


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_a_classroom_page_joins_and_publishes_each_step(reg):
    code, teacher, _ = reg.start()
    _, rc = solara.render(Page(), handle_error=False)
    try:
        _join(rc, code.lower(), "B")
        assert any("as group B" in t for t in _texts(rc, "sahel-join-in"))
        (group,) = reg.teacher_view(code, teacher).groups
        assert group.summary.month == 0  # published at once
        for _ in range(3):
            _click(rc, "Step")
        assert reg.teacher_view(code, teacher).groups[0].summary.month == 3
        rc.find(v.Slider).widgets[3].v_model = 2.5  # the juntas' sovereignty: applies on Reset
        _click(rc, "Reset")
        published = reg.teacher_view(code, teacher).groups[0].summary
        assert published.month == 0 and published.command == "python -m sim incentives.junta.sovereignty=2.5"
        _click(rc, "Leave the class session")
        assert reg.teacher_view(code, teacher).groups == ()
        assert rc.find(v.Btn, children=["Join"]).widgets
    finally:
        rc.close()


def test_a_wrong_code_is_said_and_nothing_joins(reg):
    code, teacher, _ = reg.start()
    _, rc = solara.render(Page(), handle_error=False)
    try:
        _join(rc, "ABCD-EFGH" if code != "ABCDEFGH" else "ABCD-EFGJ", "A")
        assert "No class session has this code" in _htmls(rc) + str([w.children for w in rc.find(v.Alert).widgets])
        assert reg.teacher_view(code, teacher).groups == ()
    finally:
        rc.close()


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_a_removed_group_is_told_at_its_next_step(reg):
    code, teacher, _ = reg.start()
    _, rc = solara.render(Page(), handle_error=False)
    try:
        _join(rc, code, "C")
        reg.remove(code, teacher, "C")
        _click(rc, "Step")
        alerts = [str(w.children) for w in rc.find(v.Alert).widgets]
        assert any("no longer in the class session" in a for a in alerts)
        assert rc.find(v.Btn, children=["Join"]).widgets
    finally:
        rc.close()


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_the_teachers_view_shows_the_groups_side_by_side(reg):
    _, rc = solara.render(TeacherDesk(), handle_error=False)
    try:
        _click(rc, "Start a class session")
        (shown,) = _texts(rc, "sahel-class-code")
        code = shown.replace("-", "")
        assert len(code) == classroom.CODE_LENGTH and "No group has joined yet." in _texts(rc, "sahel-note")
        runs = {}
        for name, seed, months in (("A", 0, 4), ("B", 1, 2)):
            run = RunSession(RunSession().settings.with_seed(seed))
            run.step(months)
            token = reg.join(shown, name)
            reg.publish(code, name, token, summarize(run))
            runs[name] = summarize(run)
        _wait(lambda: len(_cards(rc)) == 2, "both groups' cards")
        titles = [w.children[0].children for w in _cards(rc)]
        assert titles == [["Group A"], ["Group B"]]
        html = _htmls(rc)
        assert "September 2024</b> (month 4)" in html and "July 2024</b> (month 2)" in html
        assert (
            "python -m sim seed=1" in html
            and f'leading partner: <b class="sahel-class-partner">{runs["A"].leading_partner}' in html
        )
        links = [w.href for w in rc.find(v.Btn, children=["Show on the projector"]).widgets]
        assert [query_field(link.split("?")[1], "group") for link in links] == ["A", "B"]
        assert all(query_field(link.split("?")[1], "code") == code for link in links)
        (projector_token,) = {query_field(link.split("?")[1], "token") for link in links}
        with pytest.raises(classroom.ClassError):  # the projector's links do not open the teacher's view
            reg.teacher_view(code, projector_token)
        rc.find(v.Btn, children=["Remove"]).widgets[0].click()
        _wait(lambda: len(_cards(rc)) == 1, "group A removed")
        _click(rc, "End the session")
        assert rc.find(v.Btn, children=["Start a class session"]).widgets
        with pytest.raises(classroom.ClassError, match="No class session has this code"):
            reg.join(code, "C")
    finally:
        rc.close()


def test_a_wrong_teacher_token_opens_nothing(reg):
    code, teacher, projector = reg.start()
    token = reg.join(code, "A")
    reg.publish(code, "A", token, summarize(RunSession()))
    for wrong in ("", projector, token, teacher[:-2]):
        _, rc = solara.render(TeacherDesk(code, wrong), handle_error=False)
        try:
            assert not _cards(rc)
            assert "sahel-class-run" not in _htmls(rc)
            if wrong:
                assert any(classroom.REFUSED in str(w.children) for w in rc.find(v.Alert).widgets)
        finally:
            rc.close()
    _, rc = solara.render(TeacherDesk(code, teacher), handle_error=False)  # the teacher's link reopens it
    try:
        assert len(_cards(rc)) == 1
        (link,) = [w.href for w in rc.find(v.Btn, children=["Show on the projector"]).widgets]
        assert query_field(link.split("?")[1], "token") == projector  # never the teacher's token
    finally:
        rc.close()


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_the_projector_view_replays_the_groups_run(reg):
    code, _, projector = reg.start()
    token = reg.join(code, "D")
    run = RunSession(RunSession().settings.with_seed(3).with_weight("junta", "regime_protection", 0.3))
    run.step(7)
    reg.publish(code, "D", token, summarize(run))
    _, rc = solara.render(GroupShow(code, "D", projector), handle_error=False)
    try:
        _wait(lambda: len(rc.find(widgets.Image).widgets) == 2 and _cards(rc), "the replay")
        assert _texts(rc, "sahel-class-show-title") == ["Group D: December 2024 (month 7)"]
        assert not rc.find(v.Alert).widgets  # the replay's results are the group's (no warning)
        assert len(rc.find(widgets.Image).widgets) == 2 and not rc.find(v.Btn, children=["Step"]).widgets
        alts = [w.attributes["aria-label"] for w in rc.find(v.Html, tag="div", class_="sahel-alt-image").widgets]
        # the text alternatives of the map and the share chart (app/alttext.py)
        assert len(alts) == 2 and alts[0].startswith("Map of the region, December 2024. Each state's leading")
        assert alts[1].startswith("Influence share chart, December 2024, highest first: ")
        run.step(2)  # the group steps on: the projector follows
        reg.publish(code, "D", token, summarize(run))
        _wait(lambda: _texts(rc, "sahel-class-show-title") == ["Group D: February 2025 (month 9)"], "month 9")
    finally:
        rc.close()
    _, rc = solara.render(GroupShow(code, "D", token), handle_error=False)  # a group's token
    try:
        _wait(lambda: rc.find(v.Alert).widgets, "the refusal")
        assert classroom.REFUSED in str(rc.find(v.Alert).widget.children)
        assert not rc.find(widgets.Image).widgets
    finally:
        rc.close()


def test_catch_up_steps_on_or_starts_again():
    run = RunSession()
    run.step(3)
    published = summarize(run)
    replay = catch_up(None, published)
    assert summarize(replay) == published
    run.step(2)
    assert catch_up(replay, summarize(run)) is replay and summarize(replay) == summarize(run)
    other = RunSession(run.settings.with_seed(4))
    assert catch_up(replay, summarize(other)) is not replay
    assert show_link("K7P2QX4M", "Table 1", "t") == "/class-show?code=K7P2QX4M&group=Table+1&token=t"
