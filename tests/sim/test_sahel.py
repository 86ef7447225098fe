"""The `sahel` console script (sim/sahel.py): its help lists the commands, each command runs the
module that `python -m` runs with the rest of the command line, and a wrong command is one `error:` line."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from sim.sahel import COMMANDS, main, usage

ROOT = Path(__file__).resolve().parents[2]


def sahel(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim.sahel", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"},
    )


def test_the_console_script_is_declared():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"sahel": "sim.sahel:main"}


def test_help_lists_every_command_with_its_module():
    proc = sahel("--help")
    assert proc.returncode == 0 and proc.stdout.strip() == usage()
    for name, (module, _) in COMMANDS.items():
        assert f"  {name} " in proc.stdout and f"[python -m {module}]" in proc.stdout
    assert {"run", "sweep", "forecast", "hindcast", "calibrate", "plausibility", "app", "workshop"} <= set(COMMANDS)


@pytest.mark.parametrize("module", sorted({m for m, _ in COMMANDS.values()}))
def test_every_command_is_a_module_run_with_python_m(module):
    path = ROOT / Path(*module.split("."))
    main_file = path / "__main__.py" if path.is_dir() else path.with_suffix(".py")
    assert 'if __name__ == "__main__":' in main_file.read_text()


def test_the_version_is_the_packages(capsys):
    from sim import __version__

    with pytest.raises(SystemExit) as ex:
        main(["--version"])
    assert ex.value.code == 0 and capsys.readouterr().out == f"sahel-influence {__version__}\n"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "sim.__version__"}
    assert f"version: {__version__}" in (ROOT / "CITATION.cff").read_text()
    assert f"## {__version__}" in (ROOT / "CHANGELOG.md").read_text()


def test_no_command_or_a_wrong_one_is_a_short_error(capsys):
    with pytest.raises(SystemExit) as ex:
        main([])
    assert ex.value.code == 2 and "usage: sahel COMMAND" in capsys.readouterr().out
    with pytest.raises(SystemExit) as ex:
        main(["sweeep"])
    err = capsys.readouterr().err
    assert ex.value.code == 2 and err.startswith("error: unknown command 'sweeep'") and "sweep" in err


def test_run_is_python_m_sim_with_its_overrides(tmp_path):
    proc = sahel(
        "run", "run.steps=2", "run.plots=false", "run.summary=false", f"hydra.run.dir={tmp_path / 'out'}", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "states.parquet").is_file()
    assert "run:\n  steps: 2" in (tmp_path / "out" / "config.yaml").read_text()


def test_a_command_passes_on_its_exit_status_and_error():
    proc = sahel("forecast", "--runs", "0")
    assert proc.returncode == 2 and proc.stderr.startswith("error: --runs must be at least 1")
    assert "Traceback" not in proc.stderr


def test_run_help_is_hydras_help_with_the_usage():
    proc = sahel("run", "--help")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert proc.stdout.startswith("python -m sim (or: sahel run)") and "experiment: " in proc.stdout
