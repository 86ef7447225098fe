"""The pictures of one session's current month: the map and the share chart together (they change
every month), and the affinity chart of the selected state (it also changes with the selection).

A picture is made in two parts: its data, read from the model under the session's lock
(`OverviewData`, `AffinityData`: plain arrays and the world, picklable), and the drawing of that
data (`draw_overview`, `draw_affinity`), which needs only the data and a `Figures` set. The same
drawing runs in this process (`FrameMaker.overview`) or in a render worker (app/renderpool.py), so
both give the same PNG bytes. Figures are built once per world and reused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.alttext import map_alt, share_alt
from app.figures import AffinityChart, MapView, ShareChart, capital_spots
from app.i18n import SOURCE, world_names
from app.session import RunSession
from sim.core.world import World


@dataclass(frozen=True)
class Overview:
    """The month's map and influence-share chart as PNG bytes, and their text alternatives
    (app/alttext.py: the same data in words)."""

    month: int
    map_png: bytes
    share_png: bytes
    map_alt: str = ""
    share_alt: str = ""


@dataclass(frozen=True)
class OverviewData:
    """What the map and the share chart of one month show: the month's affinity (S, P), junta (S,),
    troops (S, P), base owner and co-tenant (K,), and the share history (months + 1, P)."""

    world: World
    lang: str
    month: int
    affinity: np.ndarray
    junta: np.ndarray
    troops: np.ndarray
    base_owner: np.ndarray
    base_co_tenant: np.ndarray
    shares: np.ndarray


@dataclass(frozen=True)
class AffinityData:
    """What one state's affinity chart shows: its affinity history (months + 1, P) and its name."""

    world: World
    lang: str
    history: np.ndarray
    state_name: str


class Figures:
    """The three figures of one world, their texts in `lang` (built once, redrawn with each month's data)."""

    def __init__(self, world: World, lang: str = SOURCE):
        self.map, self.share, self.affinity = MapView(world), ShareChart(world, lang), AffinityChart(world, lang)


def world_key(world: World, lang: str = SOURCE) -> tuple[str, str, str]:
    """Which figures a world's pictures are drawn on: its file, its name and the language."""
    return (str(world.path), world.name, lang)


def draw_overview(data: OverviewData, figures: Figures) -> Overview:
    """The map and share chart PNGs of `data`, drawn on `figures` (built for data.world)."""
    map_png = figures.map.render(data.affinity, data.junta, data.troops, data.base_owner, data.base_co_tenant)
    return Overview(data.month, map_png, figures.share.render(data.shares), map_alt(data), share_alt(data))


def draw_affinity(data: AffinityData, figures: Figures) -> bytes:
    """The affinity chart PNG of `data`, drawn on `figures` (built for data.world)."""
    return figures.affinity.render(data.history, data.state_name)


class FrameMaker:
    """Reads a session's pictures' data, and draws them in this process, their texts in `lang`;
    rebuilds its figures when the session's world changes."""

    def __init__(self, session: RunSession, lang: str = SOURCE):
        self.session = session
        self.lang = lang
        self._world_key: tuple[str, str, str] | None = None
        self._figures: Figures | None = None

    def figures(self) -> Figures:
        """The figures of the session's current world."""
        key = world_key(self.session.world, self.lang)
        if key != self._world_key or self._figures is None:
            self._figures, self._world_key = Figures(self.session.world, self.lang), key
        return self._figures

    def overview_data(self) -> OverviewData:
        """The data of the current month's map and share chart (copies, read under the lock)."""
        with self.session.lock:
            st = self.session.model.state
            return OverviewData(
                self.session.world,
                self.lang,
                self.session.month,
                st.affinity[:, :, 0].copy(),
                st.junta[:, 0].copy(),
                st.troops[:, :, 0].copy(),
                st.base_owner[:, 0].copy(),
                st.base_co_tenant[:, 0].copy(),
                self.session.share_history(),
            )

    def affinity_data(self, state: str) -> AffinityData:
        """The data of one state's affinity chart (a code of the current world)."""
        with self.session.lock:
            world = self.session.world
            return AffinityData(
                world, self.lang, self.session.affinity_history(state), world_names(world, self.lang).states[state]
            )

    def overview(self) -> Overview:
        """The map and the share chart of the current month, drawn in this process."""
        with self.session.lock:
            return draw_overview(self.overview_data(), self.figures())

    def affinity(self, state: str) -> bytes:
        """The affinity chart of one state (a code of the current world), drawn in this process."""
        with self.session.lock:
            return draw_affinity(self.affinity_data(state), self.figures())

    def capitals(self) -> list[tuple[str, float, float]]:
        """Each capital's place on the map picture, in percent (code, left, top): the click targets."""
        with self.session.lock:
            return capital_spots(self.figures().map)
