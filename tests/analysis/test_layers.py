"""The analysis layer reads tables, not the model: of `sim`, `app` and `workshop` it may import only
the dependency-free event catalogue, `sim.core.vocabulary`, and the safe YAML reader for data files,
`sim.core.data_yaml`, and the helpers that say where data folders are and how files are written
(`sim.core.paths`, `sim.core.atomic`). tests/test_layers.py checks the import
statements; here, what importing the analysis actually loads, and that the analysis under test is
this checkout's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import analysis.metrics

ROOT = Path(__file__).resolve().parents[2]
ANALYSIS = ROOT / "analysis"
LAYERS = ("sim", "app", "workshop")


def _modules() -> list[Path]:
    return sorted(ANALYSIS.rglob("*.py"))


def test_the_analysis_under_test_is_this_checkouts():
    # tests/analysis/ is a package of the same name: see tests/conftest.py.
    assert Path(analysis.metrics.__file__).resolve().parent == ANALYSIS


def test_importing_every_analysis_module_loads_no_other_module_of_the_model():
    # Importing sim.core.vocabulary runs sim/__init__.py and sim/core/__init__.py too: they must not pull in more.
    names = [".".join(p.relative_to(ROOT).with_suffix("").parts) for p in _modules()]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n    importlib.import_module(name.removesuffix('.__init__'))\n"
        f"print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in {LAYERS!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == [
        "sim",
        "sim.core",
        "sim.core.atomic",
        "sim.core.data_yaml",
        "sim.core.paths",
        "sim.core.vocabulary",
    ]
