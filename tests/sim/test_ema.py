"""The EMA Workbench interface (sim.ema, sim.ema_sweep): perform_experiments through the batched
evaluator gives the outcomes of run_batch with the same settings and seeds; EMA's own sequential
evaluator agrees; a sweep folder converts to (experiments, outcomes) and back through EMA's files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ema_workbench import SequentialEvaluator, load_results, perform_experiments, save_results

from sim import ema
from sim.config import compose_config
from sim.core.params import ConfigError
from sim.ema_sweep import sweep_experiments
from sim.ensemble import run_batch
from sim.sweep import run_sweep
from sim.sweep_conf import SweepAppConfig

STEPS = 6
OUTCOMES = (f"affinity:NER:USA@{STEPS}", f"lead:NER=RUS@{STEPS}", "event:coup:any@end")
NAMES = [ema.ema_name(s) for s in OUTCOMES]  # EMA 3 wants identifiers
OVERSTRETCH, COUP, BUDGET = (
    ema.ema_name(n)
    for n in ("scenario.powers.RUS.overstretch", "hazards.coup_base", "scenario.powers.USA.budget_factor")
)


def _model(seed: int = 3) -> ema.SahelModel:
    return ema.sahel_model(
        uncertainties=[
            ema.uncertainty("scenario.powers.RUS.overstretch", 0.2, 0.9),
            ema.uncertainty("hazards.coup_base", 0.001, 0.008),
        ],
        levers=[ema.choice("experiment", ["none", "us_stays"]), ema.lever("scenario.powers.USA.budget_factor", 0.5, 2)],
        outcomes=[ema.outcome(s) for s in OUTCOMES],
        cfg=compose_config([f"run.steps={STEPS}"]),
        seed=seed,
    )


def _direct(experiment: str, seeds: list[int], numbers: dict[str, list[float]]) -> dict[str, np.ndarray]:
    """The outcomes read straight from run_batch's tables, on a configuration composed by Hydra."""
    overrides = [f"run.steps={STEPS}"] + ([f"experiment={experiment}"] if experiment != "none" else [])
    rec = run_batch(compose_config(overrides), seeds, run_parameters=numbers)
    ties, states, events = rec.ties_table(), rec.states_table(), rec.events_table()
    runs = range(len(seeds))
    aff = ties.query(f"step == {STEPS} and state == 'NER' and power == 'USA'").set_index("run")["affinity"]
    lead = states.query(f"step == {STEPS} and state == 'NER'").set_index("run")["leading_partner"] == "RUS"
    coups = set(events.loc[events["type"] == "coup", "run"])
    return {
        NAMES[0]: aff.reindex(runs).to_numpy(),
        NAMES[1]: lead.reindex(runs).to_numpy(),
        NAMES[2]: np.array([r in coups for r in runs]),
    }


def test_perform_experiments_gives_the_outcomes_of_run_batch_with_the_same_settings_and_seeds():
    model = _model()
    experiments, outcomes = perform_experiments(
        model, scenarios=6, policies=4, evaluator=ema.BatchedEvaluator(model, batch_size=7)
    )
    assert len(experiments) == 24 and set(outcomes) == set(NAMES)
    assert NAMES[1] == f"lead_NER_is_RUS_at_{STEPS}" and OVERSTRETCH == "scenario__powers__RUS__overstretch"
    experiments["seed"] = [
        ema.future_seed(3, {OVERSTRETCH: a, COUP: b})
        for a, b in experiments[[OVERSTRETCH, COUP]].itertuples(index=False)
    ]
    # common random numbers: every lever setting meets a future with the same seed
    assert experiments.groupby("scenario", observed=True)["seed"].nunique().max() == 1
    assert experiments["seed"].nunique() == 6
    for choice, rows in experiments.groupby("experiment", observed=True):
        numbers = {ema.parameter_name(c): rows[c].tolist() for c in (OVERSTRETCH, COUP, BUDGET)}
        direct = _direct(str(choice), rows["seed"].tolist(), numbers)
        for name in NAMES:
            np.testing.assert_array_equal(outcomes[name][rows.index], direct[name], err_msg=name)
    assert outcomes[NAMES[0]].std() > 0  # the futures differ


def test_emas_sequential_evaluator_runs_the_same_model_run_by_run():
    model = _model()
    batched = perform_experiments(model, scenarios=3, policies=2, evaluator=ema.BatchedEvaluator(model))
    sequential = perform_experiments(model, scenarios=3, policies=2, evaluator=SequentialEvaluator(model))
    # the samples differ from call to call; match the experiments by their values
    keys = [OVERSTRETCH, COUP, "experiment", BUDGET]
    runs = _model()
    for name in NAMES:
        assert sequential[1][name].shape == batched[1][name].shape
    # EMA's per-run path (the model's function, as SequentialEvaluator calls it) on the batched experiments
    for i, row in batched[0].iterrows():
        one = runs._one_run(**{k: row[k] for k in keys})
        for name in NAMES:
            assert one[name] == batched[1][name][i], (name, i)


def test_names_and_bounds_are_checked():
    with pytest.raises(ConfigError, match="legal range"):
        ema.uncertainty("alignment.inertia", 0.5, 1.5)
    with pytest.raises(ConfigError, match="not a numeric model parameter"):
        ema.lever("hazards.nope")
    with pytest.raises(ConfigError, match="conf/experiment/ does not have"):
        ema.choice("experiment", ["us_leaves"])
    with pytest.raises(ConfigError, match="not understood"):
        ema.outcome("share:USA")
    assert [u.name for u in ema.uncertainties_from_priors()][0] == "hazards__coup_base"
    assert "us_stays" in ema.choice("experiment").categories
    assert ema.parameter_name(ema.ema_name("incentives.junta.sovereignty")) == "incentives.junta.sovereignty"


def test_a_sweep_folder_converts_to_emas_results_and_back(tmp_path):
    cfg = compose_config(
        [
            f"run.steps={STEPS}",
            "sweep=demo_lhs",
            "sweep.samples=3",
            "sweep.seeds_per_point=2",
            "sweep.chunk_runs=5",
            "sweep.float32=false",
            "+sweep.factors.experiment=[none,us_stays]",
            "+sweep.levers.scenario.powers.USA.budget_factor=[1.0,2.0]",
        ],
        config_name="sweep_app",
        schema=SweepAppConfig,
    )
    out = run_sweep(cfg, tmp_path / "sw", progress=False)
    runs = pd.read_parquet(out / "runs.parquet")
    experiments, outcomes = sweep_experiments(out, OUTCOMES)
    assert len(experiments) == len(runs) == 4 * 3 * 2
    dotted = [
        "incentives.junta.sovereignty",
        "incentives.junta.conditionality",
        "alignment.inertia",
        "experiment",
        "scenario.powers.USA.budget_factor",
    ]
    inputs = [ema.ema_name(n) for n in dotted]
    assert set(inputs) <= set(experiments.columns) and {"scenario", "policy", "model"} <= set(experiments.columns)
    np.testing.assert_array_equal(experiments["alignment__inertia"], runs["alignment.inertia"])
    assert experiments["policy"].nunique() == 4 and experiments["scenario"].nunique() == 3
    # the same runs through the EMA model (runs.parquet's seeds given as the seed): the same outcomes
    model = ema.sahel_model(
        [ema.uncertainty(n) for n in dotted[:3]],
        outcomes=[ema.outcome(s) for s in OUTCOMES],
        cfg=compose_config([f"run.steps={STEPS}"]),
    )
    futures = [{**{ema.ema_name(n): row[n] for n in dotted[:3]}, ema.SEED: row["seed"]} for _, row in runs.iterrows()]
    settings = [{ema.ema_name(n): row[n] for n in dotted[3:]} for _, row in runs.iterrows()]
    again = model.evaluate(futures, settings)
    for name in NAMES:
        np.testing.assert_array_equal(again[name], outcomes[name], err_msg=name)
    assert outcomes[NAMES[0]].std() > 0
    # and through EMA's own file format
    save_results((experiments, outcomes), tmp_path / "results.tar.gz")
    loaded, loaded_outcomes = load_results(tmp_path / "results.tar.gz")
    np.testing.assert_array_equal(loaded["alignment__inertia"], experiments["alignment__inertia"])
    assert loaded["experiment"].astype(str).tolist() == experiments["experiment"].astype(str).tolist()
    for name in NAMES:  # EMA's file format is CSV text: equal to the last digit or two
        np.testing.assert_allclose(loaded_outcomes[name], outcomes[name], rtol=1e-12, atol=1e-15)


def test_optimize_searches_levers_through_the_batched_evaluator_one_batch_a_generation(tmp_path):
    from ema_workbench import Sample, ScalarOutcome

    def search(directory):
        model = ema.sahel_model(
            uncertainties=[ema.uncertainty("scenario.powers.RUS.overstretch", 0.2, 0.9)],
            levers=[
                ema.lever("scenario.powers.USA.budget_factor", 0.5, 2.0),
                ema.lever("scenario.powers.USA.conditionality", 0.0, 1.0),
            ],
            outcomes=[
                ema.outcome(f"share:USA@{STEPS}", ScalarOutcome.MAXIMIZE),
                ema.outcome(f"affinity:NER:RUS@{STEPS}", ScalarOutcome.MINIMIZE),
            ],
            cfg=compose_config([f"run.steps={STEPS}"]),
            seed=3,
        )
        batches: list[int] = []
        directory.mkdir()  # EMA 3.0 writes its archive there and does not create it
        results, convergence = ema.BatchedEvaluator(model, progress=batches.append).optimize(
            nfe=60,
            searchover="levers",
            epsilons=[0.02, 0.02],
            rng=42,
            population_size=20,
            reference=Sample(scenario__powers__RUS__overstretch=0.5),
            filename="levers.tar.gz",
            directory=directory,
        )
        return model, batches, results, convergence

    model, batches, results, convergence = search(tmp_path / "a")
    levers = ["scenario__powers__USA__budget_factor", "scenario__powers__USA__conditionality"]
    objectives = [f"share_USA_at_{STEPS}", f"affinity_NER_RUS_at_{STEPS}"]
    assert list(results.columns) == levers + objectives and len(results) >= 1
    # each generation's population ran as one batch of the driver; EMA counts the evaluations
    assert len(batches) >= 2 and batches[0] == 20 and sum(batches) <= 60
    assert not convergence.empty  # (EMA's nfe also counts candidates it does not run twice)
    assert results[levers[0]].between(0.5, 2.0).all() and results[levers[1]].between(0.0, 1.0).all()
    # the non-dominated settings' outcomes are the model's in the reference future (its common seed)
    future = {OVERSTRETCH: 0.5}
    again = model.evaluate(
        [future] * len(results),
        [dict(zip(levers, row, strict=True)) for row in results[levers].itertuples(index=False)],
    )
    for name in objectives:
        np.testing.assert_allclose(again[name], results[name].to_numpy(dtype=float), err_msg=name)
    # Platypus is seeded by rng=: the same search again gives the same front
    pd.testing.assert_frame_equal(search(tmp_path / "b")[2], results)
