"""The lesson plans of docs/lessons/ as pages of the app (/lessons/1, /lessons/2, ...), so the
Info panel's links work offline on a classroom server. Each lesson opens in its own tab; links
inside a lesson to other project documents are shown as text (the app serves no other files)."""

from __future__ import annotations

import re

import solara

from app.explain import lessons

#: a Markdown link to another file of the repository: '[text](../model.md#7)' -> 'text'
_FILE_LINK = re.compile(r"\[([^\]]+)\]\((?!https?:)[^)]*\)")


def lesson_routes() -> list[solara.Route]:
    """One child route per lesson plan found."""
    return [solara.Route(path=str(lesson.number), label=f"Lesson {lesson.number}") for lesson in lessons()]


@solara.component
def LessonPage():
    """The lesson plan named by the address, or the list of lessons."""
    found = {str(lesson.number): lesson for lesson in lessons()}
    route, _ = solara.use_route()
    solara.Title("Sahel influence: lesson plans")
    lesson = found.get(route.path if route is not None else "")
    with solara.Div(classes=["sahel-app", "sahel-lesson"]):
        if lesson is None:
            solara.Markdown("# Lesson plans\n\n" + ("\n".join(f"- [Lesson {n}: {x.title}](/lessons/{n})"
                                                             for n, x in found.items())
                                                   or "This installation has no copy of docs/lessons/."))
            return
        text = _FILE_LINK.sub(r"\1", lesson.path.read_text(encoding="utf-8"))
        solara.Markdown(text)
