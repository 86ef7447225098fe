"""Briefs after a turn: for each team one offline HTML page of what it can see (its own moves and
their effects, the public events with their causes, the states' stances towards it, its position
for the next turn, its objectives and their scores, the white cell's narrative injects), and a
facilitator page with everything. Turn 0 gives the opening briefs.

Charts are drawn once per turn and reused: a chart that several pages show (the influence shares of
every power, the region map) is drawn once for all of them, and every drawn chart is kept in
GAME_DIR/briefs/.figures/ under the fingerprint of the replayed state, so writing a turn's briefs
again (the briefs command, a rerun of adjudicate) draws nothing while the history is unchanged."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.colors import power_label
from analysis.metrics import influence_share
from sim.core.vocabulary import CHANNELS, COST_TERMS, TERM_LABELS, TERMS, event_label
from sim.core.world import SCENARIO_DIR, World
from workshop import figures
from workshop import html as H
from workshop.adjudicate import Replay, TurnResult, replay
from workshop.game import Game, write_atomic
from workshop.moves import Action, Situation
from workshop.objectives import Score, Tables, scores
from workshop.teams import Team

FIGURE_DIR = ".figures"


@dataclass
class FigureCache:
    """Charts of one replayed history as HTML, drawn at most once: in memory, and on disk under
    `folder` with the history's fingerprint in the file name (None: memory only)."""

    fingerprint: str
    folder: Path | None = None
    drawn: dict[str, str] = field(default_factory=dict)
    draws: int = 0  # charts actually drawn (for tests and timings)

    def get(self, name: str, draw: Callable[[], object], caption: str) -> str:
        """The chart `name` with its caption; `draw` makes its Figure when it is not kept already."""
        key = f"{name}-{self.fingerprint[:24]}"
        if key in self.drawn:
            return self.drawn[key]
        path = self.folder / f"{key}.html" if self.folder is not None else None
        if path is not None and path.is_file():
            html = path.read_text(encoding="utf-8")
        else:
            html = H.figure(draw(), caption)
            self.draws += 1
            if path is not None:
                write_atomic(path, html)
        self.drawn[key] = html
        return html

    def prune(self, prefix: str) -> None:
        """Remove kept charts named `prefix`... that this cache did not use (an earlier roll's)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.glob(f"{prefix}*.html"):
            if path.stem not in self.drawn:
                path.unlink(missing_ok=True)


OUTLINES = SCENARIO_DIR / "africa_countries.geojson"


def month_name(date: str) -> str:
    """'2024-08' -> 'Aug 2024'."""
    year, month = date.split("-")[:2]
    return f"{calendar.month_abbr[int(month)]} {year}"


@dataclass
class View:
    """A replay's tables up to the end of one turn, with what every brief needs."""

    game: Game
    world: World
    turn: int
    result: TurnResult | None  # None for the opening briefs (turn 0)
    states: pd.DataFrame
    ties: pd.DataFrame
    events: pd.DataFrame
    bases: pd.DataFrame
    shares: pd.DataFrame
    start: int  # first step shown as "start of turn" (the month before the turn)
    end: int
    after: Situation  # the position at the end of the turn, for the next one
    figures: FigureCache = field(default_factory=lambda: FigureCache(""))

    def chart(self, name: str, draw: Callable[[], object], caption: str) -> str:
        """A chart of this view, drawn once and reused (FigureCache)."""
        return self.figures.get(f"t{self.turn:02d}-{name}", draw, caption)

    def scores(self, team: Team) -> list[Score]:
        """The team's objectives scored at the end of every turn so far (none at the opening)."""
        tables = Tables(self.states, self.ties, self.bases, self.events)
        objectives = self.game.objectives.get(team.name, [])
        return [
            sc for t in range(1, self.turn + 1) for sc in scores(team, objectives, tables, t, self.game.steps_of(t)[1])
        ]

    def affinity(self, step: int) -> np.ndarray:
        """(S, P) affinity at a step, in the world's order."""
        t = self.ties.loc[self.ties["step"] == step]
        return (
            t.pivot(index="state", columns="power", values="affinity")
            .loc[self.world.states, self.world.powers]
            .to_numpy()
        )

    def boundaries(self) -> list[tuple[str, str]]:
        return [(self.world.date_of(self.game.steps_of(t)[0]), f"T{t}") for t in range(1, self.turn + 1)]

    def label(self, step: int) -> str:
        """'Aug 2024': the month a step's state closes."""
        return month_name(self.world.date_of(step))

    def period(self) -> str:
        if self.result is None:
            return f"the opening situation ({self.label(0)})"
        return (
            f"turn {self.turn} of {self.game.settings.turns} ({self.label(self.result.first_step)} to "
            f"{self.label(self.result.last_step)})"
        )


def build_view(rp: Replay, turn: int, figure_dir: Path | None = None) -> View:
    """Tables of a recorded replay that stands at the end of `turn` (0 = the start); figure_dir: where
    drawn charts are kept for reuse (None: not kept)."""
    rec = rp.simulation.recorder
    if rec is None:
        raise ValueError("the replay was not recorded")
    game, world = rp.game, rp.simulation.world
    states, ties = rec.states_table(), rec.ties_table()
    result = rp.results[turn - 1] if turn > 0 else None
    end = result.last_step if result else 0
    start = result.first_step - 1 if result else 0
    after = Situation.at(
        rp.simulation.state,
        world,
        turn + 1,
        game.settings.turn_months,
        game.settings.turns,
        game.config().hazards.deploy_size,
        game.config().players,
    )
    return View(
        game=game,
        world=world,
        turn=turn,
        result=result,
        states=states,
        ties=ties,
        events=rec.events_table(),
        bases=rec.bases_table(),
        shares=influence_share(ties, states),
        start=start,
        end=end,
        after=after,
        figures=FigureCache(rp.simulation.fingerprint(), figure_dir),
    )


# ---------------------------------------------------------------- shared sections


def _turn_events(v: View) -> pd.DataFrame:
    if v.result is None:
        return v.events.iloc[0:0]
    ev = v.events
    return ev.loc[(ev["step"] >= v.result.first_step) & (ev["step"] <= v.result.last_step)]


def events_section(v: View, title: str = "Public events this turn") -> str:
    ev = _turn_events(v)
    names = dict(zip(v.world.states, v.world.state_names, strict=True))
    rows = [
        [r.date, event_label(r.type), names.get(r.state, r.state), r.power or r.bloc or "", r.cause]
        for r in ev.itertuples()
    ]
    intro = H.para(
        "Every event is public. Events decided by a team or set by the facilitator say so in their "
        "cause; the rest follow from the model's rules."
    )
    return H.section(
        title, intro, H.table(["month", "event", "state", "power or bloc", "cause"], rows, empty="No events this turn.")
    )


def objectives_section(v: View, team: Team) -> str:
    """The team's objectives and, after a turn, their scores turn by turn (0 missed to 1 met)."""
    objectives = v.game.objectives.get(team.name, [])
    if not objectives:
        return ""
    listed = H.bullets([o.describe(team.kind) for o in objectives])
    got = v.scores(team)
    if not got:
        return H.section(
            "Your objectives", listed, H.para("Each is scored from 0 (missed) to 1 (met) at the end of every turn.")
        )
    rows = [[sc.turn, sc.objective.key, sc.value, sc.detail] for sc in got]
    last = [sc.value for sc in got if sc.turn == v.turn]
    return H.section(
        "Your objectives",
        listed,
        H.para(f"Score this turn: {sum(last) / len(last):.2f} (the mean of the objectives, 0 to 1)."),
        H.table(["turn", "objective", "score", "count"], rows),
    )


def narratives_section(v: View) -> str:
    """The white cell's narrative injects of the turn: context for the teams, no effect on the model."""
    texts = [n.text for n in v.game.narratives if n.turn == v.turn]
    if not texts:
        return ""
    return H.section(
        "News from the white cell",
        H.bullets(texts),
        H.para("Set by the facilitator as context; the model does not act on it.", "note"),
    )


def _effects(v: View, team: Team, actions: list[Action]) -> list[str]:
    """Each decision and what came of it in the record of events."""
    ev = _turn_events(v)
    w = v.world
    out = []
    for a in actions:
        kinds = {a.type} | ({"base_handover"} if a.base >= 0 else set())
        hits = ev.loc[(ev["step"] == a.step) & ev["type"].isin(kinds) & (ev["state"] == w.states[a.state])]
        if a.power >= 0:
            hits = hits.loc[(hits["power"] == w.powers[a.power]) | (hits["type"] == "base_handover")]
        if a.bloc >= 0:
            hits = hits.loc[hits["bloc"] == w.blocs[a.bloc]]
        done = "; ".join(dict.fromkeys(hits["cause"])) if len(hits) else "no effect: the situation had changed"
        out.append(f"{a.what} ({w.date_of(a.step)}): {done}")
    return out


def _reasons(v: View, s: str, p: str) -> tuple[str, str]:
    """The strongest term for and against a power in a state at the end, relative to the other powers."""
    t = v.ties.loc[(v.ties["step"] == v.end) & (v.ties["state"] == s)].set_index("power")
    terms = t[[f"term_{n}" for n in TERMS]]
    rel = (terms - terms.mean(axis=0)).loc[p]
    best, worst = rel.idxmax(), rel.idxmin()

    def label(k: str) -> str:  # as sim.core.explain words it: a cost below the others' is a "low" cost
        term = k.removeprefix("term_")
        cost = term in COST_TERMS
        prefix = ("low " if cost else "") if rel[k] > 0 else ("" if cost else "weak ")
        return f"{prefix}{TERM_LABELS[term]} {rel[k]:+.2f}"

    return (label(best) if rel[best] > 0 else "none"), (label(worst) if rel[worst] < 0 else "none")


def _moves_section(v: View, team: Team) -> str:
    if v.result is None:
        return ""
    move = v.result.moves.get(team.name)
    if move is None:
        return H.section(
            "Your moves this turn", H.para("You submitted no moves: the scenario's policy played for you this turn.")
        )
    parts = [H.bullets(move.summary(v.world), empty="Your file held no moves: the scenario's policy played for you.")]
    if move.note:
        parts.append(H.para(f"Your note: {move.note}"))
    if move.actions:
        parts += [H.para("What came of each decision:"), H.bullets(_effects(v, team, move.actions))]
    if move.warnings:
        parts += [
            H.para("Warnings given when the moves were accepted:", "note"),
            H.bullets([w.message for w in move.warnings]),
        ]
    return H.section("Your moves this turn and their effects", *parts)


def _header(v: View) -> str:
    g = v.game
    nxt = ""
    if v.turn < g.settings.turns:
        first, last = g.steps_of(v.turn + 1)
        nxt = (
            f"Next: moves for turn {v.turn + 1} ({v.world.date_of(first)} to {v.world.date_of(last)}) are due; "
            f"write them as a move file (docs/workshop.md)."
        )
    else:
        nxt = "This was the last turn: the debrief follows."
    return H.para(nxt, "box")


# ---------------------------------------------------------------- team briefs


def _power_brief(v: View, team: Team) -> list[str]:
    w, sit = v.world, v.after
    p = w.powers.index(team.power)
    start, end = v.affinity(v.start)[:, p], v.affinity(v.end)[:, p]
    share = v.shares.loc[v.shares["power"] == team.power]
    s0 = float(share.loc[share["step"] == v.start, "share"].iloc[0])
    s1 = float(share.loc[share["step"] == v.end, "share"].iloc[0])
    if v.result is None:  # the opening: where things stand, no change yet
        header = ["state", "affinity"]
        rows = [[w.state_names[s], float(end[s])] for s in np.argsort(-end)]

        def chart() -> object:
            return figures.stance_chart(
                w.state_names,
                None,
                end,
                team.power,
                f"Affinity of each government to {power_label(team.power)} in {v.label(v.end)}",
                "",
                v.label(v.end),
            )

        share_text = f"Your influence share (population-weighted share of positive affinity): {s1:.1%}."
    else:
        header = ["state", "affinity start", "affinity end", "change", "strongest for you", "strongest against you"]
        rows = []
        for s in np.argsort(start - end):
            good, bad = _reasons(v, w.states[s], team.power)
            rows.append([w.state_names[s], float(start[s]), float(end[s]), float(end[s] - start[s]), good, bad])

        def chart() -> object:
            return figures.stance_chart(
                w.state_names,
                start,
                end,
                team.power,
                f"Affinity of each government to {power_label(team.power)}\nat {v.label(v.start)} and {v.label(v.end)}",
                v.label(v.start),
                v.label(v.end),
            )

        share_text = (
            f"Your influence share (population-weighted share of positive affinity): {s0:.1%} at "
            f"{v.label(v.start)}, {s1:.1%} at {v.label(v.end)}."
        )
    out = [
        H.section(
            f"How the states lean towards {w.power_names[p]}",
            H.para(share_text),
            v.chart(
                f"stance-{team.name}",
                chart,
                "Each state's affinity to you: hollow at the start of the turn, filled at its end.",
            ),
            _share_chart(v),
            H.para(
                "Reasons are the incentive terms (weighted) on which you beat or trail the average power in that "
                "state at the end of the turn."
                if v.result
                else ""
            ),
            H.table(header, rows),
        )
    ]
    t_end = v.ties.loc[(v.ties["step"] == v.end) & (v.ties["power"] == team.power)].set_index("state")
    flows = [
        [
            w.state_names[s],
            float(t_end.loc[c, "aid_security_usd_m"]),
            float(t_end.loc[c, "aid_economic_usd_m"]),
            float(t_end.loc[c, "info_ops_usd_m"]),
            bool(t_end.loc[c, "aid_suspended"]),
        ]
        for s, c in enumerate(w.states)
        if t_end.loc[c, ["aid_security_usd_m", "aid_economic_usd_m", "info_ops_usd_m"]].sum() > 0.005
    ]
    budget = w.budget_usd_m[p]
    forces = [
        [w.state_names[s], int(round(sit.troops[s, p])), "withdrawing" if sit.withdrawing[s, p] else "in place"]
        for s in np.nonzero(sit.troops[:, p] > 0)[0]
    ]
    bases = [
        [w.base_names[k], w.state_names[w.base_state[k]], "holds" if sit.base_owner[k] == p else "shares"]
        for k in range(len(w.base_names))
        if p in (sit.base_owner[k], sit.base_co_tenant[k])
    ]
    closed = [w.state_names[s] for s in np.nonzero(sit.expelled[:, p])[0]]
    suspended = [w.state_names[s] for s in np.nonzero(sit.aid_suspended[:, p])[0]]
    out.append(
        H.section(
            "Your position for the next turn",
            H.para(
                "Monthly budget (US$ m): "
                + ", ".join(f"{c} {b:g}" for c, b in zip(CHANNELS, budget, strict=True))
                + f". Troops: {w.troops_deployable[p]:g} deployable, {sit.troops[:, p].sum():g} deployed, "
                f"{max(sit.available(p), 0):g} available."
            ),
            H.para("Money flowing at the end of the turn (US$ m per month):"),
            H.table(
                ["state", "security", "economic", "information", "aid suspended"], flows, empty="No money flowing."
            ),
            H.table(["forces in", "troops", "status"], forces, empty="No forces deployed."),
            H.table(["base", "state", "you"], bases, empty="No bases held or shared."),
            H.para(
                f"Doors closed to your forces (expelled): {', '.join(closed) or 'none'}. Aid suspended: "
                f"{', '.join(suspended) or 'none'}."
            ),
        )
    )
    return out


def _government_brief(v: View, team: Team) -> list[str]:
    w, sit = v.world, v.after
    idx = [w.states.index(s) for s in team.states]
    names = dict(zip(w.states, w.state_names, strict=True))
    a0, a1 = v.affinity(v.start), v.affinity(v.end)
    st_end = v.states.loc[v.states["step"] == v.end].set_index("state")
    rows = []
    header = ["state", "power", "affinity start", "affinity end", "change", "strongest for it", "strongest against it"]
    for s in idx:
        for p, code in enumerate(w.powers):
            if v.result is None:
                rows.append([w.state_names[s], power_label(code), float(a1[s, p])])
                continue
            good, bad = _reasons(v, w.states[s], code)
            rows.append(
                [
                    w.state_names[s],
                    power_label(code),
                    float(a0[s, p]),
                    float(a1[s, p]),
                    float(a1[s, p] - a0[s, p]),
                    good,
                    bad,
                ]
            )
    if v.result is None:
        header = ["state", "power", "affinity"]
    status = []
    for s in idx:
        r = st_end.loc[w.states[s]]
        hosted = (
            ", ".join(
                f"{w.powers[p]} {sit.troops[s, p]:g}" + (" (leaving)" if sit.withdrawing[s, p] else "")
                for p in np.nonzero(sit.troops[s] > 0)[0]
            )
            or "none"
        )
        blocs = (
            ", ".join(
                w.blocs[b] + (" (sanctioning you)" if sit.sanctioned[s, b] else "")
                for b in np.nonzero(sit.member[s])[0]
            )
            or "none"
        )
        expelled = ", ".join(w.powers[p] for p in np.nonzero(sit.expelled[s])[0]) or "none"
        invited = ", ".join(w.powers[p] for p in np.nonzero(sit.invited[s])[0]) or "none"
        status.append(
            [
                w.state_names[s],
                r["regime"],
                float(r["legitimacy"]),
                float(r["insurgency"]),
                r["leading_partner"],
                hosted,
                blocs,
                expelled,
                invited,
            ]
        )
    ties = v.ties.loc[v.ties["state"].isin(team.states)]
    timetables = [
        f"{w.state_names[e.state]}: civilian rule from {month_name(w.date_of(e.step))}"
        for e in w.scripted
        if e.type == "transition" and e.step > v.end and w.states[e.state] in team.states
    ]
    return [
        H.section(
            "Your governments' stances towards the powers",
            v.chart(
                f"panels-{team.name}",
                lambda: figures.affinity_panels(
                    ties,
                    team.states,
                    names,
                    f"Affinity of the governments of team {team.name} to each power since {v.label(0)}",
                    v.boundaries(),
                ),
                "Each panel is one of your states; dotted lines mark the start of each turn.",
            ),
            H.para(
                "The model moves your governments' affinity by the incentives each power offers; reasons "
                "are the weighted terms on which a power beats or trails the average power."
            ),
            H.table(header, rows),
        ),
        H.section(
            "Your states at the end of the turn",
            v.chart(
                f"status-{team.name}",
                lambda: figures.status_lines(
                    v.states,
                    team.states,
                    names,
                    f"Legitimacy and insurgent threat in team {team.name}'s states",
                    v.boundaries(),
                ),
                "Legitimacy of the government and combined insurgent threat, both 0 to 1.",
            ),
            H.table(
                [
                    "state",
                    "regime",
                    "legitimacy",
                    "insurgency",
                    "leading partner",
                    "foreign forces",
                    "blocs",
                    "expelled",
                    "invited",
                ],
                status,
            ),
            H.para("Transitions announced and still to come: " + ("; ".join(timetables) or "none") + "."),
        ),
    ]


def _bloc_brief(v: View, team: Team) -> list[str]:
    w, sit = v.world, v.after
    b = w.blocs.index(team.bloc)
    st_end = v.states.loc[v.states["step"] == v.end].set_index("state")
    rows = [
        [
            w.state_names[s],
            bool(sit.member[s, b]),
            st_end.loc[w.states[s], "regime"],
            bool(sit.sanctioned[s, b]),
            float(st_end.loc[w.states[s], "legitimacy"]),
            st_end.loc[w.states[s], "leading_partner"],
        ]
        for s in range(len(w.states))
        if sit.member[s, b] or sit.sanctioned[s, b]
    ]
    left = _turn_events(v)
    left = left.loc[(left["bloc"] == team.bloc) & left["type"].isin(["bloc_leave", "bloc_join"])]
    return [
        H.section(
            f"{w.bloc_names[b]}: members and sanctions",
            v.chart(
                f"bloc-{team.name}",
                lambda: figures.bloc_counts(
                    v.states, team.bloc, f"Members of {team.bloc} since {v.label(0)}", v.boundaries()
                ),
                "Members, members ruled by juntas, members under sanctions.",
            ),
            H.table(["state", "member", "regime", f"sanctioned by {team.bloc}", "legitimacy", "leading partner"], rows),
            H.para("Membership changes this turn: " + ("; ".join(left["cause"]) if len(left) else "none") + "."),
        )
    ]


def _share_chart(v: View) -> str:
    """Every power's influence share since the start: public, drawn once per turn for every brief."""
    return v.chart(
        "shares",
        lambda: figures.share_lines(
            v.shares, f"Influence share of each power since {v.label(0)}", boundaries=v.boundaries()
        ),
        "Population-weighted share of positive affinity; dotted lines mark the start of each turn.",
    )


def _region_map(v: View) -> str:
    """The region map (leading partners, juntas, bases): public, drawn once per turn for every brief."""
    from analysis.figures import read_outlines
    from analysis.plots import region_map
    from sim.core.io import borders_table

    def draw() -> object:
        outlines = read_outlines(OUTLINES) if OUTLINES.exists() else None
        return region_map(
            v.states,
            v.bases,
            borders_table(v.world),
            v.end,
            outlines,
            title=f"The region at the end of turn {v.turn}" if v.turn else "The region at the start",
        )

    return v.chart("map", draw, "Countries tinted by leading partner, juntas hatched and ringed, bases by owner.")


def team_brief(v: View, team: Team) -> str:
    """One team's page."""
    body = [_header(v), narratives_section(v), objectives_section(v, team), _moves_section(v, team)]
    body += {"power": _power_brief, "government": _government_brief, "bloc": _bloc_brief}[team.kind](v, team)
    body.append(H.section("The region", _region_map(v)))
    if v.result is not None:
        body.append(events_section(v))
    return H.page(
        f"Brief for team {team.describe(v.world)}",
        f"{v.period()[:1].upper() + v.period()[1:]}; scenario "
        f"{v.game.settings.scenario}. Other teams' moves and allocations are not shown.",
        body,
    )


# ---------------------------------------------------------------- the facilitator's view


def facilitator_brief(v: View) -> str:
    """Everything: all teams' moves, injects, every power's share, the map, every affinity, every event."""
    w = v.world
    body = [_header(v), narratives_section(v)]
    if v.result is not None:
        moves = []
        for t in v.game.teams:
            m = v.result.moves.get(t.name)
            lines = (m.summary(w) or ["no moves"]) if m else ["nothing submitted: the scenario's policy played"]
            note = f" Note: {m.note}" if m and m.note else ""
            moves.append(H.para(f"{t.describe(w)}:{note}") + H.bullets(lines))
            if m and m.warnings:
                moves.append(H.bullets([f"warning: {x.message}" for x in m.warnings]))
        injects = [
            f"{event_label(i.type)} in {i.state}" + (f" ({i.power or i.bloc})" if i.power or i.bloc else "")
            for i in v.result.injects
        ]
        body.append(
            H.section(
                "Moves and injects of the turn",
                *moves,
                H.para("Facilitator injects:"),
                H.bullets(injects),
                H.para("The white cell:"),
                H.bullets(white_cell(v)),
            )
        )
    body.append(
        H.section(
            "Objectives and scores",
            H.table(
                ["team", "turn", "objective", "score", "count"],
                [
                    [t.name, sc.turn, sc.objective.describe(t.kind), sc.value, sc.detail]
                    for t in v.game.teams
                    for sc in v.scores(t)
                ],
                empty="Scores follow the first turn.",
            ),
        )
    )
    body.append(
        H.section(
            "Influence and alignment",
            _share_chart(v),
            v.chart(
                "heat",
                lambda: figures.affinity_heat(
                    w.states,
                    w.powers,
                    v.affinity(v.start),
                    v.affinity(v.end),
                    f"Affinity at {v.label(v.end)} (change since {v.label(v.start)})",
                ),
                "Each government's affinity to each power, with its change over the turn.",
            ),
            _region_map(v),
        )
    )
    if v.result is not None:
        body.append(events_section(v, "All events this turn"))
    return H.page(
        f"Facilitator brief: {v.period()}",
        f"Scenario {v.game.settings.scenario}; teams: " + ", ".join(t.describe(w) for t in v.game.teams),
        body,
    )


def white_cell(v: View) -> list[str]:
    """The white cell's record for the turn in words: its seed if re-rolled, vetoes, shocks from it on."""
    out = []
    rec = v.game.turns[v.turn - 1] if 0 < v.turn <= len(v.game.turns) else None
    if rec is not None and rec.seed is not None:
        out.append(
            f"re-rolled: its months drew from seed {rec.seed} (earlier rolls: {', '.join(map(str, rec.rerolled_from))})"
        )
    for x in rec.vetoes if rec else []:
        how = (
            f"stands (a rule's event); countered by {event_label(x.counter)} the month after"
            if x.counter
            else "not applied (a scripted event)"
        )
        out.append(
            f"veto of the {event_label(x.type)} in {x.state} ({v.world.date_of(x.step)}): {how}"
            + (f"; reason: {x.note}" if x.note else "")
        )
    out += [
        f"shock from turn {x.turn}: {x.key} {'+' if x.op == '+' and x.value >= 0 else ''}"
        f"{'' if x.op == '+' else '= '}{x.value:g}"
        for x in v.game.shocks
        if x.turn <= v.turn
    ]
    return out or ["nothing this turn"]


# ---------------------------------------------------------------- the projector's view


def forces_section(v: View) -> str:
    """Public: each state's leading partner and regime, the foreign forces it hosts and its bases."""
    w = v.world
    st = v.states.loc[v.states["step"] == v.end].set_index("state")
    ties = v.ties.loc[(v.ties["step"] == v.end) & (v.ties["troops"] > 0)]
    bases = v.bases.loc[v.bases["step"] == v.end]
    rows = []
    for code, name in zip(w.states, w.state_names, strict=True):
        forces = ", ".join(
            f"{power_label(r.power)} {r.troops:,.0f}"
            for r in ties.loc[ties["state"] == code].sort_values("troops", ascending=False).itertuples()
        )
        held = ", ".join(
            f"{b.base} ({b.owner}{' with ' + b.co_tenant if b.co_tenant else ''})"
            for b in bases.loc[bases["state"] == code].itertuples()
        )
        row = st.loc[code]
        rows.append([name, row["leading_partner"] or "none", row["regime"], forces or "none", held or "none"])
    return H.section(
        f"Forces and bases at the end of {v.label(v.end)}",
        H.table(["state", "leading partner", "regime", "foreign forces (troops)", "bases (held by)"], rows),
    )


def shares_table(v: View) -> str:
    """Public: every power's influence share at the start of the game and now."""
    s = v.shares
    rows = [
        [
            power_label(p),
            f"{float(s.loc[(s['step'] == 0) & (s['power'] == p), 'share'].iloc[0]):.1%}",
            f"{float(s.loc[(s['step'] == v.end) & (s['power'] == p), 'share'].iloc[0]):.1%}",
        ]
        for p in v.world.powers
    ]
    return H.table(["power", f"share {v.label(0)}", f"share {v.label(v.end)}"], rows)


def projector_page(v: View) -> str:
    """The public page for the room's screen: the turn, the white cell's news, the map, the influence
    shares, the forces and bases, the turn's public events. No team's moves, notes or objectives, and
    nothing of the facilitator's brief."""
    body = [
        H.para(f"Now: {v.period()}. " + ("" if v.turn < v.game.settings.turns else "That was the last turn."), "box"),
        narratives_section(v),
        H.section("The region", _region_map(v)),
        H.section("Influence", _share_chart(v), shares_table(v)),
        forces_section(v),
    ]
    if v.result is not None:
        body.append(events_section(v))
    return H.page(
        f"The Sahel, {v.period()}",
        f"Scenario {v.game.settings.scenario}; teams: "
        + ", ".join(t.name for t in v.game.teams)
        + ". Public information only.",
        body,
    )


PROJECTOR_FILE = "projector.html"


def write_briefs(rp: Replay, turn: int, out_dir: Path) -> list[Path]:
    """Write TEAM.html for every team, facilitator.html and the public projector.html into out_dir;
    returns the paths. Charts are kept in out_dir/../.figures for reuse while the replayed history is
    the same."""
    v = build_view(rp, turn, out_dir.parent / FIGURE_DIR)
    paths = []
    for team in v.game.teams:
        path = out_dir / f"{team.name}.html"
        write_atomic(path, team_brief(v, team))
        paths.append(path)
    path = out_dir / "facilitator.html"
    write_atomic(path, facilitator_brief(v))
    public = out_dir / PROJECTOR_FILE
    write_atomic(public, projector_page(v))
    v.figures.prune(f"t{turn:02d}-")
    return [*paths, path, public]


def briefs_for(game: Game, turn: int) -> list[Path]:
    """Replay the game to the end of `turn` and write its briefs."""
    rp = replay(game, upto=turn, record=True)
    return write_briefs(rp, turn, game.briefs_dir(turn))


def write_projector(game: Game, turn: int) -> Path:
    """Replay the game to the end of `turn` and write only its projector page (for a turn adjudicated
    with --no-briefs, or before the projector existed); returns its path."""
    rp = replay(game, upto=turn, record=True)
    v = build_view(rp, turn, game.briefs_dir(turn).parent / FIGURE_DIR)
    path = game.briefs_dir(turn) / PROJECTOR_FILE
    write_atomic(path, projector_page(v))
    return path
