"""The package's declarations (pyproject.toml) against the code: the listed packages are the folders
with an __init__.py, sim.extras' table matches the optional extras, a command that needs a missing
extra says which one to install (one `error:` line, no traceback), the core install runs a baseline
without any extra, and requirements.lock pins every declared dependency at a version it allows."""

from __future__ import annotations

import functools
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from sim.extras import EXTRA_MODULES, PACKAGE, installed, launcher_problem, missing_extra

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
EXTRAS = PROJECT["optional-dependencies"]
#: What the commands need beyond the core install (sim.extras), blocked in the tests below.
EXTRA_TOPS = sorted({m for modules in EXTRA_MODULES.values() for m in modules} | {"dask"})


def requirements(extra: str | None = None) -> list[Requirement]:
    """The requirements of the core install (extra=None) or of one extra, with `all` expanded."""
    found = []
    for text in PROJECT["dependencies"] if extra is None else EXTRAS[extra]:
        req = Requirement(text)
        if canonicalize_name(req.name) == canonicalize_name(PACKAGE):
            for inner in sorted(req.extras):
                found += requirements(inner)
        else:
            found.append(req)
    return found


def block_extras_code(modules: list[str] = EXTRA_TOPS) -> str:
    """Python source that makes the modules unimportable, as on a core install."""
    return f"import sys\nfor _m in {modules!r}:\n    sys.modules[_m] = None\n"


def test_the_listed_packages_are_the_folders_with_an_init():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"]) - {"sim._data.conf", "sim._data.scenarios"}
    folders = {
        p.parent.relative_to(ROOT).as_posix().replace("/", ".")
        for top in ("sim", "analysis", "app", "workshop")
        for p in (ROOT / top).rglob("__init__.py")
    }
    assert listed == folders


def test_every_data_file_of_the_packages_ships_in_the_wheel():
    """Each non-Python file of sim, analysis, app and workshop (style sheets, Vue templates, language
    files) matches the package-data patterns, as setuptools globs them: a file left out is found here,
    not by an installed app that fails to start."""
    data = PYPROJECT["tool"]["setuptools"]["package-data"]
    for top in ("sim", "analysis", "app", "workshop"):
        shipped = {p for pattern in data.get(top, []) for p in (ROOT / top).glob(pattern)}
        files = {
            p
            for p in (ROOT / top).rglob("*")
            if p.is_file()
            and p.suffix not in (".py", ".pyc")
            and "__pycache__" not in p.parts
            and "_data" not in p.relative_to(ROOT / top).parts
        }
        assert files <= shipped, f"not in the wheel: {sorted(str(p.relative_to(ROOT)) for p in files - shipped)}"


def test_the_extras_are_sweep_app_all_dev_and_docs():
    assert set(EXTRAS) == {"sweep", "app", "all", "dev", "docs"}
    assert set(EXTRA_MODULES) == {"sweep", "app"}
    assert {r.name for r in requirements("all")} == {r.name for r in requirements("sweep") + requirements("app")}
    core = {canonicalize_name(r.name) for r in requirements()}
    for name in ("dask", "ema-workbench", "solara", "ipyvue", "hydra-joblib-launcher"):
        assert name not in core, f"{name} is in the core install; it belongs to an extra"


@functools.cache
def providers() -> dict[str, list[str]]:
    """Top-level module -> the installed distributions that bring it (read once: it scans them all)."""
    return importlib.metadata.packages_distributions()


def installed_closure(reqs: list[Requirement]) -> set[str]:
    """The distributions that installing `reqs` brings (their dependencies, with the extras asked for),
    read from the installed packages' metadata."""
    seen: set[str] = set()
    todo = [(r.name, frozenset(r.extras)) for r in reqs]
    while todo:
        name, extras = todo.pop()
        key = canonicalize_name(name)
        if key in seen and not extras:
            continue
        seen.add(key)
        for text in importlib.metadata.requires(name) or []:
            dep = Requirement(text)
            if dep.marker is None or any(dep.marker.evaluate({"extra": e}) for e in extras | {""}):
                todo.append((dep.name, frozenset(dep.extras)))
    return seen


@pytest.mark.parametrize("extra", sorted(EXTRA_MODULES))
def test_each_extras_modules_come_from_its_distributions(extra):
    dists = installed_closure(requirements(extra)) - installed_closure(requirements())
    for module in EXTRA_MODULES[extra]:
        top = module.split(".")[0]
        if top == "hydra_plugins":  # a namespace package shared by Hydra's plugins: look at the files
            owner = {
                canonicalize_name(d)
                for d in providers()[top]
                if any(str(f).startswith(module.replace(".", "/") + "/") for f in importlib.metadata.files(d) or [])
            }
        else:
            owner = {canonicalize_name(d) for d in providers()[top]}
        assert owner & dists, f"module {module} (from {owner}) is not brought by the {extra!r} extra ({dists})"


def test_every_install_hint_in_the_code_names_a_real_extra():
    hints = set()
    for path in [
        *ROOT.glob("sim/**/*.py"),
        *ROOT.glob("analysis/**/*.py"),
        *ROOT.glob("app/**/*.py"),
        *ROOT.glob("workshop/**/*.py"),
        *ROOT.glob("docs/**/*.md"),
        ROOT / "README.md",
    ]:
        hints |= set(re.findall(rf"{PACKAGE}\[([a-z,]+)\]", path.read_text(encoding="utf-8")))
    assert hints, "no install hint found"
    for hint in hints:
        assert set(hint.split(",")) <= set(EXTRAS), f"{PACKAGE}[{hint}] names an extra pyproject.toml lacks"


def test_missing_extra_names_the_extra_and_the_command(monkeypatch):
    assert installed("numpy") and not installed("no_such_module_anywhere")
    assert missing_extra("app", "The classroom app") is None  # the test environment has every extra
    monkeypatch.setitem(sys.modules, "solara", None)
    message = missing_extra("app", "The classroom app")
    assert message == (
        "The classroom app needs the optional 'app' extra, which is not installed (no module "
        "solara). Install it with: pip install 'sahel-influence[app]' (in a clone: make setup, "
        "which installs every extra)."
    )
    assert launcher_problem(["-m", "seed=1,2"]) is None and launcher_problem(["hydra/launcher=joblib"]) is None
    monkeypatch.setitem(sys.modules, "hydra_plugins.hydra_joblib_launcher", None)
    assert "'sweep' extra" in launcher_problem(["-m", "hydra/launcher=joblib"])


def run_blocked(args: list[str], cwd: Path, env: dict[str, str], module: str) -> subprocess.CompletedProcess:
    """`python -m module args` with the extras' modules blocked, as on a core install."""
    code = (
        block_extras_code() + f"import runpy\nsys.argv = ['{module}', *{args!r}]\n"
        f"runpy.run_module('{module}', run_name='__main__', alter_sys=True)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=dict(env, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=300,
    )


def one_error_line(proc: subprocess.CompletedProcess, extra: str) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert f"pip install '{PACKAGE}[{extra}]'" in lines[0]
    return lines[0]


def test_the_app_without_its_extra_is_one_error_line(tmp_path, cli_env):
    line = one_error_line(run_blocked(["--port", "8765"], tmp_path, cli_env, "app"), "app")
    assert "The classroom app" in line and "solara" in line


def test_a_dask_sweep_without_its_extra_is_one_error_line(tmp_path, cli_env):
    out = tmp_path / "sweep"
    proc = run_blocked(["sweep=demo_grid", "run.steps=2", "engine=dask", f"out={out}"], tmp_path, cli_env, "sim.sweep")
    assert "engine=dask" in one_error_line(proc, "sweep")
    assert not out.exists()


def test_hydras_joblib_launcher_without_its_extra_is_one_error_line(tmp_path, cli_env):
    proc = run_blocked(["-m", "seed=0,1", "run.steps=2", "hydra/launcher=joblib"], tmp_path, cli_env, "sim")
    assert "hydra/launcher=joblib" in one_error_line(proc, "sweep")


def test_prim_without_ema_workbench_is_a_note_not_a_crash(monkeypatch):
    import pandas as pd

    from analysis.discovery import NO_EMA_WORKBENCH, prim_box

    monkeypatch.setitem(sys.modules, "ema_workbench", None)
    monkeypatch.setitem(sys.modules, "ema_workbench.analysis", None)
    runs = pd.DataFrame({"run": range(6), "x": [0.1, 0.2, 0.3, 0.7, 0.8, 0.9]})
    outcome = pd.Series([False, False, False, True, True, True], index=range(6))
    with pytest.raises(ValueError) as exc:
        prim_box(runs, outcome, ["x"])
    assert str(exc.value) == NO_EMA_WORKBENCH and f"{PACKAGE}[sweep]" in NO_EMA_WORKBENCH


def test_the_core_install_runs_a_baseline_and_a_local_sweep(tmp_path, cli_env):
    """Without any extra: a short single run and a local sweep work, and import none of the extras."""
    proc = run_blocked(["run.steps=3", "run.plots=false", "hydra.run.dir=run"], tmp_path, cli_env, "sim")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "run" / "states.parquet").is_file()
    proc = run_blocked(
        ["sweep=demo_grid", "run.steps=2", "sweep.seeds_per_point=1", "out=sweep"], tmp_path, cli_env, "sim.sweep"
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "sweep" / "runs.parquet").is_file()


# --------------------------------------------------------------------------------------------
# requirements.lock


def lock_pins() -> dict[str, list[tuple[str, str]]]:
    """The lock's pins: name -> [(version, environment marker)] (a universal lock may pin a name
    twice, under different markers)."""
    pins: dict[str, list[tuple[str, str]]] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if not line or line[0] in "# ":
            continue
        req = Requirement(line)
        (version,) = [s.version for s in req.specifier if s.operator == "=="]
        pins.setdefault(canonicalize_name(req.name), []).append((version, str(req.marker or "")))
    return pins


def test_the_lock_pins_every_declared_dependency_at_an_allowed_version():
    pins = lock_pins()
    declared = requirements() + [r for extra in ("all", "dev", "docs") for r in requirements(extra)]
    for req in declared:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req} is declared in pyproject.toml but not in requirements.lock: run make lock"
        for version, _ in pins[name]:
            assert req.specifier.contains(version, prereleases=True), (
                f"requirements.lock pins {name}=={version}, which pyproject.toml's {req} refuses: run make lock"
            )
    for req in [r for r in declared if r.extras]:  # dask[distributed]: the packages of its extra too
        for text in importlib.metadata.requires(req.name) or []:
            dep = Requirement(text)
            if dep.marker and any(dep.marker.evaluate({"extra": e}) for e in req.extras):
                assert canonicalize_name(dep.name) in pins, f"{req} needs {dep.name}: not in requirements.lock"


def test_the_lock_says_how_it_was_made_with_every_extra():
    header = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()[:2]
    command = header[1].lstrip("# ").strip()
    assert command.startswith("uv pip compile pyproject.toml") and command.endswith("-o requirements.lock")
    assert all(f"--extra {e}" in command for e in ("all", "dev", "docs"))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert command.replace("--python-version 3.12 -o", "--python-version 3.12 \\\n\t-o") in makefile, (
        "the Makefile's `make lock` command is not the one that made requirements.lock"
    )


def test_make_setup_installs_from_the_lock_then_the_project_without_resolving():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    setup = makefile[makefile.index("$(VENV)/.installed:") : makefile.index("setup: $(VENV)/.installed")]
    assert "requirements.lock" in setup.splitlines()[0]  # a changed lock re-installs
    assert "pip install --quiet -r requirements.lock" in setup and "pip install --quiet --no-deps -e ." in setup


# --------------------------------------------------------------------------------------------
# nothing outside the repository


def test_no_file_names_a_path_outside_the_repository():
    """No tracked file names a folder of the development machine or the team's shared/ beside the
    clone; CI's optional run of the shared checker (.ci/run) is the one exception, and it is guarded."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    outside = re.compile(r"/work/|\.\./shared|/root/|/home/[a-z]")
    hits = []
    for name in filter(None, tracked.stdout.split("\0")):
        path = ROOT / name
        if name == "tests/test_packaging.py" or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # images, Parquet
            continue
        hits += [f"{name}:{n}" for n, line in enumerate(text.splitlines(), 1) if outside.search(line)]
    assert all(h.startswith(".ci/run:") for h in hits), hits
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "if [ -f ../shared/tools/check_outputs.py ]; then" in ci  # runs only where shared/ is there
