"""The debrief pack: one offline HTML file with the game's path against an ensemble of simulated
histories from the same start under the scenario's policies (fan charts of every power's influence
share with the game drawn on top), the turning points of the game, and what-ifs: the same game
replayed with one team's moves replaced by the scenario's policy."""

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
from workshop.adjudicate import Replay, replay
from workshop.errors import WorkshopError
from workshop.game import Game, write_atomic
from workshop.teams import team_by_name

DEFAULT_RUNS = 500
#: The most histories a debrief simulates (20 times the default): a typo such as --runs 100000000 is refused
#: instead of running for days.
MAX_RUNS = 10_000
CHUNK = 100  # runs per batch: bounds memory; a run's history does not depend on its batch
HORIZON = 3  # months after an event over which its turning-point shift is measured


def ensemble(game: Game, runs: int, steps: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Influence shares and events of `runs` histories (seeds 0..runs-1) under the scenario's
    policies, with no team moves and no injects, by the batched driver."""
    from sim.ensemble import run_batch

    shares, events = [], []
    for lo in range(0, runs, CHUNK):
        ids = list(range(lo, min(lo + CHUNK, runs)))
        # the model alone: with --teams-decide the rules decide again for the teams' actors
        rec = run_batch(game.config_for("all"), seeds=ids, run_ids=ids, world=game.world(), steps=steps)
        shares.append(influence_share(rec.ties_table()[["run", "step", "date", "state", "power", "affinity"]],
                                      rec.states_table()[["run", "step", "state", "population_m"]]))
        events.append(rec.events_table())
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


def turning_points(ties: pd.DataFrame, events: pd.DataFrame, ens_events: pd.DataFrame, runs: int,
                   names: dict[str, str], who: dict[tuple, str], top: int = 8) -> list[list]:
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
        same = ens_events.loc[(ens_events["type"] == e.type) & (ens_events["state"] == e.state)
                              & (ens_events["step"] <= e.step)]
        freq = same["run"].nunique() / runs
        rows.append([shift, e.date, event_label(e.type), names.get(e.state, e.state), e.cause, by,
                     f"{moved} (sum of changes {shift:.2f})", f"{freq:.0%}"])
    rows.sort(key=lambda r: -r[0])
    return [r[1:] for r in rows[:top]]


def _what_if(game: Game, team: str, g_shares: pd.DataFrame, g_ties: pd.DataFrame, g_events: pd.DataFrame,
             bounds: list) -> str:
    alt = replay(game, record=True, without=team)
    a_ties, a_shares, a_events = _tables(alt)
    world = alt.simulation.world
    last = int(g_shares["step"].max())
    end = lambda s: s.loc[s["step"] == last].set_index("power")["share"]  # noqa: E731
    g_end, a_end = end(g_shares), end(a_shares)
    rows = [[power_label(p), f"{g_end[p]:.1%}", f"{a_end[p]:.1%}", f"{(g_end[p] - a_end[p]) * 100:+.1f} points"]
            for p in ordered_powers(g_end.index.tolist())]

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
        H.para(f"The same game (same seed, same injects, the other teams' moves) replayed with team {team}'s moves "
               f"replaced by the scenario's policy. Both histories draw the same random numbers, so the "
               f"differences come from {team}'s moves and what they set in motion."),
        H.figure(figures.whatif_lines(g_shares, a_shares, team, f"Influence share: the game and the game without "
                                      f"{team}'s moves", bounds),
                 f"Solid: the game; dashed: without team {team}'s moves."),
        H.table(["power", "share at the end: game", f"without {team}", "difference"], rows),
        H.para("States whose leading partner at the end differs:"),
        H.table(["state", f"without {team}", "in the game"], differ, empty="None: every state ends with the same "
                                                                           "leading partner."),
        H.para("Events (type, state, power or bloc) that happened only in the game:"),
        H.bullets(only_game[:15], empty="none"),
        H.para(f"Events that happened only without {team}'s moves:"),
        H.bullets(only_alt[:15], empty="none"),
        H.para("Moves of other teams that were illegal in that history and were dropped:"),
        H.bullets(skipped, empty="none"))


def write_debrief(game: Game, out: Path, runs: int = DEFAULT_RUNS, what_if: Sequence[str] | None = None) -> Path:
    """Build the debrief of the turns played so far and write it to `out`."""
    if not game.turns:
        raise WorkshopError("No turn has been adjudicated yet: the debrief compares the game's path with simulated "
                            "histories, so play at least one turn first.")
    if not 1 <= runs <= MAX_RUNS:
        raise WorkshopError(f"--runs must be from 1 to {MAX_RUNS:,} (the default is {DEFAULT_RUNS}); {runs} was given.")
    teams = [team_by_name(game.teams, t).name for t in what_if] if what_if else game.team_names()
    problem = file_problem(out)
    if problem is not None:  # found before the histories are simulated, and nothing is made
        raise WorkshopError(f"The debrief cannot be written to {out}: {problem}. Give a file with --out, e.g. --out "
                            f"{game.dir / 'debrief.html'}.")
    rp = replay(game, record=True)
    world = rp.simulation.world
    steps = len(game.turns) * game.settings.turn_months
    g_ties, g_shares, g_events = _tables(rp)
    ens_shares, ens_events = ensemble(game, runs, steps)
    bands = quantile_bands(ens_shares, "share")
    bounds = _boundaries(game, world.date_of)
    names = dict(zip(world.states, world.state_names, strict=True))
    final = ens_shares.loc[ens_shares["step"] == steps]
    lines = []
    for p in ordered_powers(final["power"].unique().tolist()):
        mine = float(g_shares.loc[(g_shares["step"] == steps) & (g_shares["power"] == p), "share"].iloc[0])
        theirs = final.loc[final["power"] == p, "share"].to_numpy()
        below = float(np.mean(theirs < mine - 1e-12))
        median = float(np.median(theirs))
        lines.append(f"{power_label(p)}: {mine:.1%} in the game; median {median:.1%} across histories; the game "
                     f"is above {below:.0%} of them.")
    points = turning_points(g_ties, g_events, ens_events, runs, names, deciders(rp))
    moves = []
    for r in rp.results:
        for t in game.teams:
            m = r.moves.get(t.name)
            text = ("; ".join(m.summary(world)) or "no moves") if m else "nothing submitted (scenario policy)"
            moves.append([r.turn, t.name, text])
    body = [
        H.section("The game against simulated histories",
                  H.para(f"{len(game.turns)} turns of {game.settings.turn_months} months were played "
                         f"({world.date_of(1)} to {world.date_of(steps)}). The bands show {runs} histories of the "
                         f"same start under the scenario's default policies, without team moves or injects "
                         f"(seeds 0 to {runs - 1}); the black line is the game."),
                  H.figure(figures.fan_panels(bands, g_shares, "Each power's influence share: the game against "
                                              "simulated histories", bounds),
                           "Influence share is the population-weighted share of positive affinity."),
                  H.bullets(lines)),
        H.section("Turning points",
                  H.para(f"The game's events after which the state's alignment moved most: the sum over powers of "
                         f"the change in its affinity from the month before to {HORIZON} months after. 'In histories' "
                         f"is the share of simulated histories with the same kind of event in that state by then."),
                  H.table(["month", "event", "state", "cause", "decided by", "alignment moved", "in histories"],
                          points, empty="No events.")),
        H.section("Moves by turn", H.table(["turn", "team", "moves"], moves)),
    ]
    body += [_what_if(game, t, g_shares, g_ties, g_events, bounds) for t in teams]
    text = H.page(f"Debrief: {game.settings.scenario}, {len(game.turns)} turns",
                  "Teams: " + ", ".join(t.describe(world) for t in game.teams)
                  + f"; seed {game.settings.seed}; experiment {game.settings.experiment or 'none'}.", body)
    write_atomic(out, text)
    return out
