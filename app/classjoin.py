"""The group's side of a class session (app/classroom.py), on the classroom page: a box to join
with the teacher's code and a group name, and `Membership.publish`, which the page calls after
every Step, Play month and Reset so that the teacher's view shows this tab's run as it goes."""

from __future__ import annotations

from collections.abc import Callable

import solara

from app.classroom import ClassError, normalize_code, registry, show_code
from app.i18n import SOURCE, tr
from app.runsummary import summarize
from app.session import RunSession

JOIN_NOTE = tr("join.note")


class Membership:
    """A browser tab's place in a class session: none until it joins. Its group token stays here,
    in this tab's state (never in an address, never in a log)."""

    def __init__(self) -> None:
        self.code = ""
        self.group = ""
        self._token = ""
        self.problem = ""

    @property
    def joined(self) -> bool:
        return bool(self._token)

    def join(self, code: str, group: str, session: RunSession) -> None:
        """Join a session and publish the run at once (a refusal is kept in `problem`)."""
        try:
            self._token = registry().join(code, group)
        except ClassError as exc:
            self.problem = str(exc)
            return
        self.code, self.group, self.problem = normalize_code(code), " ".join(group.split()), ""
        self.publish(session)

    def publish(self, session: RunSession) -> None:
        """Send the run's headline results to the session (nothing when not in one). If the
        session has ended or the teacher removed the group, the tab leaves it and says so."""
        if not self.joined:
            return
        try:
            registry().publish(self.code, self.group, self._token, summarize(session))
        except ClassError as exc:
            self.problem, self._token = str(exc), ""

    def leave(self) -> None:
        """Leave the session (the group's name is free again)."""
        if self.joined:
            try:
                registry().leave(self.code, self.group, self._token)
            except ClassError:
                pass  # it had ended: nothing to leave
        self._token, self.problem = "", ""


@solara.component
def JoinCard(member: Membership, session: RunSession, tick: solara.Reactive[int], lang: str = SOURCE):
    """Join a class session, or the session this tab is in (redrawn after each step while in one,
    so a session that ended is said at once; a tab in no session is not redrawn by a step); its
    texts in `lang`."""
    code = solara.use_reactive("")
    group = solara.use_reactive("")
    changes = solara.use_reactive(0)  # redraw this card after joining or leaving
    _ = changes.value  # (reading a reactive value is what makes its change redraw the card)
    if member.joined:
        _ = tick.value

    def act(fn: Callable[[], None]) -> None:
        fn()
        changes.set(changes.value + 1)

    with solara.Card(tr("join.card", lang), classes=["sahel-class-join"]):
        if member.joined:
            solara.Text(tr("join.in", lang, code=show_code(member.code), group=member.group), classes=["sahel-join-in"])
            solara.Button(tr("join.leave", lang), outlined=True, on_click=lambda: act(member.leave))
        else:
            solara.Text(tr("join.note", lang), classes=["sahel-note"])
            with solara.Row():
                solara.InputText(tr("join.code", lang), value=code, continuous_update=True)
                solara.InputText(tr("join.group", lang), value=group, continuous_update=True)
            solara.Button(
                tr("join.button", lang),
                color="primary",
                disabled=not (code.value.strip() and group.value.strip()),
                on_click=lambda: act(lambda: member.join(code.value, group.value, session)),
            )
        if member.problem:
            solara.Error(member.problem, dense=True, classes=["sahel-join-problem"])
