"""Incentives: each government scores each power as a weighted sum of named terms.

Terms (all 0..1 magnitudes; the two costs enter utility with a minus sign):
security value, economic value, regime protection, sovereignty cost, conditionality cost,
peer pressure (neighbours' and bloc partners' affinity, -1..1) and public opinion (-1..1).
Where a host pays for a power's forces, the security term can be net of that bill (host_security_cost,
off by default), and then falls below 0 where the bill outweighs the help.
A junta weighs them with its own weights (regime protection and sovereignty count more).
"""

from __future__ import annotations

import numpy as np

from sim.core.rules.common import saturate
from sim.core.vocabulary import COST_TERMS, TERMS

TERM_SIGN = np.array([-1.0 if t in COST_TERMS else 1.0 for t in TERMS])


def security_value(
    *, threat: np.ndarray, help_sp: np.ndarray, capability: np.ndarray, potential_weight: float, remote: np.ndarray
) -> np.ndarray:
    """Value of a power's help against the current threat: threat x (present help + potential + help
    without troops, e.g. armed drones sold with training: `remote`, (P, 1) or (P, R)), at most 1. (S, P, R)."""
    offer = np.minimum(help_sp + potential_weight * capability + remote[None], 1.0)
    return threat[:, None, :] * offer


def host_security_cost(
    *,
    price_usd_m: np.ndarray,
    troops: np.ndarray,
    contract_troops: float,
    gdp_usd_bn: np.ndarray,
    gdp_scale: float,
    threat: np.ndarray,
    need_relief: float,
    at_war: np.ndarray | None = None,
    guard: np.ndarray | None = None,
    threat_full_need: float = 1.0,
) -> np.ndarray:
    """What a power's security offer costs its host where the host pays for the forces (Wagner in Mali, paid in
    cash; in the Central African Republic, in mining concessions), 0..1: (S, P, R).

    The bill is the forces there (troops (S, P, R)) or, where there are none, a standard contract of
    `contract_troops`, at the power's price (price_usd_m (P, 1) or (P, R), US$ m per 1,000 troops a month; 0 = the
    power pays). Its yearly total as a share of GDP saturates (`gdp_scale` gives 63%). A government that needs the
    forces to survive counts the bill against its survival and feels only (1 - need_relief x need) of it, with
    need the largest of its insurgent threat (threat (S, R), 0..1, counted as full need from `threat_full_need` up),
    a war under way (at_war (S,) bool, e.g. Sudan's) and the power's guard of its regime (guard (S, P), 0..1, a
    defence pact: Russia's in Bangui).
    """
    billed = np.where(troops > 0, troops, contract_troops)
    yearly_share = price_usd_m[None] * billed / 1000.0 * 12.0 / (gdp_usd_bn[:, None, None] * 1000.0)
    need = np.broadcast_to(np.minimum(threat / threat_full_need, 1.0)[:, None, :], troops.shape)
    if at_war is not None:
        need = np.maximum(need, at_war.astype(float)[:, None, None])
    if guard is not None:
        need = np.maximum(need, guard[:, :, None])
    return saturate(yearly_share, gdp_scale) * (1.0 - need_relief * need)


def power_capability(*, budget_security_usd_m: np.ndarray, overstretch: np.ndarray, scale_usd_m: float) -> np.ndarray:
    """What a power could bring if asked, 0..1: (P, R)."""
    return saturate(budget_security_usd_m, scale_usd_m) * (1.0 - overstretch)


def economic_value(
    *,
    aid_economic_usd_m: np.ndarray,
    aid_suspended: np.ndarray,
    gdp_usd_bn: np.ndarray,
    trade: np.ndarray,
    aid_gdp_scale: float,
    aid_weight: float,
    trade_weight: float,
    trade_share_scale: float,
) -> np.ndarray:
    """Aid (unless suspended) as a share of GDP, saturating, times `aid_weight`, plus the power's share of the
    state's trade, saturating (`trade_share_scale` gives 63%), times `trade_weight`: (S, P, R), 0..the sum of
    the weights. The two weights are separate, so trade can count less without aid counting more."""
    yearly_share = aid_economic_usd_m * 12.0 * ~aid_suspended / (gdp_usd_bn[:, None, None] * 1000.0)
    aid_part = saturate(yearly_share, aid_gdp_scale)
    trade_sp = saturate(trade if trade.ndim == 3 else trade[:, :, None], trade_share_scale)
    return aid_weight * aid_part + trade_weight * trade_sp


def regime_protection_value(
    *, protection: np.ndarray, overstretch: np.ndarray, presence: np.ndarray, absent_share: float | np.ndarray
) -> np.ndarray:
    """Protection a power offers the regime: full where its forces are there (a guard on the spot), and where
    they are not, `absent_share` of it as a promise, worth less the more the power is overstretched: (S, P, R)."""
    return protection * (presence + (1.0 - presence) * absent_share * (1.0 - overstretch))


def visibility(*, troops: np.ndarray, base: float, troop_scale: float) -> np.ndarray:
    """How visible a power's presence is, 0..1: a floor for history and business plus troops."""
    return base + (1.0 - base) * saturate(troops, troop_scale)


def sovereignty_cost(*, baggage: np.ndarray, visible: np.ndarray, nationalism: np.ndarray) -> np.ndarray:
    """Colonial baggage x visible presence x nationalism: (S, P, R)."""
    nat = nationalism if nationalism.ndim == 2 else nationalism[:, None]
    return baggage * visible * nat[:, None, :]


def conditionality_cost(
    *,
    conditionality: np.ndarray,
    junta: np.ndarray,
    aid_suspended: np.ndarray,
    pact: np.ndarray,
    pact_relief: float,
    months_since_coup: np.ndarray,
    halflife_months: float,
    expelled: np.ndarray | None = None,
) -> np.ndarray:
    """A power's demands after a coup weigh on juntas only, fully once it has cut aid: (S, P, R).

    Half the cost is the stated policy (demands for a transition timetable), half the suspension
    itself. The stated demands halve every `halflife_months` since the coup (months_since_coup (S, R);
    0 = they never fade), except towards a power the state has expelled (expelled (S, P, R) bool): a
    quarrel that ended in an expulsion does not cool by itself (Mali, Burkina Faso and Niger with
    France). A suspension weighs until the aid resumes. A defence pact (S, P, 0..1) removes
    `pact_relief` x pact of the whole cost: a patron bound by a pact keeps working with the junta
    (France in Chad, 2021).
    """
    demands: float | np.ndarray = 0.5
    if halflife_months:
        with np.errstate(over="ignore"):  # a tiny half-life: demands gone at once (0.5 ** inf = 0)
            halvings = np.maximum(months_since_coup, 0)[:, None, :] / halflife_months
        demands = 0.5 * np.power(0.5, halvings)
        if expelled is not None:
            demands = np.where(expelled, 0.5, demands)
    cost = conditionality * junta[:, None, :] * (demands + 0.5 * aid_suspended)
    return cost * (1.0 - pact_relief * pact[:, :, None])


def junta_cross_regime(*, cross_regime: float, junta: np.ndarray, threat: np.ndarray, openness: float) -> np.ndarray:
    """Weight each government gives peers under the other kind of regime: (S, R). Civilian governments keep
    `cross_regime`; a junta closes `openness` x (1 - threat) of the gap to 1, so a junta at war (threat (S, R),
    0..1) looks to fellow juntas while one at peace looks to its whole neighbourhood."""
    opened = cross_regime + (1.0 - cross_regime) * openness * (1.0 - threat)
    return np.where(junta, opened, cross_regime)


def peer_pressure(
    *,
    affinity: np.ndarray,
    junta: np.ndarray,
    neighbours: np.ndarray,
    mask: np.ndarray,
    member: np.ndarray,
    neighbour_share: float,
    cross_regime: float | np.ndarray,
) -> np.ndarray:
    """Weighted mean affinity to each power of a state's neighbours and bloc partners: (S, P, R).

    Peers under the same kind of regime count fully, others by `cross_regime` (juntas look to
    juntas, elected governments to elected governments). member is (S, B, R) bool; bloc partners
    exclude the state itself; a state in no bloc feels its neighbours only. cross_regime is a number
    or, per government, (S, R) (junta_cross_regime).
    """
    B = member.shape[1]
    cross = np.broadcast_to(np.asarray(cross_regime, dtype=float), junta.shape)  # (S, R)
    same = junta[neighbours] == junta[:, None, :]  # (S, D, R)
    w = np.where(same, 1.0, cross[:, None, :]) * mask[:, :, None]
    gathered = affinity[neighbours]  # (S, D, P, R)
    nbr_total = np.zeros_like(affinity)
    nbr_weight = np.zeros(junta.shape)
    for d in range(neighbours.shape[1]):  # fixed order of additions
        nbr_total = nbr_total + w[:, d, None, :] * gathered[:, d]
        nbr_weight = nbr_weight + w[:, d]
    nbr = np.where(nbr_weight[:, None, :] > 0, nbr_total / np.maximum(nbr_weight, 1e-12)[:, None, :], 0.0)

    # per bloc, the sums of members' affinities (and counts) under each kind of regime: (B, P, R)
    member_f = member.astype(float)
    junta_f = junta.astype(float)[:, None, :]
    in_junta = member_f * junta_f  # (S, B, R)
    in_civil = member_f * (1.0 - junta_f)
    sum_junta = (in_junta[:, :, None, :] * affinity[:, None, :, :]).sum(axis=0)  # over states, in order
    sum_civil = (in_civil[:, :, None, :] * affinity[:, None, :, :]).sum(axis=0)
    n_junta, n_civil = in_junta.sum(axis=0), in_civil.sum(axis=0)  # (B, R)
    j4 = junta[:, None, None, :]
    own_sum = np.where(j4, sum_junta[None], sum_civil[None]) - affinity[:, None, :, :]  # (S, B, P, R)
    other_sum = np.where(j4, sum_civil[None], sum_junta[None])
    j3 = junta[:, None, :]
    own_n = np.where(j3, n_junta[None], n_civil[None]) - 1.0  # (S, B, R)
    other_n = np.where(j3, n_civil[None], n_junta[None])
    bloc_total = np.zeros_like(affinity)
    bloc_weight = np.zeros(junta.shape)
    for b in range(B):  # fixed order of additions
        mb = member[:, b, :]
        bloc_total = bloc_total + np.where(mb[:, None, :], own_sum[:, b] + cross[:, None, :] * other_sum[:, b], 0.0)
        bloc_weight = bloc_weight + np.where(mb, own_n[:, b] + cross * other_n[:, b], 0.0)
    has = bloc_weight > 1e-12
    bloc_mean = np.where(has[:, None, :], bloc_total / np.maximum(bloc_weight, 1e-12)[:, None, :], 0.0)
    has_nbr = nbr_weight[:, None, :] > 0
    blended = np.where(has_nbr, neighbour_share * nbr + (1.0 - neighbour_share) * bloc_mean, bloc_mean)
    return np.where(has[:, None, :], blended, nbr)


def weights_by_regime(*, civilian: np.ndarray, junta_weights: np.ndarray, junta: np.ndarray) -> np.ndarray:
    """Weight of each term for each state's current government: (T, S, 1, R).

    civilian and junta_weights are (T,) or (T, R); junta is (S, R) bool.
    """
    c = civilian if civilian.ndim == 2 else civilian[:, None]
    j = junta_weights if junta_weights.ndim == 2 else junta_weights[:, None]
    return np.where(junta[None, :, None, :], j[:, None, None, :], c[:, None, None, :])


def utility(*, terms: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Signed weighted contributions (T, S, P, R) and their sum, the utility (S, P, R)."""
    contributions = TERM_SIGN[:, None, None, None] * weights * terms
    total = contributions[0]
    for k in range(1, contributions.shape[0]):
        total = total + contributions[k]
    return contributions, total
