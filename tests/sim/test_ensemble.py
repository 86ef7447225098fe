"""The batched driver gives each run exactly what the Mesa driver gives that seed alone."""

import dataclasses
import pickle

import pandas as pd
import pytest

from sim.core.world import load_world, scenario_path
from sim.ensemble import run_batch
from sim.model import InfluenceModel

SEEDS = list(range(64))  # batches of 1, 7 and 64 cut them into chunks of every shape (7 leaves a chunk of 1)


def _mesa_tables(cfg, seed, run_id, world=None):
    model = InfluenceModel(dataclasses.replace(cfg, seed=seed), world=world, run_id=run_id)
    model.run()
    rec = model.recorder
    return rec.states_table(), rec.ties_table(), rec.events_table()


def _sorted(df):
    return df.sort_values(["run", "step"], kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def baseline_cfg():
    from sim.config import compose_config

    return compose_config(["run.steps=24", "run.plots=false"])


def _fresh_world(cfg):
    return load_world(scenario_path(cfg.scenario.name), cfg.scenario)


@pytest.fixture(scope="module")
def world(baseline_cfg):
    """The world, loaded once for all runs here (a load costs about as much as a run); the test
    checks that no run changed it."""
    return _fresh_world(baseline_cfg)


@pytest.fixture(scope="module")
def mesa_runs(baseline_cfg, world):
    return {s: _mesa_tables(baseline_cfg, s, run_id=100 + s, world=world) for s in SEEDS}


@pytest.mark.parametrize("batch", [1, 7, 64])
def test_batches_equal_mesa_runs(baseline_cfg, world, mesa_runs, batch):
    """64 seeds, 24 months: each run of a batch has, bit for bit, the states, ties and events of the
    Mesa run of its seed, whatever the batch size and the run's place in it."""
    for start in range(0, len(SEEDS), batch):
        chunk = SEEDS[start : start + batch]
        rec = run_batch(baseline_cfg, chunk, run_ids=[100 + s for s in chunk], world=world)
        for i, table in enumerate((rec.states_table(), rec.ties_table(), rec.events_table())):
            mesa = pd.concat([mesa_runs[s][i] for s in chunk], ignore_index=True)  # runs in the chunk's order
            pd.testing.assert_frame_equal(_sorted(table), _sorted(mesa))
    assert sum(len(mesa_runs[s][2]) for s in SEEDS) > len(SEEDS), "too few events to compare"
    assert pickle.dumps(world) == pickle.dumps(_fresh_world(baseline_cfg)), "a run changed the shared world"


def test_runs_differ_between_seeds(mesa_runs):
    a, b = mesa_runs[0][1], mesa_runs[1][1]
    assert not a["affinity"].reset_index(drop=True).equals(b["affinity"].reset_index(drop=True))


def test_parameters_varying_by_run_equal_single_runs(baseline_cfg):
    values = {
        "hazards.coup_base": [0.001, 0.01, 0.03],
        "incentives.junta.sovereignty": [0.5, 1.2, 3.0],
        "alignment.inertia": [0.6, 0.85, 0.95],
        "hazards.withdrawal_months": [2, 4, 8],
        "commitments.election.delay_months": [3, 12, 24],  # Guinea's election, due at step 7
        "commitments.drawdown.dropped": [0.0, 0.5, 1.0],  # France's drawdowns, due at step 7
    }
    seeds = [3, 3, 4]
    rec = run_batch(baseline_cfg, seeds, run_parameters=values)
    ties, events = rec.ties_table(), rec.events_table()
    for r, seed in enumerate(seeds):
        single = baseline_cfg
        for key, column in values.items():
            single = _with(single, key, column[r])
        _, m_ties, m_events = _mesa_tables(single, seed, run_id=r)
        pd.testing.assert_frame_equal(_sorted(ties[ties.run == r]), _sorted(m_ties))
        pd.testing.assert_frame_equal(_sorted(events[events.run == r]), _sorted(m_events))
    # the runs really differ: the same seed with other parameters gives other affinities
    assert (
        not ties[ties.run == 0]["affinity"]
        .reset_index(drop=True)
        .equals(ties[ties.run == 1]["affinity"].reset_index(drop=True))
    )


def _with(cfg, key, value):
    import copy

    out = copy.deepcopy(cfg)
    *path, name = key.split(".")
    node = out
    for part in path:
        node = getattr(node, part)
    setattr(node, name, type(getattr(node, name))(value))
    return out


@pytest.mark.parametrize(
    "values, message",
    [
        ({"hazards.nope": [0.1]}, "cannot vary"),
        ({"hazards.coup_base": [0.1, 0.2]}, "2 values for 1 runs"),
        ({"hazards.coup_base": [0.9]}, "outside its legal range"),
        ({"incentives.junta": [0.9]}, "cannot vary"),
    ],
)
def test_bad_run_parameters_are_refused(baseline_cfg, values, message):
    from sim.core.params import ConfigError

    with pytest.raises(ConfigError, match=message):
        run_batch(baseline_cfg, [0], run_parameters=values)


def test_power_knobs_can_vary_from_run_to_run_and_match_single_runs():
    """A batch whose runs each have their own power knobs equals single runs given those knobs
    on the command line (with the leading +)."""
    from sim.config import compose_config

    values = {
        "scenario.powers.RUS.overstretch": [0.1, 0.9],
        "scenario.powers.USA.budget_factor": [0.5, 2.0],
        "scenario.powers.FRA.colonial_baggage": [0.2, 0.95],
        "scenario.powers.RUS.troops_deployable": [0, 5000],
        "scenario.powers.USA.conditionality": [0.0, 1.0],
    }
    rec = run_batch(compose_config(["run.steps=18"]), [5, 6], [0, 1], run_parameters=values)
    ties, events = rec.ties_table(), rec.events_table()
    for r in range(2):
        single = compose_config(["run.steps=18", f"seed={5 + r}"] + [f"+{k}={v[r]!r}" for k, v in values.items()])
        model = InfluenceModel(single, run_id=r)
        model.run()
        pd.testing.assert_frame_equal(ties[ties.run == r].reset_index(drop=True), model.recorder.ties_table())
        pd.testing.assert_frame_equal(events[events.run == r].reset_index(drop=True), model.recorder.events_table())
    assert (
        not ties[ties.run == 0]["affinity"]
        .reset_index(drop=True)
        .equals(ties[ties.run == 1]["affinity"].reset_index(drop=True))
    )


@pytest.mark.parametrize(
    "values, message",
    [
        ({"scenario.powers.XXX.overstretch": [0.5]}, "no power 'XXX'"),
        ({"scenario.powers.RUS.charm": [0.5]}, "no knob 'charm'"),
        ({"scenario.powers.RUS.overstretch": [1.5]}, "outside its legal range"),
    ],
)
def test_bad_power_knobs_are_refused(baseline_cfg, values, message):
    from sim.core.params import ConfigError

    with pytest.raises(ConfigError, match=message):
        run_batch(baseline_cfg, [0], run_parameters=values)


@pytest.mark.slow
@pytest.mark.parametrize("experiment", [None, "coup_wave", "us_stays"])
def test_batches_equal_mesa_runs_over_the_full_horizon_for_many_seeds(experiment):
    """The heavy version: 200 seeds, the full 36 months, one batch of 200 and batches of 64, under
    the baseline and two experiments (a coup wave gives many more events to compare)."""
    from sim.config import compose_config

    cfg = compose_config([f"experiment={experiment}"] if experiment else [])
    world = _fresh_world(cfg)
    seeds = list(range(1000, 1200))
    mesa = [_mesa_tables(cfg, s, run_id=s, world=world) for s in seeds]
    for batch in (200, 64):
        for start in range(0, len(seeds), batch):
            chunk = seeds[start : start + batch]
            rec = run_batch(cfg, chunk, run_ids=chunk, world=world)
            for i, table in enumerate((rec.states_table(), rec.ties_table(), rec.events_table())):
                expected = pd.concat([mesa[s - seeds[0]][i] for s in chunk], ignore_index=True)
                pd.testing.assert_frame_equal(_sorted(table), _sorted(expected))
    assert sum(len(m[2]) for m in mesa) > 10 * len(seeds)


def test_players_decisions_are_left_out_alike_in_both_drivers():
    """With the juntas of the Sahel, ECOWAS and the US left to players, no rule decides for them, in
    the Mesa driver and the batched driver alike (12 seeds, 24 months, equal bit for bit)."""
    from sim.config import compose_config

    cfg = compose_config(
        [
            "run.steps=24",
            "run.plots=false",
            "players.states=[MLI,BFA,NER]",
            "players.blocs=[ECOWAS]",
            "players.powers=[USA]",
            "hazards.coup_base=0.01",
        ]
    )
    world = _fresh_world(cfg)
    seeds = list(range(12))
    rec = run_batch(cfg, seeds, run_ids=seeds, world=world)
    mesa = [_mesa_tables(cfg, s, run_id=s, world=world) for s in seeds]
    for i, table in enumerate((rec.states_table(), rec.ties_table(), rec.events_table())):
        pd.testing.assert_frame_equal(_sorted(table), _sorted(pd.concat([m[i] for m in mesa], ignore_index=True)))
    events = rec.events_table()
    events = events[~events["scripted"]]  # the rules' doing (the world's one scripted event is the US withdrawal)
    sahel = events["state"].isin(["MLI", "BFA", "NER"])
    assert not events[sahel & events["type"].isin(["expel", "invite", "bloc_join", "bloc_leave", "transition"])].size
    assert not events[(events["bloc"] == "ECOWAS") & events["type"].isin(["sanction", "sanction_lift"])].size
    assert not events[(events["power"] == "USA") & events["type"].isin(["deploy", "aid_suspend", "aid_resume"])].size
    assert (events["type"] == "coup").sum() > 5  # coups still happen, players or not
    # without players the same seeds do have such rule decisions
    free = run_batch(dataclasses.replace(cfg, players=type(cfg.players)()), seeds, world=world).events_table()
    free = free[~free["scripted"]]
    assert free[(free["bloc"] == "ECOWAS") & (free["type"] == "sanction")].size
    assert free[(free["power"] == "USA") & (free["type"] == "aid_suspend")].size
