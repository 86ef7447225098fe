"""A refused command leaves the file system as it was (issue 14, item 4): each bad input of the
ensemble commands (`sim.hindcast`, `sim.forecast`, `sim.calibrate`, `sim.plausibility`) and of the
workshop (`python -m workshop ...`) ends with exit status 2 and one `error:` paragraph naming what is
wrong, and the folder it ran in (its names, sizes and modification times, the folder's own included)
is the same before and after. The commands run in this process (their `main`), from inside the
temporary folder, so that a relative default path would be caught too. (`python -m sim` and
`sim.sweep`: tests/test_cli.py and tests/sim/test_sweep.py.)
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

# ---------------------------------------------------------------- helpers


def tree(root: Path) -> dict[str, tuple[bool, int, int]]:
    """Every entry below root (and root itself): whether it is a folder, its size and its mtime."""
    out = {}
    for p in [root, *sorted(root.rglob("*"))]:
        st = p.lstat()
        out[str(p.relative_to(root))] = (p.is_dir(), 0 if p.is_dir() else st.st_size, st.st_mtime_ns)
    return out


def assert_one_error(stderr: str, names: str, problem_lines: bool = False) -> None:
    """One `error:` paragraph naming `names` (the option, key or file at fault), no traceback; with
    problem_lines, a move file's refusal may list its problems below as '  - ...' lines."""
    assert stderr.startswith("error: "), stderr
    assert stderr.count("error:") == 1 and "Traceback" not in stderr, stderr
    lines = stderr.rstrip("\n").split("\n")
    assert all(line.startswith("  - ") for line in lines[1:]) if problem_lines else len(lines) == 1, stderr
    assert names in stderr, (names, stderr)


def run_main(module: str, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`python -m MODULE ARGV` in this process: its exit status and what it printed on stderr."""
    main = importlib.import_module(module).main
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    return (code if isinstance(code, int) else 0), capsys.readouterr().err


@pytest.fixture
def scene(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with what the bad inputs point at: a plain file, an existing output folder with a
    file in it, a YAML file with a syntax error, an empty YAML file and a folder that is not a game.
    The working directory is the folder."""
    (tmp_path / "afile").write_text("x\n")
    (tmp_path / "existing").mkdir()
    (tmp_path / "existing" / "keep.txt").write_text("kept\n")
    (tmp_path / "bad.yaml").write_text("a: [1, 2\n")
    (tmp_path / "empty.yaml").write_text("{}\n")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "notes.txt").write_text("not a game\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


#: Options put before each case's own (which win): should a check be lost, the command then runs a
#: small ensemble and the test fails in seconds, not after a full-size run.
SMALL = {
    "sim.hindcast": ["--runs", "2"],
    "sim.forecast": ["--runs", "2", "--months", "2", "--horizons", "1"],
    "sim.calibrate": ["--runs", "2", "--points", "2", "--seeds", "1", "--no-gate", "--resamples", "10"],
    "sim.plausibility": ["--runs", "2", "--months", "2", "--scenario", "baseline"],
    "workshop.cli": [],
}


def refused_unchanged(
    module: str,
    argv: list[str],
    names: str,
    scene: Path,
    capsys: pytest.CaptureFixture[str],
    problem_lines: bool = False,
) -> None:
    """Run the command (SMALL options first) with TMP in argv replaced by the scene's folder; assert
    exit 2, one error paragraph naming `names`, and the scene unchanged."""
    argv = [a.replace("TMP", str(scene)) for a in [*SMALL[module], *argv]]
    before = tree(scene)
    code, err = run_main(module, argv, capsys)
    assert code == 2, (argv, err)
    assert_one_error(err, names.replace("TMP", str(scene)), problem_lines)
    assert tree(scene) == before, argv


# ---------------------------------------------------------------- the ensemble commands

OUT = ["--out", "TMP/out"]
#: Bad inputs every ensemble command shares (add_common and the configuration): (id, argv, named).
COMMON = [
    ("runs zero", ["--runs", "0", *OUT], "--runs"),
    ("runs not a number", ["--runs", "many", *OUT], "--runs"),
    ("seed negative", ["--seed", "-1", *OUT], "--seed"),
    ("chunk zero", ["--chunk", "0", *OUT], "--chunk"),
    ("unknown option", ["--bogus", *OUT], "--bogus"),
    ("out is a file", ["--out", "TMP/afile"], "--out"),
    ("out below a file", ["--out", "TMP/afile/sub"], "afile is a file"),
    ("unknown key", ["nokey=1", *OUT], "nokey"),
    ("value out of range", ["hazards.coup_base=-5", *OUT], "hazards.coup_base"),
    ("value of the wrong type", ["hazards.coup_base=abc", *OUT], "hazards.coup_base"),
    ("unknown group choice", ["incentives=nope", *OUT], "incentives"),
    ("unknown world name", ["scenario.name=nope", *OUT], "nope.yaml"),
    ("world not YAML", ["scenario.name=TMP/bad.yaml", *OUT], "bad.yaml"),
    ("existing out kept on a bad key", ["nokey=1", "--out", "TMP/existing"], "nokey"),
]


def _cases(specific: list[tuple[str, list[str], str]], slow: set[str] = frozenset()) -> list:
    return [
        pytest.param(argv, names, id=name, marks=[pytest.mark.slow] if name in slow else [])
        for name, argv, names in [*COMMON, *specific]
    ]


HINDCAST = [
    ("world option unknown", ["--world", "nope", *OUT], "nope.yaml"),
    ("end not a month", ["--end", "2024-13", *OUT], "--end"),
    ("end impossible day", ["--end", "2024-06-31", *OUT], "--end"),
    ("end before the start", ["--end", "2019-01", *OUT], "--end"),
    ("months zero", ["--months", "0", *OUT], "--months"),
    ("timeline missing", ["--timeline", "TMP/missing.yaml", *OUT], "missing.yaml"),
    ("timeline not YAML", ["--timeline", "TMP/bad.yaml", *OUT], "bad.yaml"),
    ("timeline without events", ["--timeline", "TMP/empty.yaml", *OUT], "empty.yaml"),
]


@pytest.mark.parametrize(
    ("argv", "names"), _cases(HINDCAST, slow={"timeline not YAML", "timeline without events", "end before the start"})
)
def test_hindcast_refuses_bad_input_and_writes_nothing(argv, names, scene, capsys):
    refused_unchanged("sim.hindcast", argv, names, scene, capsys)


FORECAST = [
    ("world option unknown", ["--world", "nope", *OUT], "nope.yaml"),
    ("months zero", ["--months", "0", *OUT], "--months"),
    ("horizons not numbers", ["--horizons", "12,x", *OUT], "--horizons"),
    ("horizon beyond months", ["--horizons", "99", *OUT], "--horizons"),
    ("posterior missing", ["--posterior", "TMP/missing.csv", *OUT], "--posterior"),
    ("posterior not a table", ["--posterior", "TMP/bad.yaml", *OUT], "--posterior"),
    ("calibration folder empty", ["--calibration", "TMP/existing", *OUT], "calibrated.yaml"),
]


@pytest.mark.parametrize(("argv", "names"), _cases(FORECAST, slow={"posterior not a table"}))
def test_forecast_refuses_bad_input_and_writes_nothing(argv, names, scene, capsys):
    refused_unchanged("sim.forecast", argv, names, scene, capsys)


CONFIG = ["--write-config", "TMP/cal/calibrated.yaml"]  # never the repository's conf/incentives/
CALIBRATE = [
    ("points zero", ["--points", "0", *OUT, *CONFIG], "--points"),
    ("seeds zero", ["--seeds", "0", *OUT, *CONFIG], "--seeds"),
    ("accept above one", ["--accept", "2", *OUT, *CONFIG], "--accept"),
    ("level one", ["--level", "1", *OUT, *CONFIG], "--level"),
    ("resamples too few", ["--resamples", "3", *OUT, *CONFIG], "--resamples"),
    ("priors missing", ["--priors", "TMP/missing.yaml", *OUT, *CONFIG], "missing.yaml"),
    ("priors not YAML", ["--priors", "TMP/bad.yaml", *OUT, *CONFIG], "bad.yaml"),
    ("priors without parameters", ["--priors", "TMP/empty.yaml", *OUT, *CONFIG], "'parameters'"),
    ("prior of no parameter", ["--prior", "nope=1:2", *OUT, *CONFIG], "--prior"),
    ("prior range not numbers", ["--prior", "hazards.coup_base=1:x", *OUT, *CONFIG], "--prior"),
    ("prior range outside legal", ["--prior", "hazards.coup_base=0.1:0.9", *OUT, *CONFIG], "--prior"),
    ("fit end not a month", ["--fit-end", "2022-13", *OUT, *CONFIG], "--fit-end"),
    ("end before fit end", ["--end", "2021-01", *OUT, *CONFIG], "--end"),
    ("timeline missing", ["--timeline", "TMP/missing.yaml", *OUT, *CONFIG], "missing.yaml"),
    ("write-config is a folder", ["--write-config", "TMP/existing", *OUT], "--write-config"),
    ("write-config below a file", ["--write-config", "TMP/afile/c.yaml", *OUT], "--write-config"),
]


@pytest.mark.parametrize(
    ("argv", "names"),
    _cases(
        [(n, [*a, *CONFIG] if "TMP/out" in a and "--write-config" not in a else a, s) for n, a, s in CALIBRATE],
        slow={"end before fit end"},
    ),
)
def test_calibrate_refuses_bad_input_and_writes_nothing(argv, names, scene, capsys):
    refused_unchanged("sim.calibrate", argv, names, scene, capsys)


PLAUSIBILITY = [
    ("unknown ensemble", ["--scenario", "nope", *OUT], "--scenario"),
    ("experiment override", ["experiment=coup_wave", *OUT], "--scenario"),
    ("facts missing", ["--facts", "TMP/missing.yaml", *OUT], "missing.yaml"),
    ("facts not YAML", ["--facts", "TMP/bad.yaml", *OUT], "bad.yaml"),
    ("months zero", ["--months", "0", *OUT], "--months"),
]


@pytest.mark.parametrize(("argv", "names"), _cases(PLAUSIBILITY))
def test_plausibility_refuses_bad_input_and_writes_nothing(argv, names, scene, capsys):
    refused_unchanged("sim.plausibility", argv, names, scene, capsys)


# ---------------------------------------------------------------- the workshop

TEAMS = ["--team", "USA", "--team", "AES=MLI,BFA,NER"]


@pytest.fixture(scope="module")
def games(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two games made once: 'fresh' at turn 1, 'played' with turn 1 adjudicated (no briefs)."""
    from workshop.cli import main

    root = tmp_path_factory.mktemp("games")
    for name in ("fresh", "played"):
        assert main(["new", str(root / name), *TEAMS, "--turns", "3"]) == 0
    assert main(["adjudicate", str(root / "played"), "--turn", "1", "--no-briefs"]) == 0
    return root


@pytest.fixture
def game_scene(scene: Path, games: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The scene with copies of the two games and a few move files."""
    for name in ("fresh", "played"):
        shutil.copytree(games / name, scene / name)
    moves = {
        "ok": "team: USA\nturn: 1\nnote: waiting\n",
        "illegal": "team: USA\nturn: 1\nallocate:\n  TCD: {security: 99}\n",
        "baddate": "team: USA\nturn: 1\ndeploy: [{state: BEN, troops: 50, date: '2024-06-31'}]\n",
        "month13": "team: USA\nturn: 1\ndeploy: [{state: BEN, troops: 50, date: '2024-13'}]\n",
        "otherteam": "team: AES\nturn: 1\n",
    }
    for name, text in moves.items():
        (scene / f"{name}.yaml").write_text(text, encoding="utf-8")
    (scene / "latin1.yaml").write_bytes("team: USA\nturn: 1\nnote: caf\xe9\n".encode("latin-1"))
    capsys.readouterr()
    return scene


NEW = "TMP/newgame"
#: Cases that repeat a check another case makes (run with -m slow).
WORKSHOP_SLOW = {
    "inject: troops inf",
    "inject: troops -1",
    "inject: troops 1e308",
    "new: team twice",
    "submit: month 13",
    "inject: cancel in no game",
}
WORKSHOP = [  # (id, argv, named, with problem lines)
    ("new: unknown team", ["new", NEW, "--team", "NATO", "--turns", "2"], "NATO", False),
    ("new: no team", ["new", NEW, "--turns", "2"], "--team", False),
    ("new: team twice", ["new", NEW, "--team", "USA", "--team", "USA", "--turns", "2"], "USA", False),
    ("new: zero turns", ["new", NEW, *TEAMS, "--turns", "0"], "--turns", False),
    ("new: turns not a number", ["new", NEW, *TEAMS, "--turns", "x"], "--turns", False),
    ("new: turn months 13", ["new", NEW, *TEAMS, "--turns", "2", "--turn-months", "13"], "--turn-months", False),
    ("new: negative seed", ["new", NEW, *TEAMS, "--turns", "2", "--seed", "-1"], "--seed", False),
    ("new: unknown world", ["new", NEW, *TEAMS, "--turns", "2", "--scenario", "nope"], "nope", False),
    ("new: world not YAML", ["new", NEW, *TEAMS, "--turns", "2", "--scenario", "TMP/bad.yaml"], "bad.yaml", False),
    ("new: unknown experiment", ["new", NEW, *TEAMS, "--turns", "2", "--experiment", "nope"], "nope", False),
    ("new: folder is a file", ["new", "TMP/afile", *TEAMS, "--turns", "2"], "afile", False),
    ("new: folder below a file", ["new", "TMP/afile/game", *TEAMS, "--turns", "2"], "afile", False),
    ("new: a game already", ["new", "TMP/fresh", *TEAMS, "--turns", "2"], "already holds a game", False),
    ("submit: not a game", ["submit", "TMP/plain", "USA", "TMP/ok.yaml"], "No game in", False),
    ("submit: no folder", ["submit", "TMP/nowhere", "USA", "TMP/ok.yaml"], "No game in", False),
    ("submit: game is a file", ["submit", "TMP/afile", "USA", "TMP/ok.yaml"], "No game in", False),
    ("submit: unknown team", ["submit", "TMP/fresh", "FRA", "TMP/ok.yaml"], "FRA", False),
    ("submit: another team's file", ["submit", "TMP/fresh", "USA", "TMP/otherteam.yaml"], "otherteam.yaml", True),
    ("submit: no move file", ["submit", "TMP/fresh", "USA", "TMP/missing.yaml"], "missing.yaml", False),
    ("submit: move file not YAML", ["submit", "TMP/fresh", "USA", "TMP/bad.yaml"], "bad.yaml", True),
    ("submit: move file not UTF-8", ["submit", "TMP/fresh", "USA", "TMP/latin1.yaml"], "UTF-8", False),
    ("submit: illegal move", ["submit", "TMP/fresh", "USA", "TMP/illegal.yaml"], "security", True),
    ("submit: impossible date", ["submit", "TMP/fresh", "USA", "TMP/baddate.yaml"], "2024-06-31", True),
    ("submit: month 13", ["submit", "TMP/fresh", "USA", "TMP/month13.yaml"], "2024-13", True),
    (
        "inject: not a game",
        ["inject", "TMP/plain", "--turn", "1", "--type", "coup", "--state", "TCD"],
        "No game in",
        False,
    ),
    (
        "inject: unknown state",
        ["inject", "TMP/fresh", "--turn", "1", "--type", "coup", "--state", "XXX"],
        "--state",
        False,
    ),
    (
        "inject: unknown type",
        ["inject", "TMP/fresh", "--turn", "1", "--type", "nope", "--state", "TCD"],
        "--type",
        False,
    ),
    (
        "inject: turn past the game",
        ["inject", "TMP/fresh", "--turn", "9", "--type", "coup", "--state", "TCD"],
        "--turn",
        False,
    ),
    (
        "inject: turn already played",
        ["inject", "TMP/played", "--turn", "1", "--type", "coup", "--state", "TCD"],
        "--turn",
        False,
    ),
    (
        "inject: no partner",
        ["inject", "TMP/fresh", "--turn", "1", "--type", "expel", "--state", "TCD"],
        "--power",
        False,
    ),
    *(
        (
            f"inject: troops {t}",
            [
                "inject",
                "TMP/fresh",
                "--turn",
                "1",
                "--type",
                "deploy",
                "--state",
                "TCD",
                "--power",
                "USA",
                "--troops",
                t,
            ],
            "--troops",
            False,
        )
        for t in ("nan", "inf", "-1", "1e308")
    ),
    ("inject: troops not a number", ["inject", "TMP/fresh", "--turn", "1", "--troops", "lots"], "--troops", False),
    ("inject: cancel nothing", ["inject", "TMP/fresh", "--turn", "1", "--cancel"], "nothing was cancelled", False),
    ("inject: cancel in no game", ["inject", "TMP/plain", "--turn", "1", "--cancel"], "No game in", False),
    ("adjudicate: not a game", ["adjudicate", "TMP/plain"], "No game in", False),
    ("adjudicate: nobody submitted", ["adjudicate", "TMP/fresh"], "--turn 1", False),
    ("adjudicate: wrong turn", ["adjudicate", "TMP/fresh", "--turn", "3"], "not 3", False),
    ("undo: not a game", ["undo", "TMP/plain"], "No game in", False),
    ("undo: nothing played", ["undo", "TMP/fresh"], "nothing to undo", False),
    ("undo: not the last turn", ["undo", "TMP/played", "--turn", "2"], "not 2", False),
    ("briefs: not a game", ["briefs", "TMP/plain"], "No game in", False),
    ("briefs: turn not played", ["briefs", "TMP/fresh", "--turn", "5"], "--turn 5", False),
    ("debrief: not a game", ["debrief", "TMP/plain"], "No game in", False),
    ("debrief: nothing played", ["debrief", "TMP/fresh"], "No turn has been adjudicated", False),
    ("debrief: zero runs", ["debrief", "TMP/played", "--runs", "0"], "--runs", False),
    ("debrief: runs without bound", ["debrief", "TMP/played", "--runs", "100000000"], "--runs", False),
    ("debrief: unknown what-if team", ["debrief", "TMP/played", "--what-if", "FRA"], "FRA", False),
    ("debrief: out is a folder", ["debrief", "TMP/played", "--runs", "2", "--out", "TMP/existing"], "existing", False),
    (
        "debrief: out below a file",
        ["debrief", "TMP/played", "--runs", "2", "--out", "TMP/afile/d.html"],
        "afile",
        False,
    ),
    ("status: not a game", ["status", "TMP/plain"], "No game in", False),
    ("status: game is a file", ["status", "TMP/played/game.json"], "No game in", False),
    ("check: not a game", ["check", "TMP/plain"], "No game in", False),
    ("unknown command", ["play", "TMP/fresh"], "play", False),
]


@pytest.mark.parametrize(
    ("argv", "names", "problem_lines"),
    [pytest.param(a, n, p, id=i, marks=[pytest.mark.slow] if i in WORKSHOP_SLOW else []) for i, a, n, p in WORKSHOP],
)
def test_workshop_refuses_bad_input_and_writes_nothing(argv, names, problem_lines, game_scene, capsys):
    refused_unchanged("workshop.cli", argv, names, game_scene, capsys, problem_lines)
