"""The hook that gives the page its map for a month (the page's only PNG: the two charts are drawn
in the browser from data, app/linechart.py).

Without a render pool the map is drawn during the page's render, in this process. With one
(app/renderpool.py) the first map is drawn by the pool while the page waits, and later ones are
asked of the pool after the render: the page shows the new date (and charts) at once and the
previous map until the new one arrives; a request overtaken by a newer one before a worker starts
it is dropped, so a tab that plays faster than the pool draws skips maps instead of queueing them.
The map's arrival redraws only the components that show it (`MapPicture`, `PictureDownloads`), not
the whole live view.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import CancelledError

import solara

from app import renderpool
from app.a11y import AltImage
from app.frames import FrameMaker, Overview
from app.i18n import SOURCE
from app.session import RunSession
from app.sharing import Downloads

log = logging.getLogger(__name__)


def use_map(maker: FrameMaker, version: int) -> tuple[Overview | None, solara.Reactive]:
    """The map of the session's `version` (the page's step counter), drawn by `maker` (a new maker,
    e.g. for another language, redraws): (the current one, drawn now, and an unused reactive)
    without a pool; (None, a reactive holding the newest one the pool has drawn) with one. Give both
    to `MapPicture` and `PictureDownloads`."""
    pool = renderpool.current()
    latest = solara.use_ref(0)  # the number of the newest request to the pool
    first_request = solara.use_ref((version, maker))

    def first() -> Overview | None:
        return None if pool is None else pool.map(maker.overview_data()).result()

    drawn = solara.use_reactive(solara.use_memo(first, []))  # the newest map from the pool
    here = solara.use_memo(lambda: None if pool else maker.map(), [version, maker])

    def request():
        if pool is None or first_request.current == (version, maker):
            first_request.current = None  # the first map is drawn already
            return None
        latest.current += 1
        token = latest.current
        future = pool.map(maker.overview_data())

        def deliver() -> None:
            try:
                overview = future.result()
            except CancelledError:
                return  # overtaken by a newer request before a worker started it
            except Exception:  # a worker that failed: keep the map shown, say why in the log
                log.exception("a render worker failed to draw the page's map")
                return
            if latest.current == token:
                drawn.set(overview)

        threading.Thread(target=deliver, daemon=True).start()
        return future.cancel

    solara.use_effect(request, [version, maker])
    return here, drawn


@solara.component
def MapPicture(here: Overview | None, drawn: solara.Reactive):
    """The map of `use_map`'s answer, with its text alternative (app/alttext.py)."""
    overview = here if here is not None else drawn.value
    AltImage(overview.map_png, overview.map_alt)


@solara.component
def PictureDownloads(
    session: RunSession,
    maker: FrameMaker,
    here: Overview | None,
    drawn: solara.Reactive,
    state: str,
    lang: str = SOURCE,
):
    """The Download card (app/sharing.py): the map shown now, and the two charts' PNGs drawn by
    `maker` when their download is asked for (not every month); texts in `lang`."""
    overview = here if here is not None else drawn.value
    affinity = solara.use_memo(lambda: lambda: maker.affinity(state), [maker, state])  # one function per state
    Downloads(session, {"map": overview.map_png, "share": maker.share, "affinity": affinity}, state, lang)
