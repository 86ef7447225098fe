"""Provenance (sim.core.provenance): the package versions every result records, read from the
installed packages, and where a run and a sweep store them."""

from __future__ import annotations

import importlib.metadata
import json
import platform
import subprocess
import sys
from pathlib import Path

import numpy
import pandas

from sim.core import provenance as prov

ROOT = Path(__file__).resolve().parents[3]


def test_package_versions_are_the_installed_ones():
    versions = prov.package_versions()
    assert list(versions) == ["python", *prov.RECORDED_PACKAGES]
    assert versions["python"] == platform.python_version()
    assert versions["numpy"] == numpy.__version__ and versions["pandas"] == pandas.__version__
    for name in ("mesa", "hydra-core", "salib", "pyarrow", "scipy"):
        assert versions[name] == importlib.metadata.version(name)


def test_a_package_that_is_not_installed_is_said_so(monkeypatch):
    monkeypatch.setattr(prov, "RECORDED_PACKAGES", ("numpy", "no-such-distribution-here"))
    assert prov.package_versions()["no-such-distribution-here"] == "not installed"


def test_provenance_has_the_fingerprints_and_the_versions():
    world = ROOT / "scenarios" / "sahel_2024.yaml"
    record = prov.provenance(world)
    assert record == {
        "model_code_sha256": prov.model_fingerprint(),
        "world_file_sha256": prov.file_sha256(world),
        "packages": prov.package_versions(),
    }
    json.dumps(record)  # stored as JSON


def test_a_run_writes_its_provenance(tmp_path, cli_env):
    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "run.steps=2", "run.plots=false", "run.summary=false", f"hydra.run.dir={out}"],
        cwd=ROOT,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    record = json.loads((out / "provenance.json").read_text())
    assert record["packages"] == prov.package_versions()
    assert record["world_file_sha256"] == prov.file_sha256(ROOT / "scenarios" / "sahel_2024.yaml")
    assert record["model_code_sha256"] == prov.model_fingerprint()
