"""The page's share and keep controls (Solara components): **Copy link**, which also keeps the
tab's address equal to the run's link so that a reload or a shared link restores the run
(app/sharelink.vue), and the **Download** card (the run's tables as CSV, each picture as PNG).
What a link holds is app/share.py; what a download holds is app/downloads.py."""

from __future__ import annotations

from collections.abc import Callable

import solara

from app.downloads import PICTURES, TABLES, file_stem, table_csv
from app.i18n import SOURCE, tr
from app.session import RunSession
from app.settings import scenario_defaults
from app.share import Shared, from_query, problem_message
from sim.core.params import ConfigError
from sim.core.world import WorldError

COPY_HELP = tr("link.help")
PICTURE_LABELS = {"map": "download.map", "share": "chart.share_pick", "affinity": "chart.affinity_pick"}  # messages


def open_link(search: str | None) -> tuple[RunSession, Shared, str]:
    """The run a page address's query string asks for (the default run for none), what it restores,
    and the message for what in it could not be used ('' when all of it was)."""
    shared = from_query(search)
    try:
        session = RunSession(shared.settings)
    except (ConfigError, WorldError) as exc:  # values each legal on their own may still not compose
        shared = Shared(scenario_defaults(), 0, (*shared.problems, f"the settings could not be run ({exc})"))
        session = RunSession(shared.settings)
    return session, shared, problem_message(shared.problems)


@solara.component_vue("sharelink.vue")
def CopyLink(
    query: str,
    tip: str = COPY_HELP,
    copy_label: str = "Copy link",
    copied_label: str = "Link copied",
    link_label: str = "The link to this run",
):
    """The Copy link button (`tip`: its tooltip, read by screen readers as its description); keeps the address
    bar's query equal to `query`. The labels: the button's, the button's once copied, the shown link's."""


@solara.component
def Downloads(session: RunSession, pictures: dict[str, bytes], state: str, lang: str = SOURCE):
    """The run's tables as CSV (made when clicked) and the current pictures as PNG (`pictures`: kind
    of PICTURES -> PNG bytes; `state`: the code of the state the affinity chart shows); texts in `lang`."""
    stem = file_stem(session.settings, session.month)
    with solara.Card(tr("download.card", lang), classes=["sahel-downloads"]):
        solara.Text(tr("download.note", lang, month=session.month), classes=["sahel-note"])
        with solara.Row(classes=["sahel-download-row"]):
            for table in TABLES:
                solara.FileDownload(
                    _lazy(session, table), filename=f"{stem}-{table}.csv", label=f"{table}.csv", mime_type="text/csv"
                )
            for kind in PICTURES:
                if kind in pictures:
                    name = f"{kind}-{state}" if kind == "affinity" else kind
                    solara.FileDownload(
                        pictures[kind],
                        filename=f"{stem}-{name}.png",
                        label=f"{tr(PICTURE_LABELS[kind], lang)} (PNG)",
                        mime_type="image/png",
                    )


def _lazy(session: RunSession, table: str) -> Callable[[], bytes]:
    return lambda: table_csv(session, table)
