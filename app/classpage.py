"""The teacher's pages of a class session (app/classroom.py), Solara like the classroom page:

- `/class`, the teacher's view: start a session (its code in large type for the board), then
  every group's settings and headline results side by side (app/runsummary.py), updated every
  `POLL_S` seconds as the groups step; a group can be removed, the session ended. The tab keeps the
  teacher's token in its state; the teacher's link (`/class?code=...&token=...`) reopens the view.
- `/class-show?code=...&group=...&token=...`, the projector view: one group's run, read-only (map,
  influence-share chart and the group's card), with the session's projector token (or the
  teacher's). It holds no reference to the group's tab: it replays the group's published settings
  and seed to the published month in its own RunSession (a run depends only on its configuration
  and seed), and follows the group as it steps on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import solara

from app.a11y import AltImage, PageAccessibility, heading
from app.classroom import ClassError, TeacherView, registry, show_code
from app.frames import FrameMaker, Overview
from app.runsummary import RunSummary, summarize, summary_html
from app.session import RunSession, month_label

CSS = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")
CLASS_CSS = (Path(__file__).with_name("classroom.css")).read_text(encoding="utf-8")
TEACHER_ROUTE = "class"
SHOW_ROUTE = "class-show"
POLL_S = 2.0  # the teacher's and the projector's views look for news this often
TITLE = "Sahel influence: class session"
HOW_TO_JOIN = (
    "Each group opens the classroom page, finds Class session at the top of the settings, types this "
    "code and its group name (A to F in the lesson plans) and presses Join."
)
NOT_SAME = "The replay differs from the group's run: the server's model changed since the group published."


def query_field(search: str | None, name: str) -> str:
    """One field of a query string ('' when absent)."""
    return (parse_qs((search or "").lstrip("?")).get(name) or [""])[0]


def show_link(code: str, group: str, token: str) -> str:
    """The projector view's address (relative to the server) for one group."""
    return f"/{SHOW_ROUTE}?{urlencode({'code': code, 'group': group, 'token': token})}"


def teacher_link(code: str, token: str) -> str:
    """The address that reopens the teacher's view."""
    return f"/{TEACHER_ROUTE}?{urlencode({'code': code, 'token': token})}"


def catch_up(run: RunSession | None, summary: RunSummary) -> RunSession:
    """A run with the group's settings at the group's month: `run` stepped on if it is the same
    run behind it, else a new run from month 0 (the same settings and seed give the same history)."""
    if run is None or run.settings != summary.settings or run.month > summary.month:
        run = RunSession(summary.settings)
    run.step(summary.month - run.month)
    return run


@solara.component
def TeacherPage():
    """The teacher's view, opened with the teacher's link or empty (Start a class session)."""
    router = solara.use_router()
    TeacherDesk(query_field(router.search, "code"), query_field(router.search, "token"))


@solara.component
def TeacherDesk(code: str = "", token: str = ""):
    """Start a session, or show the one `code` and `token` open (this tab's own state)."""
    keys = solara.use_reactive((code, token))  # the session's code and the teacher's token
    version = solara.use_reactive(0)
    problem = solara.use_reactive("")
    held_code, held_token = keys.value

    def start() -> None:
        try:
            started = registry().start()
            keys.set((started.code, started.teacher))
            problem.set("")
        except ClassError as exc:
            problem.set(str(exc))

    def watch(cancel: threading.Event) -> None:
        while held_code and not cancel.wait(POLL_S):
            try:
                seen = registry().version(held_code, held_token)
            except ClassError:
                seen = -1
            if seen != version.value:
                version.set(seen)

    solara.use_thread(watch, dependencies=[held_code, held_token], intrusive_cancel=False)

    def read() -> tuple[TeacherView | None, str]:
        if not held_code:
            return None, ""
        try:
            return registry().teacher_view(held_code, held_token), ""
        except ClassError as exc:
            return None, str(exc)

    view, refused = solara.use_memo(read, [held_code, held_token, version.value])

    def act(fn: Callable[[], None]) -> None:
        try:
            fn()
        except ClassError as exc:
            problem.set(str(exc))
        version.set(version.value + 1)

    solara.Title(TITLE)
    solara.Style(CSS + CLASS_CSS)
    PageAccessibility(lang="en")  # the class-session pages are in English
    with solara.Div(classes=["sahel-app", "sahel-class"]):
        heading("Class session", 1, "sahel-title")
        if problem.value:
            solara.Error(problem.value)
        if view is None:
            if refused:
                solara.Error(refused)
            solara.Markdown(
                "Start a session, write its code on the board, and each group's settings and "
                "results appear here side by side as they run. Sessions live in this server's "
                "memory: restarting the server ends them."
            )
            solara.Button("Start a class session", color="primary", on_click=start)
            return

        def end() -> None:
            registry().end(view.code, held_token)
            keys.set(("", ""))

        with solara.Div(classes=["sahel-class-head"]):
            solara.Text(show_code(view.code), classes=["sahel-class-code"])
            solara.Text(
                f"{HOW_TO_JOIN} {len(view.groups)} group(s) in; the session ends in {view.ends_in_s / 3600:.1f} h.",
                classes=["sahel-note"],
            )
            solara.HTML(
                tag="details",
                unsafe_innerHTML=(
                    "<summary>The teacher's link (private: it opens this view)</summary>"
                    f'<a href="{teacher_link(view.code, held_token)}">/{TEACHER_ROUTE}?code={view.code}&amp;token=…</a>'
                ),
                classes=["sahel-class-private"],
            )
            solara.Button("End the session", color="error", outlined=True, on_click=lambda: act(end))
        if not view.groups:
            solara.Text("No group has joined yet.", classes=["sahel-note"])
        with solara.Div(classes=["sahel-class-groups"]):
            for group in view.groups:
                with solara.Card(f"Group {group.name}", classes=["sahel-class-card"]):
                    solara.HTML(tag="div", unsafe_innerHTML=summary_html(group.summary))
                    with solara.Row():
                        solara.Button(
                            "Show on the projector",
                            outlined=True,
                            disabled=group.summary is None,
                            href=show_link(view.code, group.name, view.projector),
                            target="_blank",
                            classes=["sahel-class-show"],
                        )
                        solara.Button(
                            "Remove",
                            text=True,
                            on_click=lambda g=group.name: act(lambda: registry().remove(view.code, held_token, g)),
                        )


@solara.component
def ShowPage():
    """The projector view named by the address."""
    router = solara.use_router()
    GroupShow(
        query_field(router.search, "code"), query_field(router.search, "group"), query_field(router.search, "token")
    )


@solara.component
def GroupShow(code: str, group: str, token: str):
    """One group's run, read-only: replayed from its settings and seed and kept at its month."""
    shown = solara.use_reactive(None)  # (RunSummary, Overview, same as published)
    problem = solara.use_reactive("")

    def follow(cancel: threading.Event) -> None:
        run: RunSession | None = None
        maker: FrameMaker | None = None
        seen = None
        while not cancel.is_set():
            try:
                summary = registry().group_summary(code, token, group)
            except ClassError as exc:
                problem.set(str(exc))
                summary = None
            else:
                problem.set("")
            if summary is not None and summary != seen:
                before = run
                run = catch_up(run, summary)
                if maker is None or run is not before:
                    maker = FrameMaker(run)
                overview: Overview = maker.overview()
                same = summarize(run).shares == summary.shares
                shown.set((summary, overview, same))
                seen = summary
            if cancel.wait(POLL_S):
                return

    solara.use_thread(follow, dependencies=[code, group, token], intrusive_cancel=False)
    solara.Title(f"Group {group}: {TITLE}")
    solara.Style(CSS + CLASS_CSS)
    PageAccessibility(lang="en")  # the class-session pages are in English
    with solara.Div(classes=["sahel-app", "sahel-class", "sahel-class-projector"]):
        if problem.value:
            solara.Error(problem.value)
        if shown.value is None:
            if not problem.value:
                solara.Text(f"Group {group}: waiting for its run…", classes=["sahel-note"])
            return
        summary, overview, same = shown.value
        heading(f"Group {group}: {month_label(summary.date)} (month {summary.month})", 1, "sahel-class-show-title")
        if not same:
            solara.Warning(NOT_SAME)
        with solara.Div(classes=["sahel-class-show-body"]):
            with solara.Card(classes=["sahel-picture"]):
                AltImage(overview.map_png, overview.map_alt)
            with solara.Div(classes=["sahel-class-show-side"]):
                with solara.Card(classes=["sahel-picture"]):
                    AltImage(overview.share_png, overview.share_alt)
                with solara.Card(f"Group {group}", classes=["sahel-class-card"]):
                    solara.HTML(tag="div", unsafe_innerHTML=summary_html(summary))


def class_routes(layout: Callable) -> list[solara.Route]:
    """The teacher's view and the projector view, each inside an error boundary (app/boundary.py)."""
    from app.boundary import guarded

    return [
        solara.Route(
            path=TEACHER_ROUTE, component=guarded(TeacherPage, "The class session page"), label=TITLE, layout=layout
        ),
        solara.Route(path=SHOW_ROUTE, component=guarded(ShowPage, "The projector view"), label=TITLE, layout=layout),
    ]
