"""The pictures of one session's current month: the map and the share chart together (they change
every month), and the affinity chart of the selected state (it also changes with the selection).

Figures are built once per world and reused; a frame reads the model under the session's lock.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.figures import AffinityChart, MapView, ShareChart, capital_spots
from app.i18n import SOURCE, world_names
from app.session import RunSession


@dataclass(frozen=True)
class Overview:
    """The month's map and influence-share chart as PNG bytes."""

    month: int
    map_png: bytes
    share_png: bytes


class FrameMaker:
    """Draws the pictures of a session, their texts in `lang`; rebuilds its figures when the
    session's world changes."""

    def __init__(self, session: RunSession, lang: str = SOURCE):
        self.session = session
        self.lang = lang
        self._world_key: tuple[str, str] | None = None
        self._map: MapView | None = None
        self._share: ShareChart | None = None
        self._affinity: AffinityChart | None = None

    def _figures(self) -> tuple[MapView, ShareChart, AffinityChart]:
        world = self.session.world
        key = (str(world.path), world.name)
        if key != self._world_key or self._map is None or self._share is None or self._affinity is None:
            self._map = MapView(world)
            self._share, self._affinity = ShareChart(world, self.lang), AffinityChart(world, self.lang)
            self._world_key = key
        return self._map, self._share, self._affinity

    def overview(self) -> Overview:
        """The map and the share chart of the current month."""
        with self.session.lock:
            map_view, share_chart, _ = self._figures()
            st = self.session.model.state
            map_png = map_view.render(st.affinity[:, :, 0], st.junta[:, 0], st.troops[:, :, 0], st.base_owner[:, 0],
                                      st.base_co_tenant[:, 0])
            return Overview(self.session.month, map_png, share_chart.render(self.session.share_history()))

    def affinity(self, state: str) -> bytes:
        """The affinity chart of one state (a code of the current world)."""
        with self.session.lock:
            _, _, chart = self._figures()
            name = world_names(self.session.world, self.lang).states[state]
            return chart.render(self.session.affinity_history(state), name)

    def capitals(self) -> list[tuple[str, float, float]]:
        """Each capital's place on the map picture, in percent (code, left, top): the click targets."""
        with self.session.lock:
            map_view, _, _ = self._figures()
            return capital_spots(map_view)
