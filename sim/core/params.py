"""Typed parameters of the model: the Hydra schema.

Every field says what it means, its unit and its legal range. Ranges are enforced by
`validate_config` before anything is simulated, so an override such as
`incentives.junta.sovereignty=7` stops with a clear message instead of a strange run.
The defaults are the baseline's values; `conf/` repeats them with comments for users.
"""

from __future__ import annotations

import functools
import typing
from dataclasses import Field, dataclass, field, fields, is_dataclass
from typing import Any


def _f(default: float, lo: float, hi: float, doc: str) -> Any:
    """A float field with its legal range and meaning kept in the field metadata."""
    return field(default=default, metadata={"range": (lo, hi), "doc": doc})


@dataclass
class IncentiveWeights:
    """Weights of the named incentive terms for one regime type (each 0..5)."""

    security: float = _f(1.0, 0.0, 5.0, "value of a power's counter-insurgency help against the current threat")
    economic: float = _f(0.8, 0.0, 5.0, "value of a power's aid, trade and investment")
    regime_protection: float = _f(0.8, 0.0, 5.0, "value of a power's willingness to protect the ruling regime")
    sovereignty: float = _f(0.6, 0.0, 5.0, "cost of visible foreign presence: colonial baggage x presence x nationalism")
    conditionality: float = _f(0.3, 0.0, 5.0, "cost of a power's demands after a coup (aid cut, transition timetable)")
    peer: float = _f(0.3, 0.0, 5.0, "pull of neighbours' and bloc partners' affinity to the power")
    opinion: float = _f(0.5, 0.0, 5.0, "pull of public opinion of the power")


def _junta_weights() -> IncentiveWeights:
    return IncentiveWeights(
        security=1.0, economic=0.5, regime_protection=1.5, sovereignty=1.2,
        conditionality=1.2, peer=0.4, opinion=0.6,
    )


@dataclass
class IncentivesConf:
    """Incentive weights per regime type; a junta decides with its own weights."""

    civilian: IncentiveWeights = field(default_factory=IncentiveWeights)
    junta: IncentiveWeights = field(default_factory=_junta_weights)


@dataclass
class AlignmentConf:
    """How affinity and public opinion move each month."""

    inertia: float = _f(0.85, 0.0, 0.99, "share of last month's affinity kept (0 = jump to target)")
    rationality: float = _f(1.5, 0.0, 20.0, "slope of the bounded response to utility (0 = indifferent)")
    relative_weight: float = _f(0.1, 0.0, 1.0, "how far a power is judged against the others rather than on its own: "
                                "0 absolute (hedging possible), 1 zero-sum (warming to one cools the rest)")
    indifference: float = _f(0.07, -2.0, 2.0, "utility at which a government is neither drawn to a power nor put off")
    partnership_capacity: float = _f(1.5, 0.1, 10.0, "total positive affinity target a government can sustain "
                                     "(room for close partners); more is scaled down")
    noise: float = _f(0.02, 0.0, 0.5, "standard deviation of monthly affinity shocks")
    opinion_drift: float = _f(0.1, 0.0, 1.0, "share of the gap to the opinion target closed each month")
    opinion_noise: float = _f(0.02, 0.0, 0.5, "standard deviation of monthly opinion shocks")
    info_ops_effect: float = _f(1.0, 0.0, 5.0, "pull of saturated information operations on opinion")
    info_ops_scale_usd_m: float = _f(1.0, 0.01, 100.0, "monthly information spending that reaches 63% saturation, US$ m")
    blame: float = _f(1.0, 0.0, 5.0, "opinion penalty for a present power while the insurgency is high")
    resentment: float = _f(1.0, 0.0, 5.0, "opinion penalty for visible presence of a power with colonial baggage")


@dataclass
class EffectsConf:
    """How aid, troops and presence translate into the terms (saturating scales)."""

    troop_scale: float = _f(500.0, 1.0, 1e5, "troops giving 63% of full security help")
    security_aid_scale_usd_m: float = _f(10.0, 0.01, 1e4, "monthly security aid giving 63% of full help, US$ m")
    aid_gdp_scale: float = _f(0.003, 1e-4, 1.0, "yearly aid as a share of GDP giving 63% of full economic value")
    aid_weight: float = _f(0.5, 0.0, 1.0, "weight of aid (as a share of GDP, saturating) in economic value")
    trade_weight: float = _f(0.3, 0.0, 1.0, "weight of trade (the power's share of the state's goods trade, "
                             "saturating) in economic value, separate from aid's")
    trade_share_scale: float = _f(0.2, 0.001, 1.0, "a power's share of a state's goods trade giving 63% of full "
                                  "trade value")
    potential_weight: float = _f(0.3, 0.0, 1.0, "value of a power's capability to help when it is not yet present")
    visibility_base: float = _f(0.3, 0.0, 1.0, "visibility of a power with no troops (history, embassy, business)")
    visibility_troop_scale: float = _f(300.0, 1.0, 1e5, "troops giving 63% of full visibility")
    security_budget_scale_usd_m: float = _f(20.0, 0.01, 1e4, "regional security budget giving 63% capability, US$ m/month")
    protection_absent_share: float = _f(0.15, 0.0, 1.0, "share of a power's regime protection valued before its forces "
                                        "are there (a promise; 1 = as good as a guard on the spot)")
    cross_regime_peer: float = _f(0.1, 0.0, 1.0, "weight of a peer under the other kind of regime (same kind = 1); "
                                "a junta's own weight rises with junta_peer_openness")
    junta_peer_openness: float = _f(1.0, 0.0, 1.0, "share of the gap to 1 a junta closes, times (1 - insurgent "
                                    "threat), in the weight it gives civilian peers: a junta at peace looks to its "
                                    "whole neighbourhood, one at war to fellow juntas (0 = cross_regime_peer)")
    conditionality_pact_relief: float = _f(1.0, 0.0, 1.0, "share of a power's conditionality cost removed per unit of "
                                           "its defence pact with the state (a patron keeps working with an "
                                           "allied junta)")
    conditionality_halflife_months: float = _f(12.0, 0.0, 240.0, "half-life in months of the stated-demands half "
                                               "of conditionality after a coup, except towards a power the state "
                                               "has expelled; the aid suspension half weighs until aid resumes "
                                               "(0 = demands never fade)")
    neighbour_peer_share: float = _f(0.5, 0.0, 1.0, "share of peer pressure from neighbours rather than bloc partners")
    host_cost_weight: float = _f(0.0, 0.0, 5.0, "weight of the host's bill for a power's forces (the power's "
                                 "host_price_usd_m in the world file) taken off that power's security value "
                                 "(0 = off: the host pays nothing)")
    host_cost_gdp_scale: float = _f(0.005, 1e-4, 1.0, "yearly bill for a power's forces as a share of the host's GDP "
                                    "giving 63% of the full cost")
    host_contract_troops: float = _f(1000.0, 1.0, 1e5, "troops of the standard contract a government prices where "
                                     "the power has no forces yet (the Wagner contract in Mali, ~1,000 men)")
    host_cost_need_relief: float = _f(1.0, 0.0, 1.0, "share of the bill's weight removed per unit of the host's "
                                      "insurgent threat: a government at war counts the price against its survival")
    host_cost_threat_full_need: float = _f(1.0, 0.01, 1.0, "insurgent threat from which a government counts the "
                                           "bill for a power's forces wholly against its survival (need 1; below "
                                           "it, need = threat / this)")
    host_cost_need_war: bool = field(default=False, metadata={"doc": "a war under way (Sudan's) counts as full need "
                                                              "in the host's bill, like an insurgent threat of 1"})
    host_cost_need_guard: bool = field(default=False, metadata={"doc": "the power's defence pact with the host "
                                                                "(its guard of the regime: Russia's in Bangui) "
                                                                "counts as need in the host's bill"})


@dataclass
class InsurgencyConf:
    """Insurgency growth, spread along borders and suppression."""

    growth: float = _f(0.04, 0.0, 1.0, "monthly logistic growth rate of an insurgent group's intensity")
    spread: float = _f(0.005, 0.0, 1.0, "monthly spill-over towards the mean of neighbouring states' intensity")
    suppression: float = _f(0.01, 0.0, 1.0, "monthly reduction per unit of local capacity plus foreign help")
    noise: float = _f(0.02, 0.0, 0.5, "relative standard deviation of monthly intensity shocks")


@dataclass
class HazardsConf:
    """Monthly probabilities and thresholds of the decision events."""

    coup_base: float = _f(0.002, 0.0, 0.5, "monthly probability of a coup attempt at full legitimacy, no threat, no coups nearby or recently, no sanctions and no record of years without a coup (see coup_peace)")
    coup_attempt_max: float = _f(0.03, 0.0, 1.0, "ceiling of the monthly probability of a coup attempt in any state")
    coup_insurgency: float = _f(2.5, 0.0, 10.0, "log-odds of an attempt added per unit of insurgent threat")
    coup_illegitimacy: float = _f(2.0, 0.0, 10.0, "log-odds of an attempt added per unit of missing legitimacy")
    coup_contagion: float = _f(1.0, 0.0, 10.0, "log-odds of an attempt added per unit share of neighbours with a coup in the window")
    coup_contagion_months: int = field(default=24, metadata={"range": (1, 120), "doc": "window for recent coups nearby, months"})
    coup_trap: float = _f(1.5, 0.0, 10.0, "log-odds of an attempt added just after a coup in the same state (the coup trap), fading to 0 over the window")
    coup_trap_months: int = field(default=36, metadata={"range": (1, 240), "doc": "months over which the coup trap fades"})
    coup_peace: float = _f(2.0, 0.0, 10.0, "log-odds of an attempt removed from a state that has gone `coup_peace_months` "
                           "or more without a successful coup (less in proportion for a shorter record)")
    coup_peace_months: int = field(default=240, metadata={"range": (1, 1200), "doc": "months without a coup after "
                                                                                    "which the record counts fully"})
    coup_shock: float = _f(0.5, 0.0, 10.0, "log-odds of an attempt added while a bloc sanctions the state (an economic shock)")
    coup_success: float = _f(0.5, 0.0, 1.0, "chance that an attempt succeeds with no protection and no consolidation")
    coup_protection: float = _f(2.0, 0.0, 10.0, "log-odds of success removed per unit of regime protection by a present power")
    coup_consolidation: float = _f(1.0, 0.0, 10.0, "log-odds of success removed from an attempt against a junta in power for the whole window")
    coup_consolidation_months: int = field(default=24, metadata={"range": (1, 240), "doc": "months a junta takes to consolidate (coup-proof) its hold"})
    coup_legitimacy: float = _f(0.6, 0.0, 1.0, "legitimacy of a new junta (often popular at first)")
    transition_base: float = _f(0.006, 0.0, 0.5, "monthly probability a junta hands power to civilians, after the minimum")
    transition_min_months: int = field(default=18, metadata={"range": (0, 240), "doc": "months before a junta may transition"})
    transition_sanction_factor: float = _f(1.5, 0.0, 20.0, "multiplier of the transition probability under sanctions")
    transition_threat: float = _f(1.0, 0.0, 1.0, "share of the transition probability lost per unit of insurgent threat (a junta at war with insurgents holds on)")
    transition_legitimacy: float = _f(0.6, 0.0, 1.0, "legitimacy of a new civilian government")
    expel_threshold: float = _f(-0.3, -1.0, 1.0, "affinity below which a government acts to expel a power's forces")
    expel_rate: float = _f(0.15, 0.0, 1.0, "monthly probability of acting once below the threshold")
    invite_threshold: float = _f(0.7, -1.0, 1.0, "affinity above which a government invites a power's forces")
    invite_rate: float = _f(0.1, 0.0, 1.0, "monthly probability of inviting once above the threshold")
    invite_gap_weight: float = _f(0.5, 0.0, 2.0, "fall of a junta's invitation threshold for a full security gap "
                                  "(an insurgency neither its forces nor its partners hold)")
    reinforce_below: float = _f(500.0, 0.0, 1e5, "a government may invite more forces of a favoured power while fewer than this many are there (0 = no reinforcement)")
    withdrawal_months: int = field(default=4, metadata={"range": (1, 36), "doc": "months from the expulsion order (counted as month 1) until the last troops leave"})
    deploy_rate: float = _f(0.5, 0.0, 1.0, "monthly probability a power answers an open invitation when it has troops")
    deploy_size: float = _f(300.0, 1.0, 1e5, "troops sent in one deployment")
    incident_base: float = _f(0.02, 0.0, 1.0, "monthly incident probability between fully rival co-located forces")
    sanction_on_coup: float = _f(0.8, 0.0, 1.0, "probability a sanctioning bloc sanctions a member after a coup")
    sanction_lift: float = _f(0.05, 0.0, 1.0, "monthly probability a bloc lifts sanctions on a junta")
    aid_resume: float = _f(0.01, 0.0, 1.0, "monthly probability x (1 - conditionality) that suspended aid resumes under a junta")
    bloc_leave: float = _f(0.03, 0.0, 1.0, "monthly probability a sanctioned or estranged junta leaves a sanctioning bloc")
    bloc_join: float = _f(0.05, 0.0, 1.0, "monthly probability x share of member neighbours (of junta neighbours while the alliance is empty) that a junta joins it")
    alliance_leave: float = _f(0.05, 0.0, 1.0, "monthly probability a civilian government leaves the junta alliance")
    legitimacy_drift: float = _f(0.05, 0.0, 1.0, "share of the gap to the legitimacy target closed each month")
    legitimacy_threat: float = _f(0.5, 0.0, 2.0, "legitimacy lost per unit of insurgent threat")
    legitimacy_sanction: float = _f(0.15, 0.0, 1.0, "legitimacy lost while sanctioned")
    legitimacy_noise: float = _f(0.01, 0.0, 0.5, "standard deviation of monthly legitimacy shocks")


@dataclass
class CommitmentKindConf:
    """What becomes of one kind of dated commitment (sim.core.commitments) at its due month: it is kept
    with probability on_time (a commitment's own `on_time` in the world file wins); otherwise it is
    dropped with probability `dropped`, or else postponed by `delay_months` and tried again then."""

    on_time: float = _f(0.5, 0.0, 1.0, "probability the commitment is kept in its due month")
    dropped: float = _f(0.3, 0.0, 1.0, "probability a commitment not kept on time is dropped for good (else postponed)")
    delay_months: int = field(default=12, metadata={"range": (1, 120), "doc": "months a commitment not kept on time "
                                                                             "is postponed by"})


def _bloc_exit() -> CommitmentKindConf:
    return CommitmentKindConf(on_time=0.8, dropped=0.5, delay_months=6)


def _election() -> CommitmentKindConf:
    return CommitmentKindConf(on_time=0.25, dropped=0.3, delay_months=24)


def _drawdown() -> CommitmentKindConf:
    return CommitmentKindConf(on_time=0.5, dropped=0.2, delay_months=6)


@dataclass
class CommitmentsConf:
    """Dated commitments of the world file (docs/model.md, 7.16): treaty exits with their notice,
    transition timetables, announced drawdowns. Defaults from the record in docs/model.md."""

    bloc_exit: CommitmentKindConf = field(default_factory=_bloc_exit)
    election: CommitmentKindConf = field(default_factory=_election)
    drawdown: CommitmentKindConf = field(default_factory=_drawdown)


@dataclass
class PostureConf:
    """Powers' own decisions on their forces (sim.core.rules.posture, docs/model.md 7.17), taken every
    `every_months` months by each power whose decisions are not left to a workshop team (`--teams-decide`)."""

    every_months: int = field(default=3, metadata={"range": (1, 24), "doc": "months between a power's posture "
                                                                         "reviews (3 = quarterly)"})
    answer_interest: float = _f(0.3, 0.0, 2.0, "least interest (threat + regime protection x junta) for which a "
                                "power answers a government's invitation with troops")
    reinforce_affinity: float = _f(0.4, -1.0, 1.0, "least affinity of a host a power reinforces unasked")
    reinforce_threat: float = _f(0.6, 0.0, 1.0, "least insurgent threat for which a power reinforces unasked")
    reinforce_size: float = _f(100.0, 1.0, 1e5, "troops sent in one reinforcement by review (a rotation's "
                               "increment, smaller than a new deployment)")
    reinforce_rate: float = _f(0.3, 0.0, 1.0, "probability per review of reinforcing a partner under pressure, "
                               "times (1 - overstretch)")
    drawdown_affinity: float = _f(0.1, -1.0, 1.0, "a power draws down where the host's affinity is below this ...")
    drawdown_threat: float = _f(0.3, 0.0, 1.0, "... and the insurgent threat below this (no fight needs the troops)")
    drawdown_floor: float = _f(100.0, 0.0, 1e5, "troops a drawdown by review leaves (none below this are cut)")
    drawdown_rate: float = _f(0.3, 0.0, 1.0, "probability per review of a drawdown where one is called for")
    pull_out_affinity: float = _f(-0.2, -1.0, 1.0, "affinity below which a power pulls out before it is ordered out")
    pull_out_rate: float = _f(0.2, 0.0, 1.0, "probability per review of pulling out where the host is hostile")
    strain_reversion: float = _f(0.2, 0.0, 1.0, "share of the gap between a power's overstretch and its world value "
                                 "closed each review (the global driver's pull back to normal)")
    strain_margin: float = _f(0.15, 0.0, 1.0, "overstretch above its world value at which a power is over-committed "
                              "and draws down where it can")
    reengage_affinity: float = _f(0.0, -1.0, 1.0, "least affinity of a civilian government, new since a state "
                                  "expelled a power, for the power to re-engage (aid and invitations possible again)")


@dataclass
class PolicyConf:
    """How powers allocate their monthly budgets across states."""

    default: str = field(default="heuristic", metadata={"choices": ("heuristic", "fixed", "scripted"),
                                                        "doc": "policy of every power not named in per_power"})
    per_power: dict[str, str] = field(default_factory=dict, metadata={"doc": "policy by power code, e.g. {USA: fixed}"})
    temperature: float = _f(1.0, 0.01, 100.0, "softness of the heuristic's choice of where influence is cheapest")
    adjustment: float = _f(0.25, 0.0, 1.0, "share of the gap to the target allocation closed each month")
    gdp_cost_exponent: float = _f(0.5, 0.0, 2.0, "how fast the cost of influence rises with a state's GDP")
    loyalty: float = _f(0.5, 0.0, 1.0, "weight of keeping partners (affinity) against courting the others (room to "
                        "gain) in where a power spends")
    programme_share: float = _f(0.8, 0.0, 1.0, "share of the world file's aid flows kept as multi-year programmes by "
                                "the heuristic (the rest of the budget is spread where influence is cheapest)")
    rival_deterrence: float = _f(0.8, 0.0, 1.0, "share of a state's attraction lost where a rival's forces guard the "
                                 "regime (regime protection x rivalry)")


@dataclass
class PowerKnobs:
    """Overrides of one power's world-file values (null = keep the world's value)."""

    budget_factor: float | None = field(default=None, metadata={"range": (0.0, 20.0), "doc": "multiplier of all budgets"})
    troops_deployable: float | None = field(default=None, metadata={"range": (0.0, 1e6), "doc": "troops available"})
    colonial_baggage: float | None = field(default=None, metadata={"range": (0.0, 1.0), "doc": "see world format"})
    conditionality: float | None = field(default=None, metadata={"range": (0.0, 1.0), "doc": "see world format"})
    regime_protection: float | None = field(default=None, metadata={"range": (0.0, 1.0), "doc": "see world format"})
    overstretch: float | None = field(default=None, metadata={"range": (0.0, 1.0), "doc": "see world format"})
    remote_security: float | None = field(default=None, metadata={"range": (0.0, 1.0), "doc": "see world format"})
    strain_volatility: float | None = field(default=None, metadata={"range": (0.0, 1.0), "doc": "see world format"})
    host_price_usd_m: float | None = field(default=None, metadata={"range": (0.0, 1e4), "doc": "see world format"})


@dataclass
class TieKnobs:
    """Overrides of one state-power tie at the start (null = keep the world's value)."""

    affinity: float | None = field(default=None, metadata={"range": (-1.0, 1.0), "doc": "starting affinity"})
    opinion: float | None = field(default=None, metadata={"range": (-1.0, 1.0), "doc": "starting public opinion"})
    expelled: bool | None = None
    aid_suspended: bool | None = None


@dataclass
class ScriptedEventConf:
    """A scripted event given by codes, in the world file's scripted-event format: an experiment's
    extra event (scenario.extra_events), and, with the turn it is set for, a workshop facilitator's
    inject (workshop.game.Inject). sim.core.world.scripted_event turns it into the ScriptedEvent the
    model applies."""

    date: str = ""  # 'YYYY-MM'; an inject's month follows from its turn instead
    type: str = ""
    state: str = ""
    power: str = ""
    bloc: str = ""
    troops: float = 0.0
    note: str = ""  # the cause recorded with the event
    source: str = ""  # where the event comes from (default: the note)


@dataclass
class ScenarioConf:
    """Which world file to start from, and experiment knobs applied on top of it."""

    name: str = field(default="sahel_2024", metadata={"doc": "world file scenarios/NAME.yaml"})
    # Plain mappings in the schema (so that `+scenario.powers.RUS.overstretch=0.9` works on the
    # command line); `to_config` turns each entry into a PowerKnobs / TieKnobs and checks it.
    powers: dict[str, Any] = field(default_factory=dict, metadata={"item": "PowerKnobs", "doc": "knobs by power"})
    ties: dict[str, Any] = field(default_factory=dict, metadata={"item": "TieKnobs",
                                                                 "doc": "keys 'STATE-POWER', e.g. NER-USA"})
    cancel_withdrawals: list[str] = field(default_factory=list, metadata={"doc": "'STATE-POWER' forces that stay"})
    cancel_commitments: list[str] = field(default_factory=list, metadata={
        "doc": "ids of the world file's commitments switched off (they never happen)"})
    commitment_on_time: dict[str, float] = field(default_factory=dict, metadata={
        "doc": "ids of the world file's commitments with their chance of being kept on time, e.g. "
               "{fra_drawdown_chad: 1.0} (a plan carried out as announced)"})
    extra_events: list[ScriptedEventConf] = field(default_factory=list)
    rivalry_default: float = _f(0.3, 0.0, 1.0, "rivalry of two powers not named in rivalry")
    rivalry: dict[str, float] = field(default_factory=lambda: {"USA-RUS": 1.0, "FRA-RUS": 1.0, "USA-CHN": 0.6})


@dataclass
class PlayersConf:
    """Actors whose decisions players make (a workshop game with --teams-decide): the rules then
    make none of those decisions for them. Empty in every run outside such a game."""

    states: list[str] = field(default_factory=list, metadata={
        "doc": "states whose governments' decisions are left to players: no expulsion, invitation, bloc move or "
               "transition by rule (coups still happen)"})
    blocs: list[str] = field(default_factory=list, metadata={
        "doc": "blocs whose sanctions are left to players: none imposed after a coup or lifted by rule"})
    powers: list[str] = field(default_factory=list, metadata={
        "doc": "powers whose decisions are left to players: no deployment answering an invitation, no aid "
               "suspended after a coup or resumed by rule"})


@dataclass
class RunConf:
    """Length and outputs of a run."""

    steps: int = field(default=36, metadata={"range": (1, 600), "doc": "months to simulate"})
    plots: bool = field(default=True, metadata={"doc": "write the plots under plots/"})
    summary: bool = field(default=True, metadata={"doc": "print a summary of what happened"})


@dataclass
class Config:
    """The whole configuration of a run (the root of the Hydra schema)."""

    seed: int = field(default=0, metadata={"range": (0, 2**63 - 1), "doc": "seed of the run's random streams"})
    scenario: ScenarioConf = field(default_factory=ScenarioConf)
    incentives: IncentivesConf = field(default_factory=IncentivesConf)
    alignment: AlignmentConf = field(default_factory=AlignmentConf)
    effects: EffectsConf = field(default_factory=EffectsConf)
    insurgency: InsurgencyConf = field(default_factory=InsurgencyConf)
    hazards: HazardsConf = field(default_factory=HazardsConf)
    commitments: CommitmentsConf = field(default_factory=CommitmentsConf)
    policy: PolicyConf = field(default_factory=PolicyConf)
    posture: PostureConf = field(default_factory=PostureConf)
    run: RunConf = field(default_factory=RunConf)
    players: PlayersConf = field(default_factory=PlayersConf)
    experiment: str = field(default="", metadata={"doc": "name of the experiment overlay applied, if any"})


class ConfigError(ValueError):
    """A configuration value outside its legal range; the message names the field and the fix."""


def validate_config(cfg: Any, path: str = "") -> None:
    """Check every ranged field of a Config (dataclass or OmegaConf node) against its legal range."""
    validate_schema(cfg, Config, path)


def validate_schema(obj: Any, schema: type, path: str) -> None:
    """Check every ranged or closed-choice field of `obj` against the dataclass `schema` (Config, or an
    app's own schema such as a sweep's), recursing into the dataclasses it holds; power and tie knobs
    given as plain mappings become their dataclasses on the way."""
    if not is_dataclass(schema):
        return
    for f in fields(schema):
        value = getattr(obj, f.name)
        where = f"{path}{f.name}"
        rng = f.metadata.get("range")
        choices = f.metadata.get("choices")
        if rng is not None and value is not None:
            lo, hi = rng
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not (lo <= value <= hi):
                raise ConfigError(
                    f"Configuration value {where}={value!r} is out of range: it must be a number between "
                    f"{lo} and {hi} ({f.metadata.get('doc', '')}). Fix the override or the file under conf/ "
                    f"that sets it."
                )
        if choices is not None and value not in choices:
            raise ConfigError(
                f"Configuration value {where}={value!r} is not allowed: choose one of {', '.join(choices)} "
                f"({f.metadata.get('doc', '')}). Fix the override or the file under conf/ that sets it."
            )
        held = held_dataclass(schema, f)
        if held is None:
            continue
        how, sub = held
        if how == "item":
            for key, item in value.items():
                if not is_dataclass(item):
                    value[key] = item = knobs_from_mapping(sub, item, f"{where}.{key}")
                validate_schema(item, sub, f"{where}.{key}.")
        elif how == "list":
            for i, item in enumerate(value):
                validate_schema(item, sub, f"{where}[{i}].")
        else:
            validate_schema(value, sub, f"{where}.")


# ---------------------------------------------------------------- parameters by dotted name


def held_dataclass(owner: type, f: Field) -> tuple[str, type] | None:
    """How a field of the dataclass `owner` holds a dataclass, if it does: ('direct', cls) for a
    nested section, ('item', cls) for the values of a mapping of knobs (field metadata 'item'),
    ('list', cls) for the items of a list."""
    item = f.metadata.get("item")
    if item is not None:
        return "item", globals()[item]
    tp = _type_hints(owner)[f.name]
    if is_dataclass(tp):
        return "direct", tp
    if typing.get_origin(tp) is list:
        (arg,) = typing.get_args(tp)
        if is_dataclass(arg):
            return "list", arg
    return None


@functools.cache
def _type_hints(owner: type) -> dict[str, Any]:
    """The field types of a dataclass as objects (modules here use postponed annotations)."""
    return typing.get_type_hints(owner)


@dataclass(frozen=True)
class Parameter:
    """A field of the configuration found by its dotted name (e.g. 'hazards.coup_base')."""

    name: str
    owner: type  # the dataclass that holds the field
    field: Field

    @property
    def range(self) -> tuple[float, float] | None:
        """The legal range (low, high), or None for a field without one (a text, a flag, a section)."""
        rng = self.field.metadata.get("range")
        return (float(rng[0]), float(rng[1])) if rng is not None else None

    @property
    def doc(self) -> str:
        return str(self.field.metadata.get("doc", ""))

    @property
    def type(self) -> Any:
        """The field's type as an object (int, float, a dataclass ...)."""
        return _type_hints(self.owner)[self.field.name]

    @property
    def is_model_number(self) -> bool:
        """A number that shapes the dynamics (not a run setting such as run.steps, not a seed or a
        scenario entry): what sweeps, calibration and per-run values may vary."""
        return self.range is not None and self.name.split(".")[0] not in ("scenario", "run", "seed")


def parameter(name: str, schema: type | None = None) -> Parameter:
    """The field of `schema` (default Config) named by a dotted name; a ConfigError naming the first
    part that does not exist otherwise."""
    owner: type = Config if schema is None else schema
    *path, leaf = name.split(".")
    for depth, part in enumerate([*path, leaf]):
        spec = {f.name: f for f in fields(owner)}
        if part not in spec:
            where = ".".join(path[:depth]) or "the top level"
            raise ConfigError(f"Parameter {name!r} does not exist: {where} has no {part!r} (its names are "
                              f"{', '.join(spec)}). See docs/parameters.md for every name.")
        if depth == len(path):
            return Parameter(name=name, owner=owner, field=spec[part])
        held = held_dataclass(owner, spec[part])
        if held is None or held[0] != "direct":
            raise ConfigError(f"Parameter {name!r} does not exist: {'.'.join(path[:depth + 1])} is not a section "
                              f"of the configuration. See docs/parameters.md for every name.")
        owner = held[1]
    raise AssertionError("unreachable")


def model_number(name: str) -> Parameter | None:
    """The numeric model parameter of a dotted name (what sweeps, calibration and per-run values may
    vary), or None if the name is not one."""
    try:
        found = parameter(name)
    except ConfigError:
        return None
    return found if found.is_model_number else None


def parameter_value(cfg: Any, name: str) -> Any:
    """The value of a dotted parameter name in a configuration (e.g. 'hazards.coup_base')."""
    parameter(name, type(cfg) if is_dataclass(cfg) else None)
    node = cfg
    for part in name.split("."):
        node = getattr(node, part)
    return node


def set_parameter(cfg: Any, name: str, value: Any) -> None:
    """Set a dotted parameter name in a configuration, in place (check it with validate_config)."""
    parameter(name, type(cfg) if is_dataclass(cfg) else None)
    *path, leaf = name.split(".")
    node = cfg
    for part in path:
        node = getattr(node, part)
    setattr(node, leaf, value)


def power_knob(name: str) -> tuple[str, str, tuple[float, float]] | None:
    """(power code, knob, legal range) of a name 'scenario.powers.CODE.knob' (e.g.
    scenario.powers.RUS.overstretch), None for any other name; a ConfigError for an unknown knob."""
    parts = name.split(".")
    if len(parts) != 4 or parts[:2] != ["scenario", "powers"]:
        return None
    spec = {f.name: f for f in fields(PowerKnobs)}
    if parts[3] not in spec:
        raise ConfigError(f"Parameter {name!r}: a power has no knob {parts[3]!r}. Use one of "
                          f"{', '.join(spec)} (see docs/parameters.md).")
    lo, hi = spec[parts[3]].metadata["range"]
    return parts[2], parts[3], (float(lo), float(hi))


def knobs_from_mapping(schema: type, mapping: Any, where: str) -> Any:
    """A PowerKnobs / TieKnobs from a plain mapping; unknown keys are a ConfigError."""
    known = {f.name for f in fields(schema)}
    data = dict(mapping or {})
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"Configuration key {where}.{unknown[0]} does not exist: the knobs of {where} are "
            f"{', '.join(sorted(known))}. Fix the override or the experiment file that sets it."
        )
    return schema(**data)
