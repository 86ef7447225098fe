"""The class-session registry (app/classroom.py) and the run summary a group publishes
(app/runsummary.py): join, publish, the teacher's view, wrong tokens refused, a group cannot
publish over another, codes, expiry and the wrong-code limit."""

from __future__ import annotations

from html import escape

import pytest

from app import classroom
from app.classroom import ClassError, Classroom, normalize_code, show_code
from app.runsummary import KEY_EVENTS, RunSummary, summarize, summary_html
from app.session import RunSession
from sim.core.vocabulary import MAIN_EVENTS


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def runs() -> tuple[RunSummary, RunSummary]:
    """Two different published results: the baseline at month 5 and seed 1 at month 0."""
    one = RunSession()
    one.step(5)
    two = RunSession(one.settings.with_seed(1))
    return summarize(one), summarize(two)


def test_join_publish_and_the_teachers_view(runs):
    reg = Classroom()
    code, teacher, projector = reg.start()
    assert len(code) == classroom.CODE_LENGTH and set(code) <= set(classroom.ALPHABET)
    a = reg.join(show_code(code).lower(), "A")  # the code as written on the board, in any case
    b = reg.join(code, " Groupe   É ")
    view = reg.teacher_view(code, teacher)
    assert [g.name for g in view.groups] == ["A", "Groupe É"] and all(g.summary is None for g in view.groups)
    reg.publish(code, "A", a, runs[0])
    reg.publish(code, "Groupe É", b, runs[1])
    after = reg.teacher_view(code, teacher)
    assert after.version > view.version
    assert [g.summary for g in after.groups] == [runs[0], runs[1]]
    assert reg.group_summary(code, teacher, "A") == runs[0]


def test_wrong_tokens_are_refused(runs):
    reg = Classroom()
    code, teacher, projector = reg.start()
    a = reg.join(code, "A")
    for token in ("", None, teacher[:-1], a, "x" * 10_000):
        with pytest.raises(ClassError, match="does not open a class session"):
            reg.teacher_view(code, token)
        with pytest.raises(ClassError, match="does not open a class session"):
            reg.group_summary(code, token, "A")
    other, other_teacher, _ = reg.start()
    with pytest.raises(ClassError, match="does not open"):
        reg.teacher_view(code, other_teacher)  # another session's teacher
    with pytest.raises(ClassError, match="does not open"):
        reg.end(code, a)
    assert reg.teacher_view(other, other_teacher).groups == ()


def test_the_projector_token_opens_the_projector_view_only(runs):
    reg = Classroom()
    code, teacher, projector = reg.start()
    a = reg.join(code, "A")
    reg.publish(code, "A", a, runs[0])
    assert reg.group_summary(code, projector, "A") == runs[0]
    assert reg.version(code, projector) == reg.version(code, teacher)
    for action in (
        lambda: reg.teacher_view(code, projector),
        lambda: reg.remove(code, projector, "A"),
        lambda: reg.end(code, projector),
        lambda: reg.publish(code, "A", projector, runs[1]),
    ):
        with pytest.raises(ClassError):
            action()
    with pytest.raises(ClassError, match="does not open"):
        reg.group_summary(code, a, "A")  # a group's token does not open the projector view
    with pytest.raises(ClassError, match="No group named B"):
        reg.group_summary(code, projector, "B")


def test_a_group_cannot_publish_over_another(runs):
    reg = Classroom()
    code, teacher, projector = reg.start()
    a = reg.join(code, "A")
    b = reg.join(code, "B")
    reg.publish(code, "A", a, runs[0])
    with pytest.raises(ClassError, match="no longer in the class session"):
        reg.publish(code, "A", b, runs[1])  # B's token on A's name
    with pytest.raises(ClassError, match="no longer in the class session"):
        reg.publish(code, "A", teacher, runs[1])  # not even the teacher's token
    with pytest.raises(ClassError, match="is in this session already"):
        reg.join(code, "a")  # nobody joins as a group that is in
    with pytest.raises(ClassError, match="no longer"):
        reg.leave(code, "A", b)
    assert reg.group_summary(code, teacher, "A") == runs[0]
    reg.leave(code, "B", b)
    assert [g.name for g in reg.teacher_view(code, teacher).groups] == ["A"]


def test_the_teacher_removes_a_group_and_ends_the_session(runs):
    reg = Classroom()
    code, teacher, projector = reg.start()
    a = reg.join(code, "A")
    reg.remove(code, teacher, "A")
    with pytest.raises(ClassError, match="no longer"):
        reg.publish(code, "A", a, runs[0])
    again = reg.join(code, "A")  # the name is free again
    reg.publish(code, "A", again, runs[0])
    reg.end(code, teacher)
    with pytest.raises(ClassError, match="does not open"):
        reg.teacher_view(code, teacher)
    with pytest.raises(ClassError, match="No class session has this code"):
        reg.join(code, "B")


def test_bad_group_names_are_refused():
    reg = Classroom()
    code, _, _ = reg.start()
    for name in ("", "   ", "x" * (classroom.MAX_NAME_CHARS + 1), "<b>A</b>", "-A"):
        with pytest.raises(ClassError, match="A group name is"):
            reg.join(code, name)


def test_sessions_end_after_their_lifetime():
    clock = Clock()
    reg = Classroom(clock)
    code, teacher, projector = reg.start()
    clock.now += classroom.LIFETIME_S - 1
    assert reg.teacher_view(code, teacher).ends_in_s == pytest.approx(1)
    clock.now += 1
    with pytest.raises(ClassError, match="does not open"):
        reg.teacher_view(code, teacher)


def test_wrong_codes_are_limited_for_the_whole_server():
    clock = Clock()
    reg = Classroom(clock)
    code, _, _ = reg.start()
    wrong = "".join("2" if c != "2" else "3" for c in code)
    for _ in range(classroom.MAX_WRONG_CODES):
        with pytest.raises(ClassError, match="No class session has this code"):
            reg.join(wrong, "A")
    with pytest.raises(ClassError, match="Too many wrong codes"):
        reg.join(code, "A")  # once spent, even the right code waits: the limit says nothing about a guess
    clock.now += classroom.WRONG_CODE_WINDOW_S
    reg.join(code, "A")


def test_the_number_of_sessions_is_bounded():
    reg = Classroom()
    for _ in range(classroom.MAX_SESSIONS):
        reg.start()
    with pytest.raises(ClassError, match="class sessions already"):
        reg.start()


def test_codes_and_the_guess_chance():
    assert normalize_code(" k7p2-qx4m ") == "K7P2QX4M" and show_code("K7P2QX4M") == "K7P2-QX4M"
    assert not set("01IOL") & set(classroom.ALPHABET) and len(classroom.ALPHABET) == 31
    assert classroom.guess_chance() < 1e-6


def test_the_summary_names_the_run(runs):
    first, second = runs
    assert (first.month, first.date, first.focus) == (5, "2024-10", "Niger")
    assert first.leading_partner == "Russia"
    assert sum(v for _, _, v in first.shares) == pytest.approx(1.0)
    assert [v for _, _, v in first.shares] == sorted((v for _, _, v in first.shares), reverse=True)
    assert second.command == "python -m sim seed=1" and second.month == 0
    assert first.key_events and all(e.type in MAIN_EVENTS for e in first.key_events)
    assert len(first.key_events) <= KEY_EVENTS and [e.step for e in first.key_events] == sorted(
        (e.step for e in first.key_events), reverse=True
    )
    html = summary_html(first)
    assert "October 2024" in html and "Niger's leading partner: <b" in html
    assert escape(first.key_events[0].headline) in html
    assert "Settings of this run" in html and "no run published yet" in summary_html(None)
