"""The lesson plans of docs/lessons/ as pages of the app (/lessons/1, /lessons/2, ...), so the
Info panel's links work offline on a classroom server. Each lesson opens in its own tab; links
inside a lesson to other project documents are shown as text (the app serves no other files).
`?lang=fr` shows a lesson's translation (docs/lessons/fr/) where there is one; the page's `lang`
attribute is the language the lesson is shown in."""

from __future__ import annotations

import re

import solara

from app.a11y import PageAccessibility
from app.explain import lessons
from app.i18n import lang_from_query, tr

#: a Markdown link to another file of the repository: '[text](../model.md#7)' -> 'text'
_FILE_LINK = re.compile(r"\[([^\]]+)\]\((?!https?:)[^)]*\)")


def lesson_routes() -> list[solara.Route]:
    """One child route per lesson plan found."""
    return [solara.Route(path=str(lesson.number), label=f"Lesson {lesson.number}") for lesson in lessons()]


@solara.component
def LessonPage():
    """The lesson plan named by the address (in the address's language where it has a
    translation), or the list of lessons."""
    router = solara.use_router()
    lang = lang_from_query(router.search)
    found = {str(lesson.number): lesson for lesson in lessons(lang)}
    route, _ = solara.use_route()
    solara.Title(tr("lessons.title", lang))
    # the address's last part where the route does not match it (an address with a query string)
    lesson = found.get(route.path if route is not None else "") or found.get(router.parts[-1] if router.parts else "")
    shown = lesson.lang if lesson is not None else lang  # a lesson without a translation is in English
    PageAccessibility(lang=shown)  # <html lang>: a screen reader reads the lesson in its language
    with solara.Div(classes=["sahel-app", "sahel-lesson"], attributes={"lang": shown}):
        if lesson is None:
            solara.Markdown(
                f"# {tr('lessons.heading', lang)}\n\n"
                + (
                    "\n".join(
                        f"- [{tr('info.lesson_link', lang, number=n, title=x.title)}](/lessons/{n}"
                        f"{'' if x.lang == 'en' else '?lang=' + x.lang})"
                        for n, x in found.items()
                    )
                    or tr("info.no_lessons", lang)
                )
            )
            return
        text = _FILE_LINK.sub(r"\1", lesson.path.read_text(encoding="utf-8"))
        solara.Markdown(text)
