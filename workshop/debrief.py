"""The debrief pack, the exercise's after-action report: one self-contained HTML file (figures
embedded, print CSS) with the game's path against an ensemble of simulated histories from the same
start under the scenario's policies (fan charts of every power's influence share with the game drawn
on top), the turning points of the game, each team's stated intent (its move files' notes) beside
what came of its moves, the objectives' scores turn by turn, hot-wash questions drawn from the game,
and what-ifs: the same game replayed with one team's moves replaced by the scenario's policy.

The what-if table does not double-count: each team's marginal effect is the game minus the game
without that team only (every other team's moves kept), the joint effect is the game minus the game
without every team, and their difference (joint minus the sum of the marginals) is shown as the
interaction. Marginal effects are never added up into a total."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.colors import ordered_powers, power_label
from analysis.ensemble_metrics import quantile_bands
from analysis.metrics import influence_share
from sim.core.atomic import file_problem
from sim.core.vocabulary import BY_PRIORITY, event_label
from workshop import figures
from workshop import html as H
from workshop.adjudicate import EVERY_TEAM, Replay, replay
from workshop.errors import WorkshopError
from workshop.game import Game, write_atomic
from workshop.teams import team_by_name

DEFAULT_RUNS = 500
#: The most histories a debrief simulates (20 times the default): a typo such as --runs 100000000 is refused
#: instead of running for days.
MAX_RUNS = 10_000
CHUNK = 100  # runs per batch: bounds memory; a run's history does not depend on its batch
HORIZON = 3  # months after an event over which its turning-point shift is measured
NOTICEABLE = 0.0005  # a share change below this (0.05 points) reads as +0.0 and is called no change


def _turns(n: int) -> str:
    """'1 turn', '4 turns' (a debrief may be built after any turn)."""
    return f"{n} turn" if n == 1 else f"{n} turns"


def ensemble(game: Game, runs: int, steps: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Influence shares and events (without their causes, which the debrief does not read) of `runs`
    histories (seeds 0..runs-1) under the scenario's policies, with no team moves and no injects, by
    the batched driver."""
    from sim.ensemble import run_batch

    shares, events = [], []
    for lo in range(0, runs, CHUNK):
        ids = list(range(lo, min(lo + CHUNK, runs)))
        # the model alone: with --teams-decide the rules decide again for the teams' actors
        rec = run_batch(game.config_for("all"), seeds=ids, run_ids=ids, world=game.world(), steps=steps)
        shares.append(
            influence_share(
                rec.ties_table()[["run", "step", "date", "state", "power", "affinity"]],
                rec.states_table()[["run", "step", "state", "population_m"]],
            )
        )
        events.append(rec.events_table(cause=False))
    return pd.concat(shares, ignore_index=True), pd.concat(events, ignore_index=True)


def _tables(rp: Replay) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rec = rp.simulation.recorder
    ties, states = rec.ties_table(), rec.states_table()
    return ties, influence_share(ties, states), rec.events_table()


def _boundaries(game: Game, world_date) -> list[tuple[str, str]]:
    return [(world_date(game.steps_of(t)[0]), f"T{t}") for t in range(1, len(game.turns) + 1)]


def deciders(rp: Replay) -> dict[tuple, str]:
    """Who decided each scripted event of a replay: (step, type, state, power, bloc) -> 'team X' or
    'the facilitator'; a base changing hands with a team's deployment or withdrawal is marked too."""
    w = rp.simulation.world

    def code(names: list[str], i: int) -> str:
        return names[i] if i >= 0 else ""

    out: dict[tuple, str] = {}
    for r in rp.results:
        for inj in r.injects:
            out[(r.first_step, inj.type, inj.state, inj.power, inj.bloc)] = "the facilitator"
        for team, move in r.moves.items():
            for a in move.actions:
                key = (a.step, a.type, w.states[a.state], code(w.powers, a.power), code(w.blocs, a.bloc))
                out[key] = f"team {team}"
                if a.type in ("deploy", "withdraw_complete"):
                    out[(a.step, "base_handover", w.states[a.state])] = f"the rules, after a move of team {team}"
    return out


def _decided_by(e: Any, who: dict[tuple, str]) -> str:
    """Who decided an event (a row of the events table)."""
    found = who.get((e.step, e.type, e.state, e.power, e.bloc)) or who.get((e.step, e.type, e.state))
    return found or ("the scenario" if e.scripted else "the model's rules")


def turning_points(
    ties: pd.DataFrame,
    events: pd.DataFrame,
    ens_events: pd.DataFrame,
    runs: int,
    names: dict[str, str],
    who: dict[tuple, str],
    top: int = 8,
) -> list[list]:
    """The game's events that moved alignment most: the sum over powers of the change in the
    state's affinity from the month before the event to HORIZON months after it."""
    if events.empty:
        return []
    last = int(ties["step"].max())
    aff = ties.pivot_table(index=["step", "state"], columns="power", values="affinity")
    rank = {t: i for i, t in enumerate(BY_PRIORITY)}
    ev = events.assign(_r=events["type"].map(rank).fillna(len(BY_PRIORITY)))
    ev = ev.sort_values(["step", "state", "_r"]).drop_duplicates(["step", "state"])
    rows = []
    for e in ev.itertuples():
        before, after = aff.loc[(e.step - 1, e.state)], aff.loc[(min(e.step + HORIZON, last), e.state)]
        change = after - before
        shift = float(change.abs().sum())
        moved = ", ".join(f"{p} {change[p]:+.2f}" for p in change.abs().sort_values(ascending=False).index[:2])
        by = _decided_by(e, who)
        same = ens_events.loc[
            (ens_events["type"] == e.type) & (ens_events["state"] == e.state) & (ens_events["step"] <= e.step)
        ]
        freq = same["run"].nunique() / runs
        rows.append(
            [
                shift,
                e.date,
                event_label(e.type),
                names.get(e.state, e.state),
                e.cause,
                by,
                f"{moved} (sum of changes {shift:.2f})",
                f"{freq:.0%}",
            ]
        )
    rows.sort(key=lambda r: -r[0])
    return [r[1:] for r in rows[:top]]


def _what_if(
    game: Game,
    team: str,
    alt: Replay,
    g_shares: pd.DataFrame,
    g_ties: pd.DataFrame,
    g_events: pd.DataFrame,
    bounds: list,
) -> str:
    a_ties, a_shares, a_events = _tables(alt)
    world = alt.simulation.world
    last = int(g_shares["step"].max())
    end = lambda s: s.loc[s["step"] == last].set_index("power")["share"]  # noqa: E731
    g_end, a_end = end(g_shares), end(a_shares)
    rows = [
        [power_label(p), f"{g_end[p]:.1%}", f"{a_end[p]:.1%}", f"{(g_end[p] - a_end[p]) * 100:+.1f} points"]
        for p in ordered_powers(g_end.index.tolist())
    ]

    def leaders(ties: pd.DataFrame) -> pd.Series:
        t = ties.loc[ties["step"] == last].pivot(index="state", columns="power", values="affinity")
        return t.idxmax(axis=1).where(t.max(axis=1) > 0, "none")

    gl, al = leaders(g_ties), leaders(a_ties)
    names = dict(zip(world.states, world.state_names, strict=True))
    differ = [[names[s], al[s], gl[s]] for s in world.states if gl[s] != al[s]]
    key = ["type", "state", "power", "bloc"]
    g_set = set(map(tuple, g_events.loc[g_events["type"] != "incident", key].to_numpy().tolist()))
    a_set = set(map(tuple, a_events.loc[a_events["type"] != "incident", key].to_numpy().tolist()))
    fmt = lambda e: f"{event_label(e[0])} {names.get(e[1], e[1])} {e[2] or e[3]}".strip()  # noqa: E731
    only_game = sorted(fmt(e) for e in g_set - a_set)
    only_alt = sorted(fmt(e) for e in a_set - g_set)
    skipped = [f"turn {r.turn}, team {k}: {why}" for r in alt.results for k, why in r.skipped.items()]
    return H.section(
        f"What if team {team} had not played?",
        H.para(
            f"The same game (same seed, same injects, the other teams' moves) replayed with team {team}'s moves "
            f"replaced by the scenario's policy. Both histories draw the same random numbers, so the "
            f"differences come from {team}'s moves and what they set in motion."
        ),
        H.figure(
            figures.whatif_lines(
                g_shares, a_shares, team, f"Influence share: the game and the game without {team}'s moves", bounds
            ),
            f"Solid: the game; dashed: without team {team}'s moves.",
        ),
        H.table(["power", "share at the end: game", f"without {team}", "difference"], rows),
        H.para("States whose leading partner at the end differs:"),
        H.table(
            ["state", f"without {team}", "in the game"],
            differ,
            empty="None: every state ends with the same leading partner.",
        ),
        H.para("Events (type, state, power or bloc) that happened only in the game:"),
        H.bullets(only_game[:15], empty="none"),
        H.para(f"Events that happened only without {team}'s moves:"),
        H.bullets(only_alt[:15], empty="none"),
        H.para("Moves of other teams that were illegal in that history and were dropped:"),
        H.bullets(skipped, empty="none"),
    )


def _end_shares(shares: pd.DataFrame, step: int) -> pd.Series:
    return shares.loc[shares["step"] == step].set_index("power")["share"]


def effects_table(g_shares: pd.DataFrame, alts: dict[str, Replay], joint: Replay, step: int) -> str:
    """Each team's marginal effect on every power's final share, the joint effect of all teams, and
    the interaction (joint minus the sum of the marginals), in points: nothing is counted twice."""
    g_end = _end_shares(g_shares, step)
    marginal = {t: g_end - _end_shares(_tables(rp)[1], step) for t, rp in alts.items()}
    together = g_end - _end_shares(_tables(joint)[1], step)
    rows = []
    for p in ordered_powers(g_end.index.tolist()):
        parts = [float(marginal[t][p]) * 100 for t in alts]
        rows.append(
            [
                power_label(p),
                f"{g_end[p]:.1%}",
                *(f"{x:+.1f}" for x in parts),
                f"{float(together[p]) * 100:+.1f}",
                f"{float(together[p]) * 100 - sum(parts):+.1f}",
            ]
        )
    return H.section(
        "What the teams' moves changed, without double counting",
        H.para(
            "Points of each power's influence share at the end. 'Marginal' columns: the game minus the same "
            "game without only that team's moves (every other team's moves kept), so each answers 'what did "
            "this team add, given what the others did'. 'Joint': the game minus the game without any team's "
            "moves (the facilitator's injects and the white cell kept). 'Interaction': joint minus the sum of "
            "the marginals, the part that comes from teams' moves working together (or against each other); "
            "the marginal columns are not to be added up. All histories draw the same random numbers."
        ),
        H.table(
            ["power", "share in the game", *(f"marginal: {t}" for t in alts), "joint: every team", "interaction"], rows
        ),
    )


def score_rows(game: Game, rp: Replay) -> dict[str, list]:
    """Each team's objectives scored at the end of every turn played: team -> [Score, ...]."""
    from workshop.objectives import Tables, scores

    rec = rp.simulation.recorder
    tables = Tables(rec.states_table(), rec.ties_table(), rec.bases_table(), rec.events_table())
    return {
        t.name: [
            sc
            for turn in range(1, len(game.turns) + 1)
            for sc in scores(t, game.objectives.get(t.name, []), tables, turn, game.steps_of(turn)[1])
        ]
        for t in game.teams
    }


def objectives_table(game: Game, rp: Replay, scored: dict[str, list] | None = None) -> str:
    """Every team's objectives scored at the end of every turn played (workshop.objectives), one row
    per objective, one column per turn, with the count behind the last score."""
    scored = score_rows(game, rp) if scored is None else scored
    turns = range(1, len(game.turns) + 1)
    rows = []
    for t in game.teams:
        for o in game.objectives.get(t.name, []):
            mine = {sc.turn: sc for sc in scored[t.name] if sc.objective == o}
            rows.append([t.name, o.describe(t.kind), *(f"{mine[n].value:.2f}" for n in turns), mine[len(turns)].detail])
    return H.section(
        "Objectives and scores",
        H.para(
            "Each objective is scored from 0 (missed) to 1 (met) at the end "
            "of every turn, from the game's replayed tables."
        ),
        H.table(
            ["team", "objective", *(f"turn {n}" for n in turns), "at the end"],
            rows,
            empty="This game has no objectives (it was created before objectives existed).",
        ),
    )


def intent_table(game: Game, rp: Replay, g_events: pd.DataFrame, who: dict[tuple, str], scored: dict[str, list]) -> str:
    """Each team's stated intent (its move file's note) beside its moves, the events its moves decided
    and its objectives' scores at the end of the turn."""
    world = rp.simulation.world
    names = dict(zip(world.states, world.state_names, strict=True))
    rows = []
    for r in rp.results:
        ev = g_events.loc[(g_events["step"] >= r.first_step) & (g_events["step"] <= r.last_step)]
        for t in game.teams:
            m = r.moves.get(t.name)
            intent = (m.note or "(no note)") if m else "(nothing submitted)"
            moves = ("; ".join(m.summary(world)) or "no moves") if m else "the scenario's policy"
            came = [
                f"{e.date} {event_label(e.type)} {names.get(e.state, e.state)}"
                for e in ev.itertuples()
                if _decided_by(e, who) in (f"team {t.name}", f"the rules, after a move of team {t.name}")
            ]
            score = ", ".join(f"{sc.objective.key} {sc.value:.2f}" for sc in scored[t.name] if sc.turn == r.turn)
            rows.append([r.turn, t.name, intent, moves, "; ".join(came) or "no event", score or "none"])
    return H.section(
        "Stated intent and what happened",
        H.para(
            "Each team's note in its move file (its intent in its own words), its moves, the events "
            "its moves decided in the game, and its objectives' scores at the end of the turn."
        ),
        H.table(
            ["turn", "team", "stated intent", "moves", "events its moves decided", "objectives at the end of the turn"],
            rows,
        ),
    )


def hot_wash(
    game: Game,
    rp: Replay,
    points: list[list],
    placed: list[tuple[str, float]],
    scored: dict[str, list],
    alts: dict[str, Replay],
    g_shares: pd.DataFrame,
    step: int,
) -> list[str]:
    """Questions for the hot wash, drawn from this game: the largest turning point, the power furthest
    from the simulated histories, each team's intent against its weakest objective, its largest effect."""
    out = []
    if points:
        month, label, state, _, by, _, freq = points[0]
        out.append(
            f"The {label} in {state} ({month}, decided by {by}) moved alignment most; {freq} of the simulated "
            f"histories had one there by then. Could it have been foreseen, used or prevented, and by whom?"
        )
    if placed:
        power, above = max(placed, key=lambda x: abs(x[1] - 0.5))
        where = (
            f"above {above:.0%} of the simulated histories"
            if above >= 0.5  # the median
            else f"below {1 - above:.0%} of the simulated histories"
        )
        out.append(f"{power} ended {where}. Which moves, or which draws of chance, explain it?")
    g_end = _end_shares(g_shares, step)
    for t in game.teams:
        notes = [r.moves[t.name].note for r in rp.results if t.name in r.moves and r.moves[t.name].note]
        said = (
            f"Team {t.name} said: '{notes[0]}'" + (" (turn 1)" if len(notes) == 1 else " first")
            if notes
            else f"Team {t.name} wrote no note"
        )
        last = [sc for sc in scored[t.name] if sc.turn == len(game.turns)]
        weakest = min(last, key=lambda sc: sc.value) if last else None
        line = said + (
            f"; its weakest objective at the end was {weakest.objective.describe(t.kind)} "
            f"({weakest.value:.2f}, {weakest.detail})"
            if weakest
            else ""
        )
        if t.name in alts:
            change = g_end - _end_shares(_tables(alts[t.name])[1], step)
            p = change.abs().idxmax()
            line += (
                f"; its moves changed {power_label(p)}'s share most ({float(change[p]) * 100:+.1f} points)"
                if abs(float(change[p])) >= NOTICEABLE
                else "; its moves changed no power's share by 0.1 point or more"
            )
        out.append(line + ". Did the moves serve the intent? What would the team do differently?")
    out.append("Which decision of another team surprised you most, and what did you assume about it beforehand?")
    return out


def write_debrief(game: Game, out: Path, runs: int = DEFAULT_RUNS, what_if: Sequence[str] | None = None) -> Path:
    """Build the debrief of the turns played so far and write it to `out`."""
    if not game.turns:
        raise WorkshopError(
            "No turn has been adjudicated yet: the debrief compares the game's path with simulated "
            "histories, so play at least one turn first."
        )
    if not 1 <= runs <= MAX_RUNS:
        raise WorkshopError(f"--runs must be from 1 to {MAX_RUNS:,} (the default is {DEFAULT_RUNS}); {runs} was given.")
    teams = [team_by_name(game.teams, t).name for t in what_if] if what_if else game.team_names()
    problem = file_problem(out)
    if problem is not None:  # found before the histories are simulated, and nothing is made
        raise WorkshopError(
            f"The debrief cannot be written to {out}: {problem}. Give a file with --out, e.g. --out "
            f"{game.dir / 'debrief.html'}."
        )
    rp = replay(game, record=True)
    world = rp.simulation.world
    steps = len(game.turns) * game.settings.turn_months
    g_ties, g_shares, g_events = _tables(rp)
    ens_shares, ens_events = ensemble(game, runs, steps)
    bands = quantile_bands(ens_shares, "share")
    bounds = _boundaries(game, world.date_of)
    names = dict(zip(world.states, world.state_names, strict=True))
    final = ens_shares.loc[ens_shares["step"] == steps]
    lines, placed = [], []
    for p in ordered_powers(final["power"].unique().tolist()):
        mine = float(g_shares.loc[(g_shares["step"] == steps) & (g_shares["power"] == p), "share"].iloc[0])
        theirs = final.loc[final["power"] == p, "share"].to_numpy()
        below = float(np.mean(theirs < mine - 1e-12))
        median = float(np.median(theirs))
        placed.append((power_label(p), below))
        lines.append(
            f"{power_label(p)}: {mine:.1%} in the game; median {median:.1%} across histories; the game "
            f"is above {below:.0%} of them."
        )
    who = deciders(rp)
    points = turning_points(g_ties, g_events, ens_events, runs, names, who)
    scored = score_rows(game, rp)
    alts = {t: replay(game, record=True, without=t) for t in teams}
    joint = replay(game, record=True, without=EVERY_TEAM)
    body = [
        H.section(
            "The game against simulated histories",
            H.para(
                f"{_turns(len(game.turns))} of {game.settings.turn_months} months were played "
                f"({world.date_of(1)} to {world.date_of(steps)}). The bands show {runs} histories of the "
                f"same start under the scenario's default policies, without team moves or injects "
                f"(seeds 0 to {runs - 1}); the black line is the game."
            ),
            H.figure(
                figures.fan_panels(
                    bands, g_shares, "Each power's influence share: the game against simulated histories", bounds
                ),
                "Influence share is the population-weighted share of positive affinity.",
            ),
            H.bullets(lines),
        ),
        H.section(
            "Turning points",
            H.para(
                f"The game's events after which the state's alignment moved most: the sum over powers of "
                f"the change in its affinity from the month before to {HORIZON} months after. 'In histories' "
                f"is the share of simulated histories with the same kind of event in that state by then."
            ),
            H.table(
                ["month", "event", "state", "cause", "decided by", "alignment moved", "in histories"],
                points,
                empty="No events.",
            ),
        ),
        intent_table(game, rp, g_events, who, scored),
        objectives_table(game, rp, scored),
        H.section(
            "Hot-wash questions",
            H.para("For the discussion after the game, drawn from what happened."),
            H.bullets(hot_wash(game, rp, points, placed, scored, alts, g_shares, steps)),
        ),
        effects_table(g_shares, alts, joint, steps),
    ]
    body += [_what_if(game, t, alts[t], g_shares, g_ties, g_events, bounds) for t in teams]
    text = H.page(
        f"Debrief: {game.settings.scenario}, {_turns(len(game.turns))}",
        "Teams: "
        + ", ".join(t.describe(world) for t in game.teams)
        + f"; seed {game.settings.seed}; experiment {game.settings.experiment or 'none'}.",
        body,
    )
    write_atomic(out, text)
    return out
