"""The Mesa interface: keyword construction, `mesa.batch_run`, the DataCollector's reporters and the
agents as views of the arrays."""

from __future__ import annotations

import multiprocessing

import mesa
import numpy as np
import pandas as pd
import pytest

from analysis.metrics import influence_share
from sim.config import compose_config
from sim.core.params import ConfigError
from sim.core.vocabulary import REGIMES
from sim.model import InfluenceModel

STEPS = 4


@pytest.fixture(autouse=True)
def _keep_start_method():
    """mesa.batch_run forces the process-wide start method to 'spawn': put it back after each test."""
    before = multiprocessing.get_start_method(allow_none=True)
    yield
    multiprocessing.set_start_method(before, force=True)


def _signature(model: InfluenceModel) -> list[tuple]:
    return [(e.step, e.type, e.state, e.power, e.bloc, e.cause) for e in model.events]


def test_keywords_build_the_model_the_configuration_builds():
    steps = 2 * STEPS  # long enough for events (the first comes in month 6 with this seed)
    by_keywords = InfluenceModel(
        seed=2,
        experiment="us_stays",
        alignment__inertia=0.7,
        **{"run.steps": steps, "scenario.powers.RUS.overstretch": 0.9},
    )
    configured = InfluenceModel(
        compose_config(
            [
                "seed=2",
                "experiment=us_stays",
                "alignment.inertia=0.7",
                f"run.steps={steps}",
                "+scenario.powers.RUS.overstretch=0.9",
            ]
        )
    )
    for model in (by_keywords, configured):
        model.run()
    assert by_keywords.cfg == configured.cfg
    assert by_keywords.cfg.alignment.inertia == 0.7 and by_keywords.cfg.experiment == "us_stays"
    assert by_keywords.world.overstretch[by_keywords.world.powers.index("RUS")] == 0.9
    assert _signature(by_keywords) == _signature(configured) and by_keywords.events
    assert np.array_equal(by_keywords.state.affinity, configured.state.affinity)


def test_bad_keywords_are_one_clear_error():
    with pytest.raises(ConfigError, match="hazards.nope"):
        InfluenceModel(**{"hazards.nope": 1})
    with pytest.raises(ConfigError, match="out of range"):
        InfluenceModel(**{"hazards.coup_base": 7})
    with pytest.raises(ConfigError, match="experiment"):
        InfluenceModel(experiment="nope")
    with pytest.raises(TypeError, match="not both"):
        InfluenceModel(compose_config([]), seed=1)


def test_running_stops_at_the_horizon_and_stepping_on_draws_further():
    model = InfluenceModel(**{"run.steps": 2})
    assert model.running
    model.step()
    assert model.running
    model.step()
    assert not model.running and model.steps == 2
    model.step()  # the classroom app plays on past the planned horizon
    longer = InfluenceModel(**{"run.steps": 3})
    longer.run()
    assert _signature(model) == _signature(longer)
    assert np.array_equal(model.state.affinity, longer.state.affinity)


def test_mesa_batch_run_sweeps_seeds_and_parameters():
    rows = mesa.batch_run(
        InfluenceModel,
        {"seed": [0, 1], "run.steps": STEPS, "hazards.coup_base": [0.0015, 0.004]},
        display_progress=False,
        data_collection_period=1,
    )
    df = pd.DataFrame(rows)
    assert df["RunId"].nunique() == 4 and df["Step"].max() == STEPS
    last = df[(df["Step"] == STEPS) & (df["kind"] == "state")]
    for (seed, coup_base), got in last.groupby(["seed", "hazards.coup_base"]):
        model = InfluenceModel(seed=int(seed), **{"run.steps": STEPS, "hazards.coup_base": float(coup_base)})
        model.run()
        expected = model.datacollector.get_agent_vars_dataframe().xs(STEPS, level="Step")
        expected = expected[expected["kind"] == "state"].set_index("code")
        got = got.set_index("code")
        assert (got["regime"] == expected["regime"]).all()
        assert np.allclose(got["affinity_RUS"], expected["affinity_RUS"])
        assert got["coups"].iloc[0] == sum(e.type == "coup" for e in model.events)
    # different seeds give different histories
    a = last[(last["seed"] == 0) & (last["hazards.coup_base"] == 0.0015)]["affinity_USA"].to_numpy()
    b = last[(last["seed"] == 1) & (last["hazards.coup_base"] == 0.0015)]["affinity_USA"].to_numpy()
    assert not np.allclose(a, b)


def test_mesa_batch_run_rng_values_are_seeds():
    rows = mesa.batch_run(InfluenceModel, {"run.steps": 2}, rng=[3], display_progress=False)
    got = pd.DataFrame(rows)
    model = InfluenceModel(seed=3, **{"run.steps": 2})
    model.run()
    assert got["coups"].iloc[0] == sum(e.type == "coup" for e in model.events)
    states = got[got["kind"] == "state"].set_index("code")["affinity_USA"]
    assert np.allclose(states.to_numpy(), model.state.affinity[:, 0, 0])


def test_model_reporters_match_the_tables_and_the_analysis():
    model = InfluenceModel(seed=1, **{"run.steps": STEPS})
    model.run()
    reported = model.datacollector.get_model_vars_dataframe()
    assert list(reported["date"]) == [model.world.date_of(t) for t in range(STEPS + 1)]
    states, ties = model.recorder.states_table(), model.recorder.ties_table()
    shares = influence_share(ties, states).pivot(index="step", columns="power", values="share")
    for p in model.world.powers:
        assert np.allclose(reported[f"share_{p}"].to_numpy(), shares[p].to_numpy())
        troops = ties[ties["power"] == p].groupby("step")["troops"].sum()
        assert np.allclose(reported[f"troops_{p}"].to_numpy(), troops.to_numpy())
    juntas = (states["regime"] == "junta").groupby(states["step"]).sum()
    assert list(reported["juntas"]) == juntas.tolist()
    assert reported["events"].iloc[-1] == len(model.events)


def test_agents_expose_their_rows():
    model = InfluenceModel(seed=0, **{"run.steps": STEPS})
    model.run()
    w, st = model.world, model.state
    for agent in model.state_agents:
        s = agent.index
        assert agent.regime == REGIMES[int(st.junta[s, 0])]
        assert agent.affinity == dict(zip(w.powers, st.affinity[s, :, 0].tolist(), strict=True))
        assert agent.blocs == [b for k, b in enumerate(w.blocs) if st.member[s, k, 0]]
        assert (agent.junta is not None) == bool(st.junta[s, 0])
        assert sum(agent.aid_usd_m["economic"].values()) == pytest.approx(st.aid_economic_usd_m[s, :, 0].sum())
        assert agent.aid_suspended_by == [p for k, p in enumerate(w.powers) if st.aid_suspended[s, k, 0]]
        assert agent.troops_hosted == {p: st.troops[s, k, 0] for k, p in enumerate(w.powers) if st.troops[s, k, 0] > 0}
    for agent in model.power_agents:
        assert agent.troops_deployed == pytest.approx(st.troops[:, agent.index, 0].sum())
        assert agent.deployed_in == {
            s: st.troops[k, agent.index, 0] for k, s in enumerate(w.states) if st.troops[k, agent.index, 0] > 0
        }
        assert agent.overstretch == st.overstretch[agent.index, 0]  # this month's, moved by its driver
        assert sum(agent.budget_usd_m.values()) == pytest.approx(w.budget_usd_m[agent.index].sum())
    for agent in model.bloc_agents:
        assert agent.members == [s for k, s in enumerate(w.states) if st.member[k, agent.index, 0]]
    for s, junta in model.juntas.items():
        assert junta.months_in_power == int(st.months_since_coup[s, 0])
        assert set(junta.incentive_terms("RUS")) >= {"security", "sovereignty"}
    kinds = model.datacollector.get_agent_vars_dataframe().xs(STEPS, level="Step")["kind"].value_counts()
    assert kinds["state"] == len(w.states) and kinds["power"] == len(w.powers) and kinds["bloc"] == len(w.blocs)
    assert kinds.get("junta", 0) == len(model.juntas)
