"""Every file in conf/ composes and smoke-runs; experiment overlays change what they say they change;
bad overrides stop with an error before anything is simulated."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.config import CONF_DIR, compose_config, to_config
from sim.core.params import Config, ConfigError, PowerKnobs
from sim.core.simulation import policies_for
from sim.core.world import WorldError, load_world, scenario_path
from sim.model import InfluenceModel

GROUPS = ("scenario", "incentives", "policy", "run", "experiment")
CHOICES = [(g, p.stem) for g in GROUPS for p in sorted((CONF_DIR / g).glob("*.yaml"))]
SMOKE = ["run.steps=3", "run.plots=false"]


def test_conf_groups_are_all_found():
    assert {g for g, _ in CHOICES} == set(GROUPS)
    assert ("experiment", "us_stays") in CHOICES and ("policy", "scripted") in CHOICES


def test_root_config_repeats_the_schema_defaults():
    assert compose_config([]) == Config()


@pytest.mark.parametrize("group, name", CHOICES, ids=[f"{g}={n}" for g, n in CHOICES])
def test_every_conf_file_composes_and_smoke_runs(group, name):
    cfg = compose_config([f"{group}={name}", *SMOKE])
    assert isinstance(cfg, Config)
    if group == "experiment":
        assert cfg.experiment == name
    model = InfluenceModel(cfg)
    model.run()
    assert model.state.step == 3
    states = model.recorder.states_table()
    assert len(states) == 4 * len(model.world.states)
    assert np.isfinite(model.recorder.ties_table()["affinity"]).all()


# ------------------------------------------------------------------ experiment overlays


@pytest.fixture(scope="module")
def baseline_world():
    return load_world(scenario_path("sahel_2024"), compose_config([]).scenario)


def _world(cfg):
    return load_world(scenario_path(cfg.scenario.name), cfg.scenario)


def _idx(world, state, power):
    return world.states.index(state), world.powers.index(power)


def test_us_stays_cancels_the_niger_withdrawal(baseline_world):
    cfg = compose_config(["experiment=us_stays"])
    world = _world(cfg)
    s, p = _idx(world, "NER", "USA")
    assert baseline_world.withdraw_left[s, p] == 4 and world.withdraw_left[s, p] == 0
    assert not any(e.type == "withdraw_complete" and e.state == s and e.power == p for e in world.scripted)
    assert not world.expelled[s, p] and not world.aid_suspended[s, p]
    assert (world.affinity[s, p], world.opinion[s, p]) == (0.0, -0.1)
    assert world.conditionality[p] == 0.2 and baseline_world.conditionality[p] == 1.0
    # nothing else moves
    np.testing.assert_array_equal(world.troops, baseline_world.troops)
    model = InfluenceModel(dataclasses.replace(cfg, run=dataclasses.replace(cfg.run, steps=5)))
    model.run()
    assert not any(e.type == "withdraw_complete" and e.state == s and e.power == p for e in model.events)


def test_coup_wave_raises_the_coup_hazard():
    base, wave = compose_config([]), compose_config(["experiment=coup_wave"])
    assert wave.hazards.coup_base == 0.008 > base.hazards.coup_base
    assert wave.hazards.coup_contagion == 3.0 > base.hazards.coup_contagion
    others = {f.name for f in dataclasses.fields(base.hazards)} - {"coup_base", "coup_contagion"}
    assert all(getattr(wave.hazards, n) == getattr(base.hazards, n) for n in others)
    assert wave.scenario == base.scenario


def test_china_steps_in(baseline_world):
    world = _world(compose_config(["experiment=china_steps_in"]))
    p = world.powers.index("CHN")
    assert world.troops_deployable[p] == 1500 and baseline_world.troops_deployable[p] == 0
    assert (world.regime_protection[p], world.overstretch[p]) == (0.6, 0.0)
    np.testing.assert_allclose(world.budget_usd_m[p], baseline_world.budget_usd_m[p])  # the offer, not more money


def test_france_resets(baseline_world):
    world = _world(compose_config(["experiment=france_resets"]))
    p = world.powers.index("FRA")
    assert world.colonial_baggage[p] == 0.35 < baseline_world.colonial_baggage[p]
    np.testing.assert_allclose(world.budget_usd_m[p], 1.5 * baseline_world.budget_usd_m[p])


def test_france_draws_down_keeps_the_announced_plan_on_time(baseline_world):
    world = _world(compose_config(["experiment=france_draws_down"]))
    chances = {c.id: c.on_time for c in world.commitments}
    assert chances["fra_drawdown_west_africa"] == chances["fra_drawdown_chad"] == 1.0
    assert {c.id: c.on_time for c in baseline_world.commitments}["fra_drawdown_chad"] == 0.5
    # every run cuts the four garrisons in December 2024 (month 7)
    cfg = compose_config(["experiment=france_draws_down", "run.steps=7", "run.plots=false", "run.summary=false"])
    model = InfluenceModel(cfg, world=world)
    model.run()
    cut = {world.states[e.state] for e in model.events if e.type == "drawdown" and e.step == 7}
    assert cut == {"GAB", "SEN", "CIV", "TCD"}


def test_commitment_on_time_names_a_commitment_and_a_probability():
    with pytest.raises(ConfigError, match="scenario.commitment_on_time.nope"):
        _world(compose_config(["+scenario.commitment_on_time.nope=1.0"]))
    with pytest.raises(ConfigError, match="not a probability"):
        _world(compose_config(["+scenario.commitment_on_time.fra_drawdown_chad=1.5"]))


def test_us_reengages(baseline_world):
    world = _world(compose_config(["experiment=us_reengages"]))
    p = world.powers.index("USA")
    assert world.conditionality[p] == 0.0 < baseline_world.conditionality[p]
    assert world.regime_protection[p] == 0.4 > baseline_world.regime_protection[p]
    for code in ("NER", "MLI", "BFA"):
        s = world.states.index(code)
        assert not world.aid_suspended[s, p] and baseline_world.aid_suspended[s, p]


def test_russia_overstretched(baseline_world):
    world = _world(compose_config(["experiment=russia_overstretched"]))
    p = world.powers.index("RUS")
    assert world.overstretch[p] == 0.85 > baseline_world.overstretch[p]
    assert world.troops_deployable[p] == 1200
    np.testing.assert_allclose(world.budget_usd_m[p], 0.6 * baseline_world.budget_usd_m[p])


def test_ecowas_intervenes_restores_civilian_rule_in_niger():
    cfg = compose_config(["experiment=ecowas_intervenes", *SMOKE])
    world = _world(cfg)
    ner, aes = world.states.index("NER"), world.blocs.index("AES")
    extra = [(e.step, e.type, e.state, e.bloc) for e in world.scripted if e.step == 3]
    assert (3, "transition", ner, -1) in extra and (3, "bloc_leave", ner, aes) in extra
    model = InfluenceModel(cfg, world=world)
    model.run()
    scripted = {(e.type, e.state) for e in model.events if e.scripted and e.step == 3}
    assert {("transition", ner), ("bloc_leave", ner)} <= scripted
    assert not model.state.member[ner, aes, 0]
    # the AES answers: Mali and Burkina Faso leave ECOWAS at once; Niger orders the Russians out
    mli, bfa, ecowas = world.states.index("MLI"), world.states.index("BFA"), world.blocs.index("ECOWAS")
    assert {("bloc_leave", mli), ("bloc_leave", bfa), ("expel", ner)} <= scripted
    assert not model.state.member[[mli, bfa], ecowas, 0].any()
    assert model.state.member[ner, ecowas, 0]  # the AES exit is cancelled: the restored government stays


def test_sovereigntist_incentives():
    cfg = compose_config(["incentives=sovereigntist"])
    assert (cfg.incentives.civilian.sovereignty, cfg.incentives.civilian.opinion) == (1.2, 0.8)
    assert cfg.incentives.junta.sovereignty == 1.8
    assert cfg.incentives.junta.regime_protection == Config().incentives.junta.regime_protection


@pytest.mark.parametrize("name", ["heuristic", "fixed", "scripted"])
def test_policy_files_set_the_default_policy(name):
    cfg = compose_config([f"policy={name}"])
    assert policies_for(cfg.policy, ["USA", "RUS"]) == [name, name]


def test_per_power_policy_override():
    cfg = compose_config(["+policy.per_power.USA=fixed"])
    assert policies_for(cfg.policy, ["USA", "RUS"]) == ["fixed", "heuristic"]


def test_run_files():
    assert (compose_config(["run=short"]).run.steps, compose_config(["run=short"]).run.plots) == (6, False)
    assert compose_config(["run=baseline"]).run.steps == 36


# ------------------------------------------------------------------ bad overrides


@pytest.mark.parametrize(
    "override, field",
    [
        ("incentives.junta.sovereignty=7", "incentives.junta.sovereignty"),
        ("incentives.civilian.peer=-0.1", "incentives.civilian.peer"),
        ("alignment.inertia=1.5", "alignment.inertia"),
        ("hazards.coup_base=0.9", "hazards.coup_base"),
        ("hazards.withdrawal_months=0", "hazards.withdrawal_months"),
        ("run.steps=0", "run.steps"),
        ("seed=-1", "seed"),
        ("policy.default=random", "policy.default"),
        ("+scenario.powers.RUS.overstretch=1.5", "scenario.powers.RUS.overstretch"),
        ("+scenario.powers.RUS.morale=0.5", "scenario.powers.RUS.morale"),
        ("+scenario.ties.NER-USA.affinity=2", "scenario.ties.NER-USA.affinity"),
    ],
)
def test_out_of_range_override_is_a_config_error(override, field):
    with pytest.raises(ConfigError) as info:
        compose_config([override])
    assert field in str(info.value)


@pytest.mark.parametrize("override", ["incentives.junta.sovreignty=0.5", "nonsense=1", "hazards.coup=0.1"])
def test_unknown_key_raises(override):
    with pytest.raises(Exception, match=override.split("=")[0].split(".")[-1]):
        compose_config([override])


@pytest.mark.parametrize("override", ["run.steps=abc", "alignment.noise=high", "run.plots=maybe"])
def test_wrong_type_raises(override):
    with pytest.raises(Exception, match=override.split("=")[0].split(".")[-1]):
        compose_config([override])


def test_unknown_experiment_raises():
    with pytest.raises(Exception, match="experiment/nope"):
        compose_config(["experiment=nope"])


def test_knobs_naming_absent_powers_or_pairs_fail_on_load(tiny_world_path):
    cfg = compose_config([f"scenario.name={tiny_world_path}", "+scenario.powers.CHN.overstretch=0.5"])
    with pytest.raises(ConfigError, match="scenario.powers.CHN"):
        InfluenceModel(cfg)
    cfg = compose_config([f"scenario.name={tiny_world_path}", "scenario.cancel_withdrawals=[NER-FRA]"])
    with pytest.raises(ConfigError, match="NER-FRA"):
        InfluenceModel(cfg)
    cfg = compose_config([f"scenario.name={tiny_world_path}", "+policy.per_power.CHN=fixed"])
    with pytest.raises(ConfigError, match="CHN"):
        InfluenceModel(cfg)


def test_missing_scenario_is_a_world_error():
    cfg = compose_config(["scenario.name=no_such_world"])
    with pytest.raises(WorldError, match="no_such_world.yaml"):
        InfluenceModel(cfg)


def test_to_config_checks_dataclasses_too(base_cfg):
    bad = dataclasses.replace(base_cfg, alignment=dataclasses.replace(base_cfg.alignment, noise=0.9))
    with pytest.raises(ConfigError, match="alignment.noise"):
        to_config(bad)
    with pytest.raises(TypeError):
        to_config({"seed": 1})
    knobbed = to_config(
        dataclasses.replace(
            base_cfg, scenario=dataclasses.replace(base_cfg.scenario, powers={"RUS": {"overstretch": 0.9}})
        )
    )
    assert knobbed.scenario.powers["RUS"] == PowerKnobs(overstretch=0.9)
