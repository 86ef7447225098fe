"""No traceback in a page: each page is rendered inside `Guarded`, which catches an error raised
while rendering it or in one of its event handlers, logs it with its traceback on the server and
shows one sentence in the page instead (Solara would show the traceback, server paths and all)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import solara

log = logging.getLogger(__name__)


def message(what: str, exc: BaseException) -> str:
    """The sentence the page shows for an unexpected error: its kind, no detail, no path."""
    return (
        f"{what} met an unexpected error ({type(exc).__name__}). The server's log has the details. "
        f"Start the page again below, or reload it."
    )


@solara.component
def Guarded(page: Callable[[], solara.Element], what: str):
    """`page()`, or, once it has raised, a short message (the traceback goes to the server's log)
    and a button that renders the page again."""
    exc, clear = solara.use_exception()

    def record() -> None:
        if exc is not None:
            log.error("%s: unexpected error", what, exc_info=exc)

    solara.use_effect(record, [exc])
    if exc is None:
        page()
        return
    with solara.Div(classes=["sahel-app"]):
        solara.Error(message(what, exc))
        solara.Button("Start the page again", outlined=True, on_click=clear)


def guarded(page: Callable[[], solara.Element], what: str) -> Callable[[], solara.Element]:
    """A component that renders `page` inside Guarded (for a route)."""

    @solara.component
    def GuardedPage():
        return Guarded(page, what)

    GuardedPage.__name__ = f"Guarded{page.__name__}"
    return GuardedPage
