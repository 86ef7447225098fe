"""The analysis layer reads tables, not the model: of `sim`, `app` and `workshop` it may import only
the dependency-free event catalogue, `sim.core.vocabulary`."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import analysis.metrics

ROOT = Path(__file__).resolve().parents[2]
ANALYSIS = ROOT / "analysis"
LAYERS = ("sim", "app", "workshop")
ALLOWED = "sim.core.vocabulary"


def _modules() -> list[Path]:
    return sorted(ANALYSIS.rglob("*.py"))


def imported_names(source: str) -> list[tuple[int, str]]:
    """(line, dotted name) of every absolute import in a module, those inside functions included;
    `from a.b import c` gives both a.b and a.b.c (c may be a module)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def forbidden(name: str) -> bool:
    """Whether an imported name reaches into another layer than the one module allowed."""
    if name.split(".")[0] not in LAYERS:
        return False
    # The packages on the way to the catalogue (sim, sim.core) and names taken from it are fine.
    return not (ALLOWED.startswith(name + ".") or name == ALLOWED or name.startswith(ALLOWED + "."))


def test_the_analysis_under_test_is_this_checkouts():
    # tests/analysis/ is a package of the same name: see tests/conftest.py.
    assert Path(analysis.metrics.__file__).resolve().parent == ANALYSIS


def test_the_checker_tells_allowed_from_forbidden_imports():
    source = ("import numpy\nfrom sim.core.vocabulary import EVENTS\nimport sim.core.vocabulary\n"
              "from sim.core import vocabulary\nfrom sim.core import world\nimport app.figures\n"
              "def f():\n    from workshop import briefs\n    import sim.model\n")
    assert [(line, name) for line, name in imported_names(source) if forbidden(name)] == [
        (5, "sim.core.world"), (6, "app.figures"), (8, "workshop"), (8, "workshop.briefs"), (9, "sim.model")]


def test_analysis_imports_nothing_of_the_model_but_the_vocabulary():
    modules = _modules()
    assert len(modules) > 10
    bad = [f"{path.relative_to(ROOT)}:{line}: {name}"
           for path in modules for line, name in imported_names(path.read_text(encoding="utf-8"))
           if forbidden(name)]
    assert not bad, "analysis/ may import only sim.core.vocabulary of sim, app and workshop:\n" + "\n".join(bad)


def test_importing_every_analysis_module_loads_no_other_module_of_the_model():
    # Importing sim.core.vocabulary runs sim/__init__.py and sim/core/__init__.py too: they must not pull in more.
    names = [".".join(p.relative_to(ROOT).with_suffix("").parts) for p in _modules()]
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n    importlib.import_module(name.removesuffix('.__init__'))\n"
            f"print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in {LAYERS!r})))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["sim", "sim.core", "sim.core.vocabulary"]
