"""The layers of the code, read from the source (its import statements, wherever they stand):

(a) the model core (sim/core) imports nothing above it: no other module of sim, no analysis, app or
    workshop, and none of the libraries of the drivers, plots and apps;
(b) the rules (sim/core/rules) import only numpy, the standard library and the core's rules,
    vocabulary and parameters;
(c) the analysis imports nothing of sim but the core's vocabulary (and sim.core.data_yaml, the safe reader
    of data YAML, sim.core.paths, where the data folders are, and sim.core.atomic, how files are written),
    and nothing of app or workshop;
(d) no module of sim, analysis, app or workshop imports an entry point (a command run as
    `python -m ...`): what two commands share lives in a library module.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("sim", "analysis", "app", "workshop")

#: The commands run as `python -m MODULE` (README, Makefile, docs). Modules with
#: `if __name__ == "__main__":` and every __main__.py count too (found below), so a new command is covered.
ENTRY_POINTS = frozenset(
    {
        "sim.__main__",
        "sim.sweep",
        "sim.hindcast",
        "sim.forecast",
        "sim.calibrate",
        "sim.insurgency_fit",
        "sim.golden",
        "sim.paramdoc",
        "analysis.report",
        "analysis.export",
        "app.__main__",
        "app.screenshot",
        "workshop.__main__",
        "workshop.cli",  # the command behind `python -m workshop`
    }
)
#: The only importers an entry point may have: the __main__ that runs it.
RUNNERS = {"workshop.cli": {"workshop.__main__"}}

#: Libraries of the drivers, plots, apps and sweeps: never in the model core.
ABOVE_THE_CORE = frozenset(
    {
        "analysis",
        "app",
        "workshop",
        "mesa",
        "hydra",
        "omegaconf",
        "matplotlib",
        "solara",
        "dask",
        "distributed",
        "SALib",
        "ema_workbench",
        "tqdm",
        "sklearn",
    }
)


@dataclass(frozen=True)
class Import:
    """One module imported by one file (`from X import Y` imports X.Y when that is a module)."""

    file: str  # relative to the repository, e.g. sim/core/world.py
    line: int
    importer: str  # the importing module, e.g. sim.core.world
    module: str

    @property
    def top(self) -> str:
        return self.module.split(".")[0]


def module_name(path: Path) -> str:
    """The dotted name of a source file: sim/core/world.py -> sim.core.world, sim/core/__init__.py -> sim.core."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    """Whether a dotted name is a module or package of this repository."""
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imports(path: Path) -> Iterator[Import]:
    """Every module the file imports, at the top or inside a function, relative imports resolved."""
    importer = module_name(path)
    package = importer.split(".") if path.name == "__init__.py" else importer.split(".")[:-1]
    file = path.relative_to(ROOT).as_posix()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=file)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(file, node.lineno, importer, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield Import(file, node.lineno, importer, sub if is_module(sub) else base)


def runs_as_main(path: Path) -> bool:
    """A __main__.py, or a module with a top-level `if __name__ == "__main__":`."""
    if path.name == "__main__.py":
        return True
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Compare):
            names = [node.test.left, *node.test.comparators]
            if any(isinstance(n, ast.Name) and n.id == "__name__" for n in names) and any(
                isinstance(n, ast.Constant) and n.value == "__main__" for n in names
            ):
                return True
    return False


def entry_points() -> frozenset[str]:
    """The listed entry points and every module found to run as __main__."""
    found = {module_name(p) for package in PACKAGES for p in sources(package) if runs_as_main(p)}
    return ENTRY_POINTS | found


def breaches(files: list[Path], forbidden: Callable[[Import], bool], rule: str) -> list[str]:
    """One line per (file, module) that breaks the rule, at its first import."""
    first: dict[tuple[str, str], Import] = {}
    for path in files:
        for i in imports(path):
            if forbidden(i):
                first.setdefault((i.file, i.module), i)
    return [f"{i.file}:{i.line} imports {i.module}: {rule}" for i in first.values()]


def in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


# ---------------------------------------------------------------- the rules


def test_the_core_imports_nothing_above_it():
    rule = (
        "rule (a): the model core (sim/core) imports nothing of sim outside sim/core, nor analysis, app, "
        f"workshop, nor {', '.join(sorted(ABOVE_THE_CORE - set(PACKAGES)))}"
    )
    found = breaches(
        sources("sim/core"),
        lambda i: i.top in ABOVE_THE_CORE or (i.top == "sim" and not in_package(i.module, "sim.core")),
        rule,
    )
    assert not found, "\n".join(found)


def test_the_rules_import_only_numpy_the_standard_library_and_the_core():
    allowed_core = ("sim.core.rules", "sim.core.vocabulary", "sim.core.params")
    rule = f"rule (b): the rules (sim/core/rules) import only numpy, the standard library and {', '.join(allowed_core)}"

    def forbidden(i: Import) -> bool:
        if i.top == "sim":
            return not any(in_package(i.module, allowed) for allowed in allowed_core)
        return i.top not in ("numpy", "__future__") and i.top not in sys.stdlib_module_names

    found = breaches(sources("sim/core/rules"), forbidden, rule)
    assert not found, "\n".join(found)


def test_the_analysis_imports_only_the_vocabulary_of_the_model():
    allowed = ("sim.core.vocabulary", "sim.core.data_yaml", "sim.core.paths", "sim.core.atomic")
    rule = f"rule (c): analysis/ imports nothing of sim but {', '.join(allowed)}, and nothing of app or workshop"
    found = breaches(
        sources("analysis"),
        lambda i: i.top in ("app", "workshop") or (i.top == "sim" and i.module not in allowed),
        rule,
    )
    assert not found, "\n".join(found)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_imports_an_entry_point(package):
    commands = entry_points()
    rule = (
        "rule (d): no module imports an entry point (a command run as `python -m`); move what it shares "
        "into a library module"
    )
    found = breaches(
        sources(package),
        lambda i: i.module in commands and i.module != i.importer and i.importer not in RUNNERS.get(i.module, ()),
        rule,
    )
    assert not found, "\n".join(found)


# ---------------------------------------------------------------- the checker itself


def test_the_listed_entry_points_exist_and_the_commands_are_found():
    assert all(is_module(m) for m in ENTRY_POINTS), sorted(m for m in ENTRY_POINTS if not is_module(m))
    found = entry_points() - {"workshop.cli"}  # the one listed command without a __main__ guard
    assert found >= ENTRY_POINTS - {"workshop.cli"}, "a listed command no longer runs as __main__"


def test_imports_are_resolved():
    sweep = {i.module for i in imports(ROOT / "sim" / "sweep.py")}
    assert {"sim.core.params", "sim.designs", "pandas", "distributed"} <= sweep  # distributed: under TYPE_CHECKING
    assert runs_as_main(ROOT / "sim" / "sweep.py") and not runs_as_main(ROOT / "sim" / "designs.py")
    games = {i.module for i in imports(ROOT / "app" / "games.py")}
    assert "workshop.service" in games  # `from workshop import service` imports the module
