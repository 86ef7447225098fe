"""The dynamic state of R runs: arrays with the run axis last.

Built from a World's starting values; changed only by sim.core.phases (which calls the rules).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.core.rules.insurgency import threat
from sim.core.vocabulary import TERMS
from sim.core.world import World


@dataclass
class SimState:
    """Everything that changes during a run; shapes (..., R)."""

    step: int
    junta: np.ndarray  # (S, R) bool
    months_since_coup: np.ndarray  # (S, R) int
    regime_since: np.ndarray  # (S, R) int: month of the last change of government (-1: before the start)
    legitimacy: np.ndarray  # (S, R)
    insurgency: np.ndarray  # (S, G, R)
    member: np.ndarray  # (S, B, R) bool
    sanctioned: np.ndarray  # (S, B, R) bool
    affinity: np.ndarray  # (S, P, R)
    opinion: np.ndarray  # (S, P, R)
    troops: np.ndarray  # (S, P, R)
    withdraw_left: np.ndarray  # (S, P, R) int
    expelled: np.ndarray  # (S, P, R) bool
    expelled_at: np.ndarray  # (S, P, R) int: month of the last expulsion order (-1: before the start, or never)
    invited: np.ndarray  # (S, P, R) bool
    aid_suspended: np.ndarray  # (S, P, R) bool
    aid_security_usd_m: np.ndarray  # (S, P, R)
    aid_economic_usd_m: np.ndarray  # (S, P, R)
    info_ops_usd_m: np.ndarray  # (S, P, R)
    overstretch: np.ndarray  # (P, R) share of each power's capacity tied up elsewhere (moves with its strain driver)
    base_owner: np.ndarray  # (K, R) int, -1 = host
    base_co_tenant: np.ndarray  # (K, R) int, -1 = none
    # dated commitments (sim.core.commitments), in the world's order
    commitment_due: np.ndarray  # (C, R) int: the step it is (next) due, or was kept or dropped
    commitment_status: np.ndarray  # (C, R) int8: PENDING, KEPT, DROPPED, VOID, LEFT_TO_PLAYERS
    commitment_delays: np.ndarray  # (C, R) int: times it was postponed
    # derived each step, kept for recording and explanations
    threat: np.ndarray  # (S, R)
    contributions: np.ndarray  # (T, S, P, R) signed weighted incentive terms
    utility: np.ndarray  # (S, P, R)


def _tile(x: np.ndarray, runs: int) -> np.ndarray:
    return np.repeat(np.asarray(x)[..., None], runs, axis=-1)


def initial_state(world: World, runs: int) -> SimState:
    """The world's starting values repeated for `runs` runs."""
    ins = _tile(world.insurgency, runs)
    S, P = world.affinity.shape
    return SimState(
        step=0,
        junta=_tile(world.regime == 1, runs),
        months_since_coup=_tile(world.months_since_coup, runs),
        regime_since=np.full((S, runs), -1, dtype=np.int64),
        legitimacy=_tile(world.legitimacy, runs),
        insurgency=ins,
        member=_tile(world.member, runs),
        sanctioned=_tile(world.sanctioned, runs),
        affinity=_tile(world.affinity, runs),
        opinion=_tile(world.opinion, runs),
        troops=_tile(world.troops, runs),
        withdraw_left=_tile(world.withdraw_left, runs),
        expelled=_tile(world.expelled, runs),
        expelled_at=np.full((S, P, runs), -1, dtype=np.int64),
        invited=np.zeros((S, P, runs), dtype=bool),
        aid_suspended=_tile(world.aid_suspended, runs),
        aid_security_usd_m=_tile(world.aid_security_usd_m, runs),
        aid_economic_usd_m=_tile(world.aid_economic_usd_m, runs),
        info_ops_usd_m=np.zeros((S, P, runs)),
        overstretch=(
            np.array(world.overstretch, dtype=float)
            if np.ndim(world.overstretch) == 2
            else _tile(world.overstretch, runs)
        ),
        base_owner=_tile(world.base_owner, runs),
        base_co_tenant=_tile(world.base_co_tenant, runs),
        commitment_due=_tile(np.array([c.due for c in world.commitments], dtype=np.int64), runs),
        commitment_status=np.zeros((len(world.commitments), runs), dtype=np.int8),
        commitment_delays=np.zeros((len(world.commitments), runs), dtype=np.int64),
        threat=threat(ins),
        contributions=np.zeros((len(TERMS), S, P, runs)),
        utility=np.zeros((S, P, runs)),
    )
