"""The Mesa driver on the tiny world: scripted coup and transition, the US withdrawal from Niger and
the handover of Air Base 101, agents as views of the arrays, and the event log's vocabulary and
causes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import yaml

from sim.agents import Bloc, ForeignPower, InsurgentGroup, Junta, State
from sim.config import to_config
from sim.core.consequences import deploy_forces
from sim.core.context import StepContext
from sim.core.params import ScenarioConf, ScriptedEventConf
from sim.core.vocabulary import EVENT_TYPES, TERM_LABELS, EventType
from sim.core.world import load_world, scenario_path
from sim.model import InfluenceModel

NER, MLI, BEN = 0, 1, 2
USA, RUS = 0, 1
ECOWAS, AES = 0, 1


def _cfg(base_cfg, **hazards):
    """The base config with some hazards replaced. coup_base=0 by default: no coup but the scripted one
    (logit(0) is clipped at 1e-12, so the hazard stays below 1e-9 whatever the other factors)."""
    hazards = {"coup_base": 0.0, **hazards}
    return to_config(dataclasses.replace(base_cfg, hazards=dataclasses.replace(base_cfg.hazards, **hazards)))


def _events(model, etype=None, step=None):
    return [e for e in model.events if (etype is None or e.type == etype) and (step is None or e.step == step)]


def _run_until(model, step):
    while model.state.step < step:
        model.step()


# ------------------------------------------------------------------ agents


def test_agents_mirror_the_world(base_cfg, tiny_world):
    model = InfluenceModel(base_cfg, world=tiny_world)
    assert [a.code for a in model.state_agents] == ["NER", "MLI", "BEN"]
    assert [a.code for a in model.power_agents] == ["USA", "RUS"]
    assert len(model.agents_by_type[State]) == 3 and len(model.agents_by_type[ForeignPower]) == 2
    assert len(model.agents_by_type[InsurgentGroup]) == 1 and len(model.agents_by_type[Bloc]) == 2
    ner, ben = model.state_agents[NER], model.state_agents[BEN]
    assert ner.regime == "junta" and ben.regime == "civilian"
    assert ner.troops_hosted == {"USA": 400.0, "RUS": 100.0}
    assert ner.affinity == pytest.approx({"USA": -0.5, "RUS": 0.6})
    assert ner.leading_partner == "RUS" and ben.leading_partner == "USA"
    assert ner.blocs == ["ECOWAS"] and model.state_agents[MLI].blocs == ["AES"]
    assert model.bloc_agents[ECOWAS].members == ["NER", "BEN"]
    assert model.power_agents[USA].troops_deployed == 400.0
    assert model.group_agents[0].intensity == pytest.approx({"NER": 0.4, "MLI": 0.6, "BEN": 0.1})


def test_juntas_at_the_start(base_cfg, tiny_world):
    model = InfluenceModel(base_cfg, world=tiny_world)
    assert sorted(model.juntas) == [NER, MLI]
    assert len(model.agents_by_type[Junta]) == 2
    ner = model.juntas[NER]
    assert model.state_agents[NER].junta is ner and ner.state is model.state_agents[NER]
    # coup 2023-07, world as of 2024-05: 10 months in power, seized at step -10
    assert ner.months_in_power == 10
    assert tiny_world.date_of(ner.seized_step) == "2023-07"
    assert ner.weights == base_cfg.incentives.junta
    assert model.state_agents[BEN].junta is None


def test_agents_read_the_current_arrays(base_cfg, tiny_world):
    model = InfluenceModel(base_cfg, world=tiny_world)
    model.step()
    ner = model.state_agents[NER]
    assert ner.affinity["RUS"] == pytest.approx(float(model.state.affinity[NER, RUS, 0]))
    assert ner.legitimacy == pytest.approx(float(model.state.legitimacy[NER, 0]))
    terms = model.juntas[NER].incentive_terms("USA")
    assert list(terms) == list(TERM_LABELS)
    assert sum(terms.values()) == pytest.approx(float(model.state.utility[NER, USA, 0]))


# ------------------------------------------------------------------ the scripted coup in Benin


def test_scripted_coup_creates_a_junta_agent(base_cfg, tiny_world):
    model = InfluenceModel(_cfg(base_cfg), world=tiny_world)
    _run_until(model, 2)
    assert BEN not in model.juntas
    model.step()  # step 3: 2024-08
    assert model.date == "2024-08"
    junta = model.juntas[BEN]
    assert isinstance(junta, Junta) and junta in model.agents_by_type[Junta]
    assert model.state_agents[BEN].junta is junta and model.state_agents[BEN].regime == "junta"
    coups = _events(model, "coup")
    assert [(e.step, e.state, e.scripted) for e in coups] == [(3, BEN, True)]
    assert coups[0].cause == "scripted coup in Benin (test fixture)"
    # a new junta starts with the coup legitimacy 0.6, then drifts one month
    assert 0.4 < model.state_agents[BEN].legitimacy < 0.8


def test_junta_seized_step_is_the_coup_step(base_cfg, tiny_world):
    model = InfluenceModel(_cfg(base_cfg), world=tiny_world)
    _run_until(model, 3)
    # the coup's own month counts as month 0 (as a coup dated at as_of in a world file does at step 0)
    assert model.juntas[BEN].seized_step == 3
    assert model.juntas[BEN].months_in_power == 0
    model.step()
    assert model.juntas[BEN].seized_step == 3 and model.juntas[BEN].months_in_power == 1
    states = model.recorder.states_table().set_index(["step", "state"])
    assert states.loc[(3, "BEN"), "months_since_coup"] == 0
    assert states.loc[(0, "NER"), "months_since_coup"] == 10  # coup 2023-07, as_of 2024-05


@pytest.mark.parametrize("p_sanction, sanctioned", [(1.0, True), (0.0, False)])
def test_coup_sanctions_follow_the_rule(base_cfg, tiny_world, p_sanction, sanctioned):
    model = InfluenceModel(_cfg(base_cfg, sanction_on_coup=p_sanction, sanction_lift=0.0), world=tiny_world)
    _run_until(model, 3)
    sanctions = _events(model, "sanction")
    # ECOWAS sanctions coups (with probability sanction_on_coup); the AES never does
    assert [(e.step, e.state, e.bloc) for e in sanctions] == ([(3, BEN, ECOWAS)] if sanctioned else [])
    assert bool(model.state.sanctioned[BEN, ECOWAS, 0]) is sanctioned
    assert not model.state.sanctioned[BEN, AES, 0]
    if sanctioned:
        assert sanctions[0].cause == ("Economic Community of West African States sanctions Benin after the coup")


def test_coup_sanction_uses_the_sanction_stream(base_cfg, tiny_world):
    # with the default probability 0.8 the sanction happens exactly when the run's draw is below it
    cfg = _cfg(base_cfg, sanction_lift=0.0)
    for seed in range(6):
        model = InfluenceModel(dataclasses.replace(cfg, seed=seed), world=tiny_world)
        _run_until(model, 3)
        draw = model.simulation.month_draws(3)["sanction"][BEN, ECOWAS, 0]
        assert bool(model.state.sanctioned[BEN, ECOWAS, 0]) == (draw < cfg.hazards.sanction_on_coup)


def test_coup_aid_consequences_follow_conditionality(base_cfg, tiny_world):
    model = InfluenceModel(_cfg(base_cfg), world=tiny_world)
    _run_until(model, 4)
    # USA conditionality 1.0: aid suspended whatever the draw; RUS conditionality 0: never
    suspends = _events(model, "aid_suspend")
    assert [(e.step, e.state, e.power) for e in suspends] == [(3, BEN, USA)]
    assert "conditionality 1.00" in suspends[0].cause
    assert model.state.aid_suspended[BEN, USA, 0] and not model.state.aid_suspended[BEN, RUS, 0]
    # US aid cannot resume under the junta: 0.01 x (1 - 1.0) = 0
    assert not _events(model, "aid_resume")
    ties = model.recorder.ties_table().set_index(["step", "state", "power"])
    assert not ties.loc[(2, "BEN", "USA"), "aid_suspended"] and ties.loc[(3, "BEN", "USA"), "aid_suspended"]
    # scripted events come before the rules, so Benin already scores with the junta's weights in step 3:
    # conditionality cost of the US = -1.2 (junta weight) x 1.0 (conditionality) x (0.5 + 0.5 x 1 suspended)
    # = -1.2; Russia 0 (conditionality 0); as a civilian government in step 2 it paid nothing
    assert ties.loc[(2, "BEN", "USA"), "term_conditionality"] == 0.0
    assert ties.loc[(3, "BEN", "USA"), "term_conditionality"] == pytest.approx(-1.2)
    assert ties.loc[(4, "BEN", "USA"), "term_conditionality"] == pytest.approx(-1.2)
    assert ties.loc[(3, "BEN", "RUS"), "term_conditionality"] == 0.0


def test_a_scripted_change_already_made_this_month_is_not_logged_twice(base_cfg, tiny_world_path):
    """Benin's scripted coup (2024-08) makes the US (conditionality 1) suspend aid and ECOWAS
    (sanction_on_coup 1) sanction it. A workshop team's, or a scenario's, suspension and sanction in
    the same month change nothing more and are not recorded again; a resumption is."""
    cfg = _cfg(base_cfg, sanction_on_coup=1.0)
    extra = [
        ScriptedEventConf(date="2024-08", type="aid_suspend", state="BEN", power="USA", note="team USA"),
        ScriptedEventConf(date="2024-08", type="sanction", state="BEN", bloc="ECOWAS", note="team ECOWAS"),
        ScriptedEventConf(date="2024-09", type="aid_resume", state="BEN", power="USA", note="team USA"),
    ]
    world = load_world(tiny_world_path, dataclasses.replace(cfg.scenario, extra_events=extra))
    model = InfluenceModel(cfg, world=world)
    _run_until(model, 3)  # 2024-08
    coup_month = next(e.step for e in _events(model, "coup") if e.state == BEN)
    suspends = [e for e in _events(model, "aid_suspend") if e.state == BEN]
    sanctions = [e for e in _events(model, "sanction") if e.state == BEN]
    assert [(e.step, e.scripted) for e in suspends] == [(coup_month, False)]  # the rule's, once
    assert [(e.step, e.scripted) for e in sanctions] == [(coup_month, False)]
    assert coup_month == 3 and model.state.aid_suspended[BEN, USA, 0]
    model.step()  # 2024-09
    resumes = [e for e in _events(model, "aid_resume") if e.state == BEN]
    assert [(e.scripted, e.cause) for e in resumes] == [(True, "team USA")]
    assert not model.state.aid_suspended[BEN, USA, 0]


def test_scripted_transition_removes_the_junta(base_cfg, tiny_world_path):
    cfg = _cfg(base_cfg, sanction_on_coup=1.0, sanction_lift=0.0)
    knobs = dataclasses.replace(
        cfg.scenario,
        name=str(tiny_world_path),
        extra_events=[ScriptedEventConf(date="2024-10", type="transition", state="BEN", note="elections in Benin")],
    )
    world = load_world(tiny_world_path, knobs)
    model = InfluenceModel(cfg, world=world)
    _run_until(model, 4)
    junta = model.juntas[BEN]
    model.step()  # step 5: 2024-10
    assert BEN not in model.juntas and junta not in model.agents_by_type[Junta]
    assert model.state_agents[BEN].regime == "civilian" and model.state_agents[BEN].junta is None
    assert [(e.step, e.scripted, e.cause) for e in _events(model, "transition")] == [(5, True, "elections in Benin")]
    # the return to civilian rule lifts ECOWAS sanctions and resumes US aid at once
    lifts = _events(model, "sanction_lift", step=5)
    assert [(e.state, e.bloc) for e in lifts] == [(BEN, ECOWAS)]
    assert "return to civilian rule" in lifts[0].cause
    assert [(e.state, e.power) for e in _events(model, "aid_resume", step=5)] == [(BEN, USA)]
    assert not model.state.sanctioned[BEN].any() and not model.state.aid_suspended[BEN, :, 0].any()
    # the transition legitimacy 0.6, after one month of drift
    assert 0.4 < model.state_agents[BEN].legitimacy < 0.8
    assert sorted(model.juntas) == [NER, MLI]


def test_transition_via_composed_config(tiny_world_path):
    from sim.config import compose_config

    cfg = compose_config(
        [
            "run.steps=5",
            "run.plots=false",
            "hazards.coup_base=0",
            f"scenario.name={tiny_world_path}",
            "scenario.extra_events=[{date:'2024-10',type:transition,state:BEN}]",
        ]
    )
    model = InfluenceModel(cfg)
    model.run()
    assert model.state.step == 5
    assert BEN not in model.juntas
    assert [e.step for e in _events(model, "transition")] == [5]


def test_a_junta_agent_exists_exactly_while_its_state_is_a_junta(base_cfg, tiny_world):
    cfg = _cfg(base_cfg, coup_base=0.05)  # frequent coups and counter-coups
    for seed in range(4):
        model = InfluenceModel(dataclasses.replace(cfg, seed=seed), world=tiny_world)
        for _ in range(12):
            model.step()
            juntas = set(np.nonzero(model.state.junta[:, 0])[0].tolist())
            assert set(model.juntas) == juntas
            assert len(model.agents_by_type[Junta]) == len(juntas)
            assert all(model.juntas[s].state_index == s for s in juntas)


def test_counter_coup_replaces_the_junta_agent(base_cfg, tiny_world):
    # attempts certain to succeed: the juntas of NER and MLI fall to counter-coups in month 1
    cfg = _cfg(
        base_cfg, coup_base=0.5, coup_attempt_max=1.0, coup_success=1.0, coup_consolidation=0.0, coup_protection=0.0
    )
    model = InfluenceModel(cfg, world=tiny_world)
    old = dict(model.juntas)
    model.step()
    assert {e.state for e in _events(model, "coup")} >= {NER, MLI}
    assert all(e.cause.startswith("counter-coup") for e in _events(model, "coup") if e.state in (NER, MLI))
    for s in (NER, MLI):
        assert model.juntas[s] is not old[s]
        assert old[s] not in model.agents_by_type[Junta]


# ------------------------------------------------------------------ the US withdrawal and Air Base 101


def test_us_withdrawal_from_niger_completes_at_step_2(base_cfg, tiny_world):
    model = InfluenceModel(_cfg(base_cfg), world=tiny_world)
    model.step()
    # two months left: one half leaves in month 1 (400 x 1/2 = 200)
    assert model.state.troops[NER, USA, 0] == pytest.approx(200.0)
    assert model.state.withdraw_left[NER, USA, 0] == 1
    assert not _events(model, "withdraw_complete")
    model.step()
    assert model.state.troops[NER, USA, 0] == 0.0
    assert model.state.withdraw_left[NER, USA, 0] == 0
    done = _events(model, "withdraw_complete")
    assert [(e.step, e.state, e.power, e.scripted) for e in done] == [(2, NER, USA, False)]
    assert done[0].cause == "the last United States forces leave Niger"
    assert model.state.troops[NER, RUS, 0] == 100.0  # Russia stays


def test_air_base_is_handed_to_the_co_tenant(base_cfg, tiny_world):
    model = InfluenceModel(_cfg(base_cfg), world=tiny_world)
    _run_until(model, 3)
    handovers = _events(model, "base_handover")
    assert [(e.step, e.state, e.power, e.base) for e in handovers] == [(2, NER, RUS, 0)]
    assert handovers[0].cause == ("United States leaves Air Base 101 Niamey, handed over to the Russia forces there")
    bases = model.recorder.bases_table().set_index("step")
    assert (bases.loc[0, "owner"], bases.loc[0, "co_tenant"]) == ("USA", "RUS")
    assert (bases.loc[1, "owner"], bases.loc[1, "co_tenant"]) == ("USA", "RUS")
    assert (bases.loc[2, "owner"], bases.loc[2, "co_tenant"]) == ("RUS", "")
    events = model.recorder.events_table()
    row = events[events["type"] == "base_handover"].iloc[0]
    assert (row["state"], row["power"], row["base"]) == ("NER", "RUS", "Air Base 101 Niamey")
    assert row["date"] == "2024-07"


def test_cancelled_withdrawal_keeps_the_base(base_cfg, tiny_world_path):
    cfg = _cfg(base_cfg, expel_rate=0.0)  # Niger (affinity -0.5) could otherwise order them out again
    world = load_world(tiny_world_path, dataclasses.replace(cfg.scenario, cancel_withdrawals=["NER-USA"]))
    model = InfluenceModel(cfg, world=world)
    _run_until(model, 3)
    assert model.state.troops[NER, USA, 0] == 400.0
    assert not _events(model, "withdraw_complete") and not _events(model, "base_handover")


# ------------------------------------------------------------------ the event log


def _decision_cfg(base_cfg):
    """Niger has turned against Russia (affinity -0.9) and acts at once; Mali invites at once (above 0.5)."""
    cfg = _cfg(base_cfg, expel_rate=1.0, invite_rate=1.0, invite_threshold=0.5)
    return to_config(
        dataclasses.replace(cfg, scenario=dataclasses.replace(cfg.scenario, ties={"NER-RUS": {"affinity": -0.9}}))
    )


def test_expel_and_invite_in_month_one(base_cfg, tiny_world_path):
    cfg = _decision_cfg(base_cfg)
    model = InfluenceModel(cfg, world=load_world(tiny_world_path, cfg.scenario))
    model.step()
    assert [(e.state, e.power) for e in _events(model, "expel")] == [(NER, RUS)]
    assert model.state.expelled[NER, RUS, 0] and model.state.withdraw_left[NER, RUS, 0] > 0
    # Mali (affinity 0.8 > 0.5) invites Russia, which has 600 deployable >= 300 and deploys (draw < 0.5)
    assert [(e.state, e.power) for e in _events(model, "invite")] == [(MLI, RUS)]


def _event_mentions_terms(cause: str) -> bool:
    return "outweighed" in cause or any(label in cause for label in TERM_LABELS.values())


@pytest.mark.parametrize("seed", range(4))
def test_expel_and_invite_causes_name_the_terms(base_cfg, tiny_world_path, seed):
    cfg = dataclasses.replace(_decision_cfg(base_cfg), seed=seed)
    model = InfluenceModel(cfg, world=load_world(tiny_world_path, cfg.scenario))
    model.run(12)
    decisions = [e for e in model.events if e.type in ("expel", "invite")]
    assert decisions
    for e in decisions:
        assert _event_mentions_terms(e.cause), e.cause
        assert "(affinity " in e.cause
        state, power = model.world.state_names[e.state], model.world.power_names[e.power]
        if e.type == "expel":
            assert e.cause.startswith(f"{state} orders out {power} forces")
        else:
            assert e.cause.startswith((f"{state} invites {power} forces", f"{state} asks {power} for more forces"))


def test_a_reinforcement_changes_no_base(base_cfg, tiny_world_path):
    """Russia has 100 troops in Niger. With Air Base 101 held by the US alone, 300 more Russian
    troops sent by rule join Russia's forces and leave the base as it was; a first Russian
    deployment to Niger, or a scripted one (a workshop team's proposal for the base), shares it."""
    cfg = _cfg(base_cfg)
    world = load_world(tiny_world_path, cfg.scenario)
    model = InfluenceModel(cfg, world=world)
    niamey = world.base_names.index("Air Base 101 Niamey")
    model.state.base_co_tenant[niamey] = -1
    owner, tenant = model.state.base_owner.copy(), model.state.base_co_tenant.copy()
    ctx = StepContext(state=model.state, world=world, cfg=cfg, draws={}, run_ids=np.array([0]), policies=[])
    more = np.zeros(model.state.troops.shape, bool)
    more[NER, RUS] = True
    deploy_forces(ctx, more, 300.0, scripted=False)
    assert model.state.troops[NER, RUS, 0] == 400.0
    np.testing.assert_array_equal(model.state.base_owner, owner)
    np.testing.assert_array_equal(model.state.base_co_tenant, tenant)
    assert not [e for e in ctx.events if e.type == "base_handover"]
    deploy_forces(ctx, more, 300.0, scripted=True)  # scripted: acts on the bases though Russia is there
    assert model.state.base_owner[niamey, 0] == USA and model.state.base_co_tenant[niamey, 0] == RUS
    model.state.base_co_tenant[niamey] = -1
    model.state.troops[NER, RUS, 0] = 0.0  # as if Russia had no forces there: a first deployment
    deploy_forces(ctx, more, 300.0, scripted=False)
    assert model.state.base_owner[niamey, 0] == USA and model.state.base_co_tenant[niamey, 0] == RUS


@pytest.mark.parametrize("below, reinforces", [(500.0, True), (100.0, False), (0.0, False)])
def test_a_government_asks_a_favoured_power_present_for_more_forces(base_cfg, tiny_world_path, below, reinforces):
    """Niger likes Russia (affinity 0.6 > 0.5) and hosts 100 Russian troops, fewer than 500: it may
    ask for more. With a ceiling of 100 (or 0, no reinforcement) it may not. Mali invites Russia
    in every case."""
    cfg = _cfg(base_cfg, invite_rate=1.0, invite_threshold=0.5, reinforce_below=below)
    model = InfluenceModel(cfg, world=load_world(tiny_world_path, cfg.scenario))
    model.step()
    invites = {(e.state, e.power): e.cause for e in _events(model, "invite")}
    assert (MLI, RUS) in invites and invites[(MLI, RUS)].startswith("Mali invites Russia forces")
    assert ((NER, RUS) in invites) is reinforces
    if reinforces:
        assert invites[(NER, RUS)].startswith("Niger asks Russia for more forces (100 there): ")


@pytest.mark.parametrize("world_name", ["tiny", "sahel_2024"])
def test_every_event_type_is_in_the_vocabulary(base_cfg, tiny_world, world_name):
    world = tiny_world if world_name == "tiny" else load_world(scenario_path("sahel_2024"), base_cfg.scenario)
    cfg = _cfg(base_cfg, coup_base=0.02, expel_rate=0.5, invite_rate=0.5, sanction_lift=0.2)
    seen = set()
    for seed in range(3):
        model = InfluenceModel(dataclasses.replace(cfg, seed=seed), world=world)
        model.run(24)
        events = model.recorder.events_table()
        assert set(events["type"]) <= set(EVENT_TYPES)
        assert (events["cause"].str.len() > 0).all()
        assert (events["step"] >= 1).all() and (events["step"] <= 24).all()
        seen |= set(events["type"])
        for e in model.events:
            if e.type in ("expel", "invite"):
                assert _event_mentions_terms(e.cause), e.cause
    assert {"coup", "withdraw_complete", "base_handover"} <= seen
    assert EVENT_TYPES == tuple(e.value for e in EventType)


def test_tables_have_one_row_per_step_state_and_power(base_cfg, tiny_world):
    model = InfluenceModel(base_cfg, world=tiny_world)
    model.run()  # run.steps=6
    states, ties = model.recorder.states_table(), model.recorder.ties_table()
    assert len(states) == 7 * 3 and len(ties) == 7 * 3 * 2
    assert list(states["date"].unique()) == [
        "2024-05",
        "2024-06",
        "2024-07",
        "2024-08",
        "2024-09",
        "2024-10",
        "2024-11",
    ]
    assert {"ecowas", "aes", "insurgency_jnim", "leading_partner", "regime"} <= set(states.columns)
    assert {f"term_{t}" for t in TERM_LABELS} <= set(ties.columns)
    start = ties[ties["step"] == 0].set_index(["state", "power"])
    assert start.loc[("NER", "USA"), "troops"] == 400.0 and start.loc[("NER", "USA"), "withdrawing"]
    assert start.loc[("BEN", "USA"), "aid_economic_usd_m"] == 5.0


def test_states_and_powers_knobs_from_the_config(base_cfg, tiny_world_path):
    cfg = to_config(
        dataclasses.replace(
            base_cfg,
            scenario=ScenarioConf(
                name=str(tiny_world_path), powers={"RUS": {"overstretch": 0.9, "budget_factor": 2.0}}
            ),
        )
    )
    model = InfluenceModel(cfg)  # loads the world itself from scenario.name
    assert model.world.overstretch[RUS] == 0.9
    np.testing.assert_allclose(model.world.budget_usd_m[RUS], [10.0, 2.0, 6.0])  # (5, 1, 3) x 2


# ------------------------------------------------------------------ civilian governments, scripted measures


def _with_scripted(tmp_path, tiny_world_path, cfg, *events):
    data = yaml.safe_load(tiny_world_path.read_text(encoding="utf-8"))
    data["scripted_events"] += [dict(e, source="test") for e in events]
    path = tmp_path / "world.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_world(path, cfg.scenario)


def test_civilian_government_gets_suspended_aid_back(base_cfg, tiny_world_path):
    cfg = _cfg(base_cfg)
    cfg = to_config(
        dataclasses.replace(cfg, scenario=dataclasses.replace(cfg.scenario, ties={"BEN-USA": {"aid_suspended": True}}))
    )
    model = InfluenceModel(cfg, world=load_world(tiny_world_path, cfg.scenario))
    model.step()
    assert [(e.state, e.power) for e in _events(model, "aid_resume")] == [(BEN, USA)]
    assert not model.state.aid_suspended[BEN, USA, 0]


def test_aid_resume_cause_does_not_call_a_civilian_government_a_junta(base_cfg, tiny_world_path):
    cfg = _cfg(base_cfg)
    cfg = to_config(
        dataclasses.replace(cfg, scenario=dataclasses.replace(cfg.scenario, ties={"BEN-USA": {"aid_suspended": True}}))
    )
    model = InfluenceModel(cfg, world=load_world(tiny_world_path, cfg.scenario))
    model.step()
    (resume,) = _events(model, "aid_resume")
    assert "junta" not in resume.cause


def test_scripted_measures_against_a_civilian_government_last(tmp_path, base_cfg, tiny_world_path):
    cfg = _cfg(base_cfg)
    world = _with_scripted(
        tmp_path,
        tiny_world_path,
        cfg,
        {"date": "2024-07", "type": "sanction", "state": "BEN", "bloc": "ECOWAS"},
        {"date": "2024-07", "type": "aid_suspend", "state": "BEN", "power": "USA"},
    )
    model = InfluenceModel(cfg, world=world)
    _run_until(model, 2)
    assert [e.type for e in _events(model, step=2) if e.state == BEN and e.scripted] == ["sanction", "aid_suspend"]
    assert model.state.sanctioned[BEN, ECOWAS, 0]
    assert model.state.aid_suspended[BEN, USA, 0]


def test_scripted_measures_against_a_junta(tmp_path, base_cfg, tiny_world_path):
    # Mali is a junta: a scripted ECOWAS sanction stays until lifted (sanction_lift 0 here), and
    # Mali, sanctioned by a bloc it is not a member of, has nothing to leave
    cfg = _cfg(base_cfg, sanction_lift=0.0)
    world = _with_scripted(
        tmp_path,
        tiny_world_path,
        cfg,
        {"date": "2024-07", "type": "sanction", "state": "MLI", "bloc": "ECOWAS"},
        {"date": "2024-07", "type": "invite", "state": "MLI", "power": "USA"},
    )
    model = InfluenceModel(cfg, world=world)
    _run_until(model, 4)
    assert model.state.sanctioned[MLI, ECOWAS, 0]
    month2 = {(e.type, e.state, e.power, e.scripted) for e in _events(model, step=2)}
    assert ("invite", MLI, USA, True) in month2


def test_a_world_without_blocs_insurgents_or_bases_runs(tmp_path, base_cfg, tiny_world_path):
    data = yaml.safe_load(tiny_world_path.read_text(encoding="utf-8"))
    for key in ("blocs", "insurgents", "bases", "scripted_events", "sanctions", "ties", "presence"):
        data.pop(key)
    path = tmp_path / "bare.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    world = load_world(path, base_cfg.scenario)
    assert (world.blocs, world.groups, world.base_names) == ([], ["NONE"], [])
    model = InfluenceModel(base_cfg, world=world)
    model.run()
    rec = model.recorder
    assert len(rec.states_table()) == 7 * 3 and rec.bases_table().empty
    assert np.isfinite(rec.ties_table()["affinity"]).all()
    assert set(model.juntas) == set(np.nonzero(model.state.junta[:, 0])[0].tolist())


def test_scripted_invitation_is_answered(tmp_path, base_cfg, tiny_world_path):
    # Niger (affinity to the US about -0.6) invites the US back by script in 2024-08, after the US left in
    # 2024-07; with deploy_rate 1 and 1000 deployable troops the US answers in the same month
    cfg = _cfg(base_cfg, deploy_rate=1.0)
    world = _with_scripted(
        tmp_path, tiny_world_path, cfg, {"date": "2024-08", "type": "invite", "state": "NER", "power": "USA"}
    )
    model = InfluenceModel(cfg, world=world)
    _run_until(model, 3)
    month3 = {(e.type, e.state, e.power, e.scripted) for e in _events(model, step=3)}
    assert ("invite", NER, USA, True) in month3
    assert [(e.state, e.power) for e in _events(model, "deploy", step=3) if e.power == USA] == [(NER, USA)]
    assert model.state.troops[NER, USA, 0] == cfg.hazards.deploy_size


def test_scripted_expulsion_does_not_postpone_a_withdrawal(tmp_path, base_cfg, tiny_world_path):
    # the US is leaving Niger by 2024-07 (step 2); a scripted expulsion in 2024-06 must not restart the
    # clock (hazards.withdrawal_months = 4 would keep US troops there until step 4)
    cfg = _cfg(base_cfg)
    world = _with_scripted(
        tmp_path, tiny_world_path, cfg, {"date": "2024-06", "type": "expel", "state": "NER", "power": "USA"}
    )
    model = InfluenceModel(cfg, world=world)
    _run_until(model, 2)
    assert model.state.troops[NER, USA, 0] == 0.0
    assert [e.step for e in _events(model, "withdraw_complete")] == [2]


def test_base_is_not_handed_to_a_co_tenant_without_forces(tmp_path, base_cfg, tiny_world_path):
    # the world lists RUS as co-tenant of Air Base 101 but has no Russian troops in Niger: when the US
    # leaves, the base goes back to the host, not to absent Russian forces
    data = yaml.safe_load(tiny_world_path.read_text(encoding="utf-8"))
    data["presence"] = [p for p in data["presence"] if p["power"] != "RUS"]
    path = tmp_path / "no_rus.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    cfg = _cfg(base_cfg)
    model = InfluenceModel(cfg, world=load_world(path, cfg.scenario))
    _run_until(model, 2)
    assert model.state.troops[NER, RUS, 0] == 0.0
    assert model.recorder.bases_table().query("step == 2")["owner"].tolist() == [""]
    (handover,) = _events(model, "base_handover")
    assert "Niger armed forces" in handover.cause
