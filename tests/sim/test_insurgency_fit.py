"""The insurgency fit: its errors on a toy case by hand, and a tiny grid through
`python -m sim.insurgency_fit` that ranks its points and writes its table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.insurgency_fit import intensity_errors

ROOT = Path(__file__).resolve().parents[2]


def test_intensity_errors_by_hand():
    start = np.array([[0.4, 0.0], [0.0, 0.0]])
    target = np.array([[0.8, 0.2], [0.0, 0.0]])
    mean = np.array([[0.5, 0.1], [0.3, 0.0]])
    listed, other = intensity_errors(mean, start, target)
    # listed cells (0,0) and (0,1): 0.3^2 + 0.1^2 = 0.10; other: (1,0) 0.3^2 + (1,1) 0 = 0.09
    assert listed == pytest.approx(0.10) and other == pytest.approx(0.09)


def test_tiny_fit_ranks_its_points(tmp_path, cli_env):
    out = tmp_path / "fit"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim.insurgency_fit",
            "--growth",
            "0.04,0.2",
            "--suppression",
            "0.01",
            "--spread",
            "0.005",
            "--runs",
            "4",
            "--at",
            "2021-01",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out / "insurgency_fit.csv", index_col="rank")
    points = table.drop(index="target")
    assert len(points) == 2 and points["error"].is_monotonic_increasing
    # the total is the sum of its parts (to the CSV's printed precision)
    np.testing.assert_allclose(points["error"], points["error_listed"] + points["error_other"], rtol=1e-12)
    # a fivefold growth rate makes every listed cell grow more in 12 months
    fast = points.loc[points["insurgency.growth"] == 0.2].iloc[0]
    slow = points.loc[points["insurgency.growth"] == 0.04].iloc[0]
    assert (fast[["JNIM MLI", "ISSP NER", "JNIM BFA"]] > slow[["JNIM MLI", "ISSP NER", "JNIM BFA"]]).all()
    assert table.loc["target", "JNIM BFA"] == 0.9  # the May 2024 world's value
    assert "Insurgency fit" in proc.stdout


@pytest.mark.slow  # over 5 s: kept out of the default suite (make test), run by make test-slow and CI
def test_group_growth_is_a_dimension_of_the_grid(tmp_path, cli_env):
    out = tmp_path / "fit"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim.insurgency_fit",
            "--growth",
            "0.04",
            "--suppression",
            "0.01",
            "--spread",
            "0.005",
            "--group-growth",
            "LCB=0,1",
            "--runs",
            "4",
            "--at",
            "2021-01",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    points = pd.read_csv(out / "insurgency_fit.csv", index_col="rank").drop(index="target")
    assert sorted(points["growth_factor.LCB"]) == [0.0, 1.0] and points["error"].is_monotonic_increasing
    # the Lake Chad group grows only with its own factor; the Sahel groups do not depend on it
    by = points.set_index("growth_factor.LCB")
    assert by.loc[1.0, "LCB NGA"] > by.loc[0.0, "LCB NGA"]
    assert by.loc[1.0, "JNIM BFA"] == pytest.approx(by.loc[0.0, "JNIM BFA"], abs=0.01)
    bad = subprocess.run(
        [sys.executable, "-m", "sim.insurgency_fit", "--group-growth", "XYZ=1", "--out", str(tmp_path / "o")],
        cwd=ROOT,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error:") and "LCB" in bad.stderr


def test_bad_grid_value_exits_2_with_one_error(tmp_path, cli_env):
    proc = subprocess.run(
        [sys.executable, "-m", "sim.insurgency_fit", "--growth", "0.04,x", "--out", str(tmp_path / "o")],
        cwd=ROOT,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and proc.stderr.startswith("error:") and "--growth" in proc.stderr
    assert not (tmp_path / "o").exists()
