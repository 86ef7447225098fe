"""The hindcast: its January 2020 world, a small ensemble through `python -m sim.hindcast` writing
its files, independence from the chunk size, and bad input ending with one `error:` line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.config import compose_config
from sim.core.world import load_world, scenario_path
from sim.ensemble import run_batch
from sim.outlook import ensemble_first_months

ROOT = Path(__file__).resolve().parents[2]


def _cli(module: str, args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def hindcast_world():
    cfg = compose_config(["scenario=hindcast_2020"])
    return cfg, load_world(scenario_path(cfg.scenario.name), cfg.scenario)


def test_hindcast_world_is_january_2020_with_nothing_scripted(hindcast_world):
    _, w = hindcast_world
    assert w.as_of == "2020-01" and w.date_of(52) == "2024-05"
    assert w.scripted == []
    assert not w.regime.any()  # civilian governments everywhere
    ecowas, aes = w.blocs.index("ECOWAS"), w.blocs.index("AES")
    assert not w.member[:, aes].any()
    assert {w.states[s] for s in np.nonzero(w.member[:, ecowas])[0]} >= {"MLI", "BFA", "NER", "GIN"}
    troops = {(w.states[s], w.powers[p]): t for (s, p), t in np.ndenumerate(w.troops) if t}
    assert troops[("NER", "USA")] == 800 and troops[("MLI", "FRA")] == 2400
    assert sum(t for (s, p), t in troops.items() if p == "FRA" and s in ("MLI", "NER", "TCD", "BFA")) == 5100
    assert not any(p == "RUS" and s in ("MLI", "BFA", "NER", "TCD") for s, p in troops)


def test_hindcast_world_runs_52_months_with_the_batched_driver(hindcast_world):
    cfg, w = hindcast_world
    rec = run_batch(cfg, [0, 1], world=w, steps=52, every=52)
    assert rec.states_table()["date"].max() == "2024-05"
    assert not any(e.scripted for e in rec.events)


def test_first_months_do_not_depend_on_the_chunk_size(hindcast_world):
    cfg, w = hindcast_world
    whole = ensemble_first_months(cfg, w, runs=12, seed=5, steps=12, chunk=12)
    pieces = ensemble_first_months(cfg, w, runs=12, seed=5, steps=12, chunk=5)
    pd.testing.assert_frame_equal(
        whole.sort_values(["run", "state", "type", "power", "bloc"]).reset_index(drop=True),
        pieces.sort_values(["run", "state", "type", "power", "bloc"]).reset_index(drop=True),
    )


@pytest.fixture(scope="module")
def small_hindcast(tmp_path_factory, cli_env):
    out = tmp_path_factory.mktemp("hindcast") / "out"
    proc = _cli("sim.hindcast", ["--runs", "20", "--months", "12", "--seed", "3", "--out", str(out)], ROOT, cli_env)
    return proc, out


def test_hindcast_cli_writes_its_files(small_hindcast):
    proc, out = small_hindcast
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for name in ("hindcast.parquet", "hindcast.csv", "observed.csv", "scores.json", "config.yaml"):
        assert (out / name).is_file(), name
    for name in ("reliability.png", "hindcast_heat.png"):
        assert (out / name).stat().st_size > 5000, name
    assert "Brier score" in proc.stdout and str(out) in proc.stdout


def test_hindcast_cells_and_scores(small_hindcast):
    _, out = small_hindcast
    cells = pd.read_parquet(out / "hindcast.parquet")
    assert len(cells) == 19 * 8  # every state x every scored outcome
    assert cells["probability"].between(0, 1).all() and (cells["n_runs"] == 20).all()
    assert np.allclose(cells["probability"] * 20, cells["n_runs_with_event"])
    # 12 months from Jan 2020 reach Jan 2021: Mali's coup and the US halt of military aid (Aug 2020, B12, B13)
    # and Russia's reinforcement of the Central African Republic (Dec 2020, a supplement)
    seen = cells.loc[cells["observed"] == 1]
    assert set(zip(seen["state"], seen["type"], seen["evidence"], strict=True)) == {
        ("MLI", "coup", "B12"),
        ("MLI", "aid_suspend", "B13"),
        ("CAF", "deploy", "S07"),
    }
    scores = json.loads((out / "scores.json").read_text())
    assert scores["runs"] == 20 and scores["months"] == 12 and scores["end"] == "2021-01"
    assert scores["brier_nothing_changes"] == pytest.approx(3 / 152)
    p, o = cells["probability"], cells["observed"]
    assert scores["brier"] == pytest.approx(float(((p - o) ** 2).mean()))
    assert sum(scores["contingency"].values()) == 152
    assert sum(b["count"] for b in scores["reliability"]) == 152
    # which code and which world file made these scores
    from sim.core.provenance import file_sha256, model_fingerprint, package_versions

    assert scores["provenance"] == {
        "model_code_sha256": model_fingerprint(),
        "world_file_sha256": file_sha256(ROOT / "scenarios" / "hindcast_2020.yaml"),
        "packages": package_versions(),
    }


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--world", "nope"], "nope.yaml"),
        (["--runs", "0"], "--runs"),
    ],
)
def test_hindcast_bad_input_exits_2_with_one_error(tmp_path, cli_env, args, needle):
    proc = _cli("sim.hindcast", [*args, "--months", "2", "--out", str(tmp_path / "out")], ROOT, cli_env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error:") and needle in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
