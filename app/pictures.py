"""The hook that gives the page its pictures for a month and a selected state.

Without a render pool the pictures are drawn during the page's render, in this process. With one
(app/renderpool.py) the first pictures are drawn by the pool while the page waits, and later ones
are asked of the pool after the render: the page shows the new date at once and the previous
pictures until the new ones arrive; a request overtaken by a newer one before a worker starts it
is dropped, so a tab that plays faster than the pool draws skips pictures instead of queueing them.
The pictures' arrival redraws only the components that show them (`Picture`, `PictureDownloads`),
not the whole live view.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import CancelledError, Future

import solara

from app import renderpool
from app.a11y import AltImage
from app.frames import FrameMaker, Overview
from app.i18n import SOURCE
from app.session import RunSession
from app.sharing import Downloads

log = logging.getLogger(__name__)


def _ask(pool: renderpool.RenderPool, maker: FrameMaker, state: str) -> tuple[Future[Overview], Future[bytes]]:
    return pool.overview(maker.overview_data()), pool.affinity(maker.affinity_data(state))


Pictures = tuple[Overview, bytes]  # the map and share chart, and the affinity chart


def use_pictures(maker: FrameMaker, version: int, state: str) -> tuple[Pictures | None, solara.Reactive]:
    """The map and share chart, and the affinity chart of `state`, for the session's `version`
    (the page's step counter), drawn by `maker` (a new maker, e.g. for another language, redraws):
    (the current ones, drawn now, and an unused reactive) without a pool; (None, a reactive
    holding the newest ones the pool has drawn) with one. Give both to `Picture` and
    `PictureDownloads`."""
    pool = renderpool.current()
    latest = solara.use_ref(0)  # the number of the newest request to the pool
    first_request = solara.use_ref((version, state, maker))

    def first() -> tuple[Overview, bytes] | None:
        if pool is None:
            return None
        overview, affinity = _ask(pool, maker, state)
        return overview.result(), affinity.result()

    drawn = solara.use_reactive(solara.use_memo(first, []))  # the newest pictures from the pool
    here = solara.use_memo(lambda: None if pool else (maker.overview(), maker.affinity(state)), [version, state, maker])

    def request():
        if pool is None or first_request.current == (version, state, maker):
            first_request.current = None  # the first pictures are drawn already
            return None
        latest.current += 1
        token = latest.current
        overview, affinity = _ask(pool, maker, state)

        def deliver() -> None:
            try:
                pictures = (overview.result(), affinity.result())
            except CancelledError:
                return  # overtaken by a newer request before a worker started it
            except Exception:  # a worker that failed: keep the pictures shown, say why in the log
                log.exception("a render worker failed to draw the page's pictures")
                return
            if latest.current == token:
                drawn.set(pictures)

        threading.Thread(target=deliver, daemon=True).start()

        def drop() -> None:
            overview.cancel()
            affinity.cancel()

        return drop

    solara.use_effect(request, [version, state, maker])
    return here, drawn


def _shown(here: Pictures | None, drawn: solara.Reactive) -> dict[str, bytes]:
    overview, affinity = here if here is not None else drawn.value
    return {"map": overview.map_png, "share": overview.share_png, "affinity": affinity}


@solara.component
def Picture(kind: str, here: Pictures | None, drawn: solara.Reactive, alt: str = ""):
    """One picture ("map", "share" or "affinity") of `use_pictures`' answer, with its text
    alternative: the map's and the share chart's come with the pictures (app/alttext.py), the
    affinity chart's is `alt`."""
    overview = here[0] if here is not None else drawn.value[0]
    text = {"map": overview.map_alt, "share": overview.share_alt}.get(kind, alt)
    AltImage(_shown(here, drawn)[kind], text)


@solara.component
def PictureDownloads(
    session: RunSession, here: Pictures | None, drawn: solara.Reactive, state: str, lang: str = SOURCE
):
    """The Download card (app/sharing.py) with the pictures shown now, its texts in `lang`."""
    Downloads(session, _shown(here, drawn), state, lang)
