"""Seeding of sweep runs: common random numbers (seed k the same at every point) or a seed per run;
common is the default of the sensitivity designs and is kept in sweep.json, so a resume with the
other seeding is refused."""

import json

import pytest

from sim.config import compose_config
from sim.core.params import ConfigError
from sim.designs import expand_runs, make_design, resolve_seeding, run_seed
from sim.sweep import plan, run_sweep
from sim.sweep_conf import SweepAppConfig

RANGES = {"alignment.inertia": [0.5, 0.9], "hazards.coup_base": [0.0, 0.01]}


def _cfg(*overrides):
    return compose_config(["run.steps=3", *overrides], config_name="sweep_app", schema=SweepAppConfig)


def test_common_seeds_give_replicate_k_the_same_seed_at_every_point():
    runs = expand_runs(make_design("lhs", RANGES, 5, seed=0), seeds_per_point=3, sweep_seed=7, seeding="common")
    by_replicate = runs.groupby("replicate")["seed"].unique()
    assert [list(s) for s in by_replicate] == [[run_seed(7, k)] for k in range(3)]
    assert runs.groupby("point")["seed"].nunique().eq(3).all()  # the seeds of one point still differ


def test_independent_seeds_give_every_run_its_own_seed_and_agree_with_common_at_point_0():
    design = make_design("lhs", RANGES, 5, seed=0)
    independent = expand_runs(design, seeds_per_point=3, sweep_seed=7, seeding="independent")
    common = expand_runs(design, seeds_per_point=3, sweep_seed=7, seeding="common")
    assert independent["seed"].nunique() == len(independent) == 15
    assert independent["seed"].tolist() == [run_seed(7, r) for r in range(15)]
    assert independent["seed"][:3].tolist() == common["seed"][:3].tolist()
    assert expand_runs(design, 3, 7)["seed"].equals(independent["seed"])  # the old behaviour stays the default here


@pytest.mark.parametrize(
    ("kind", "seeding", "expected"),
    [
        ("sobol", "auto", "common"),
        ("morris", "auto", "common"),
        ("lhs", "auto", "independent"),
        ("grid", "auto", "independent"),
        ("sobol", "independent", "independent"),
        ("lhs", "common", "common"),
    ],
)
def test_auto_seeding_is_common_for_the_sensitivity_designs_only(kind, seeding, expected):
    assert resolve_seeding(kind, seeding) == expected


def test_a_sobol_sweep_plans_common_seeds_unless_told_otherwise():
    runs = plan(_cfg("sweep=demo_sobol", "sweep.samples=2", "sweep.seeds_per_point=2"))
    assert runs.groupby("replicate")["seed"].nunique().eq(1).all()
    runs = plan(_cfg("sweep=demo_sobol", "sweep.samples=2", "sweep.seeds_per_point=2", "sweep.seeding=independent"))
    assert runs["seed"].nunique() == len(runs)


def test_unknown_seeding_is_refused_with_the_choices():
    with pytest.raises(ConfigError, match="auto, common, independent"):
        resolve_seeding("sobol", "shared")


def test_sweep_json_records_the_seeding_and_a_resume_with_another_is_refused(tmp_path):
    cfg = _cfg("sweep=demo_morris", "sweep.samples=2", "sweep.seeds_per_point=2", "sweep.tables=[states]")
    run_sweep(cfg, tmp_path, progress=False)
    spec = json.loads((tmp_path / "sweep.json").read_text())
    assert spec["seeding"] == "common" and spec["config"]["sweep.seeding"] == "auto"
    run_sweep(cfg, tmp_path, progress=False)  # the same command resumes (here: finds it complete)
    other = _cfg(
        "sweep=demo_morris",
        "sweep.samples=2",
        "sweep.seeds_per_point=2",
        "sweep.tables=[states]",
        "sweep.seeding=independent",
    )
    with pytest.raises(ConfigError, match="different sweep"):
        run_sweep(other, tmp_path, progress=False)
