"""Many histories at once for the classroom page: N seeds of one setting run together by the
batched driver (`sim.ensemble.run_batch`), and what the lessons say about them: who leads each
state at a month in how many histories, how many histories see each event, the spread of the
influence shares, and the same for two settings side by side.

Plain Python with no Solara in it. Run r of a batch is the history of seed `first_seed + r`, the
same history one run of the page with that seed gives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.metrics import influence_share
from app.i18n import SOURCE, number, tr, world_names
from app.plain import headline_in
from app.session import month_label
from app.settings import Settings, build_config
from sim.core.io import NO_PARTNER
from sim.core.vocabulary import EVENTS, event_label
from sim.core.world import World, load_world, scenario_path
from sim.ensemble import run_batch

HISTORIES = (10, 20, 50, 100)  # the choices the page offers
FAN_QUANTILES = (0.1, 0.5, 0.9)  # the fan chart's band (10th to 90th percentile) and its middle line


@dataclass(frozen=True)
class Ensemble:
    """The histories of one setting: seeds, months, influence shares, leading partners, events."""

    settings: Settings
    world: World
    seeds: tuple[int, ...]
    months: int
    shares: np.ndarray  # (R, months + 1, P) influence share of each power
    leaders: np.ndarray  # (R, months + 1, S) leading partner's code, NO_PARTNER for none
    events: pd.DataFrame  # every event of every history (events table without causes; `run` is the seed)

    @property
    def n(self) -> int:
        """The number of histories."""
        return len(self.seeds)


def run_ensemble(settings: Settings, histories: int, months: int) -> Ensemble:
    """Run `histories` seeds (settings.seed, settings.seed + 1, ...) of these settings for `months`
    months in one batch."""
    cfg = build_config(settings)
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    seeds = tuple(range(settings.seed, settings.seed + histories))
    recorder = run_batch(cfg, list(seeds), run_ids=list(seeds), world=world, steps=months)
    states = recorder.states_table()
    share = influence_share(recorder.ties_table(), states)
    R, T, P, S = len(seeds), months + 1, len(world.powers), len(world.states)
    share = share.assign(
        run_i=share["run"].map({s: i for i, s in enumerate(seeds)}),
        power_i=share["power"].map({p: i for i, p in enumerate(world.powers)}),
    )
    shares = np.zeros((R, T, P))
    shares[share["run_i"].to_numpy(), share["step"].to_numpy(), share["power_i"].to_numpy()] = share["share"]
    leaders = np.full((R, T, S), NO_PARTNER, dtype=object)
    run_i = states["run"].map({s: i for i, s in enumerate(seeds)}).to_numpy()
    state_i = states["state"].map({c: i for i, c in enumerate(world.states)}).to_numpy()
    leaders[run_i, states["step"].to_numpy(), state_i] = states["leading_partner"].astype(str).to_numpy()
    return Ensemble(settings, world, seeds, months, shares, leaders, recorder.events_table(cause=False))


def _name(world: World, code: str, kind: str, lang: str = SOURCE, form: str = "name") -> str:
    """A state's or a power's name in `lang` ('the' form: a sentence's subject), 'no power' for none."""
    named = world_names(world, lang)
    if kind == "state":
        return named.states.get(code, tr("ens.no_power", lang))
    table = named.powers_the if form == "the" else named.powers
    return table.get(code, tr("ens.no_power", lang))


def leader_counts(ens: Ensemble, month: int, state: str) -> dict[str, int]:
    """How many histories each power (or NO_PARTNER) leads `state` in at `month`, most first."""
    s = ens.world.states.index(state)
    codes, counts = np.unique(ens.leaders[:, month, s].astype(str), return_counts=True)
    return dict(sorted(zip(codes.tolist(), counts.tolist(), strict=True), key=lambda kv: (-kv[1], kv[0])))


def when(ens: Ensemble, month: int, lang: str = SOURCE) -> str:
    """'month 36 (May 2027)'."""
    return tr("ens.when", lang, month=month, date=month_label(ens.world.date_of(month), lang))


def leader_sentence(ens: Ensemble, month: int, state: str, lang: str = SOURCE) -> str:
    """'In 8 of 10 histories Russia leads Niger at month 36 (May 2027); China in 2.'"""
    counts = leader_counts(ens, month, state)
    (first, k), *rest = counts.items()
    name = _name(ens.world, state, "state", lang)
    others = "".join(
        tr("ens.sep", lang) + tr("ens.leader_other", lang, power=_name(ens.world, p, "power", lang, "the"), k=c)
        for p, c in rest
    )
    values = {"k": k, "n": ens.n, "state": name, "when": when(ens, month, lang), "others": others}
    if first == NO_PARTNER:
        return tr("ens.leader_none", lang, **values)
    return tr("ens.leader", lang, power=_name(ens.world, first, "power", lang, "the"), **values)


def event_histories(ens: Ensemble, month: int | None = None) -> pd.DataFrame:
    """For each (state, type, power, bloc, base) the number of histories with at least one such event up to
    `month` (default: the last), and the number of events; most histories first."""
    ev = ens.events if month is None else ens.events[ens.events["step"] <= month]
    keys = ["state", "type", "power", "bloc", "base"]
    cols = [*keys, "histories", "events"]
    if ev.empty:
        return pd.DataFrame(columns=cols)
    grouped = ev.groupby(keys, observed=True)
    out = pd.DataFrame({"histories": grouped["run"].nunique(), "events": grouped.size()}).reset_index()
    return out.sort_values(
        ["histories", "events", "state", "type"], ascending=[False, False, True, True], ignore_index=True
    )[cols]


def event_sentence(ens: Ensemble, row: pd.Series, month: int | None = None, lang: str = SOURCE) -> str:
    """'In 8 of 10 histories Niger has a coup attempt (15 in all) by month 36 (May 2027).'"""
    kind = EVENTS.get(row["type"])
    names = {
        "state": _name(ens.world, row["state"], "state") if row["state"] else "",
        "power": _name(ens.world, row["power"], "power") if row["power"] else "",
        "bloc": row["bloc"],
        "base": row["base"] or "a base",
    }
    what = kind.headline.format(**names) if kind else f"{names['state']}: {event_label(row['type'])}"
    if lang != SOURCE:
        codes = {"state": row["state"], "power": row["power"], "bloc": row["bloc"], "base": row["base"]}
        what = headline_in(lang, row["type"], what, codes, world_names(ens.world, lang))
    last = ens.months if month is None else month
    unit = tr("ens.event_one" if row["events"] == 1 else "ens.event_many", lang)
    return tr(
        "ens.event",
        lang,
        k=row["histories"],
        n=ens.n,
        what=what,
        count=row["events"],
        unit=unit,
        when=when(ens, last, lang),
    )


def share_quantiles(ens: Ensemble) -> np.ndarray:
    """(len(FAN_QUANTILES), months + 1, P) quantiles of each power's share over the histories."""
    return np.quantile(ens.shares, FAN_QUANTILES, axis=0)


def share_sentence(ens: Ensemble, month: int, lang: str = SOURCE) -> str:
    """'At month 36 (May 2027) the median influence shares: China 0.28 (0.25 to 0.30), ...' (the
    10th to 90th percentile in brackets), largest first."""
    q = np.quantile(ens.shares[:, month, :], FAN_QUANTILES, axis=0)
    order = np.argsort(-q[1], kind="stable")
    powers = world_names(ens.world, lang).powers
    parts = [
        tr(
            "ens.share_part",
            lang,
            power=powers[ens.world.powers[p]],
            median=number(q[1, p], ".2f", lang),
            low=number(q[0, p], ".2f", lang),
            high=number(q[2, p], ".2f", lang),
        )
        for p in order
    ]
    return tr("ens.share", lang, when=when(ens, month, lang), parts=", ".join(parts))


def summary(ens: Ensemble, month: int, state: str, top_events: int = 8, lang: str = SOURCE) -> list[str]:
    """The sentences the page shows for one setting: who leads the selected state, the shares, and
    the events most histories of the selected state share (up to `month`), in `lang`."""
    events = event_histories(ens, month)
    mine = events[events["state"] == state].head(top_events)
    return [
        leader_sentence(ens, month, state, lang),
        share_sentence(ens, month, lang),
        *[event_sentence(ens, row, month, lang) for _, row in mine.iterrows()],
    ]


def leader_table(ens: Ensemble, month: int, lang: str = SOURCE) -> list[tuple[str, str]]:
    """Every state with its leaders at `month` ('Russia 8, China 2'), in the world's state order."""
    named = world_names(ens.world, lang)
    rows = []
    for code in ens.world.states:
        counts = leader_counts(ens, month, code)
        rows.append(
            (
                named.states[code],
                ", ".join(f"{named.powers.get(p, tr('facts.none', lang))} {c}" for p, c in counts.items()),
            )
        )
    return rows


def event_matrix(ens: Ensemble, month: int | None = None) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """The share of histories with each event type per state, up to `month`: the event types that
    occur (in words, catalogue order) and one row per state of counts of histories."""
    ev = ens.events if month is None else ens.events[ens.events["step"] <= month]
    ev = ev[ev["state"] != ""]
    kinds = [t for t in EVENTS if t in set(ev["type"])]
    counts = ev.groupby(["state", "type"], observed=True)["run"].nunique()
    rows = [
        (name, [int(counts.get((code, t), 0)) for t in kinds])
        for code, name in zip(ens.world.states, ens.world.state_names, strict=True)
    ]
    return [event_label(t) for t in kinds], rows
