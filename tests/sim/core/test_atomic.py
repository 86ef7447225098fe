"""The one way files are written (sim.core.atomic): whole or not at all, with the umask's permissions."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pandas as pd
import pytest

from sim.core.atomic import atomic_path, current_umask, write_text_atomic
from sim.core.io import write_csv_atomic, write_parquet_atomic


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_parquet_file_is_readable_by_group_and_others_under_umask_022(tmp_path, umask_022):
    path = tmp_path / "sweep" / "states.parquet"
    write_parquet_atomic(pd.DataFrame({"a": [1, 2]}), path)
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode == 0o644, oct(mode)  # mkstemp alone would leave 0o600: colleagues could not read a sweep
    assert mode & stat.S_IRGRP and mode & stat.S_IROTH
    assert pd.read_parquet(path)["a"].tolist() == [1, 2]
    assert [p.name for p in path.parent.iterdir()] == ["states.parquet"]  # no temporary file left


def test_the_umask_decides_the_permissions(tmp_path):
    old = os.umask(0o077)
    try:
        assert current_umask() == 0o077
        write_text_atomic(tmp_path / "private.txt", "x")
        write_csv_atomic(pd.DataFrame({"a": [1]}), tmp_path / "private.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "private.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "private.csv").stat().st_mode) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "config.yaml"
    write_text_atomic(path, "old\n")
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert path.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["config.yaml"]


def test_the_hook_runs_before_the_rename(tmp_path):
    path = tmp_path / "game.json"
    seen = []
    write_text_atomic(path, "new", before_replace=lambda: seen.append(path.exists()))
    assert seen == [False] and path.read_text() == "new"


# --------------------------------------------------------------------------------------------
# every writer of the project goes through sim.core.atomic

ROOT = Path(__file__).resolve().parents[3]
RAW_WRITE = re.compile(
    r"open\([^)]*['\"](w|wb|a|x)b?['\"]|\.write_text\(|\.write_bytes\(|\.to_parquet\(|"
    r"\.to_csv\(|\.savefig\(|pq\.write_table\(|\.save\("
)
#: Raw writes that are not results: into the temporary file of atomic_path (tmp), into memory
#: (buffer, buf; a CSV made as a string, `.to_csv(index=False)` with no path), a game's save (itself
#: atomic), a subprocess's log (app/browser.py: opened for appending, emptied for a new server), a test
#: hook's marker, and a secret written readable by its owner only by design (workshop/tokens.py:
#: os.fdopen of a 0600 file).
ALLOWED = re.compile(
    r"[(,] ?tmp\b|\(buf(fer)?\b|game\.save\(\)|open\(log, \"w\"|open\(self\.log, \"a\"|"
    r"log\.write_text\(\"\"|\.to_csv\(index=False\)|\.paused-|os\.fdopen\(fd, \"w\""
)


def test_no_module_writes_a_file_but_through_the_atomic_helper():
    raw = []
    for package in ("sim", "analysis", "app", "workshop"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "sim" / "core" / "atomic.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if RAW_WRITE.search(line) and not ALLOWED.search(line):
                    raw.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not raw, "files written without sim.core.atomic (umask permissions, fsync): " + "; ".join(raw)


def test_the_guard_sees_a_raw_write():
    assert RAW_WRITE.search('path.write_text("x")') and RAW_WRITE.search('open(p, "wb")')
    assert RAW_WRITE.search("df.to_parquet(out / 'a.parquet')") and not ALLOWED.search("df.to_parquet(out)")
    assert ALLOWED.search("df.to_parquet(tmp, index=False)") and ALLOWED.search("pq.write_table(t, tmp)")
    assert ALLOWED.search("frame.to_csv(index=False)") and not ALLOWED.search("frame.to_csv(out, index=False)")


def test_generated_docs_and_report_figures_are_readable_by_others(tmp_path, umask_022):
    from matplotlib.figure import Figure

    from analysis.report import _Page
    from sim import paramdoc

    written = [paramdoc.write(tmp_path / "docs" / "parameters.md")]
    model = tmp_path / "model.md"
    model.write_text(f"x\n{paramdoc.EVENTS_BEGIN}\n{paramdoc.EVENTS_END}\n")
    os.chmod(model, 0o600)  # rewritten: the new file gets the umask's permissions
    written.append(paramdoc.write_events(model))
    page = _Page(figures_dir=tmp_path / "figures")
    fig = Figure()
    fig.add_subplot().plot([0, 1])
    page.figure(fig, "A line")
    written += sorted((tmp_path / "figures").iterdir())
    assert len(written) == 3
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, (path, oct(path.stat().st_mode))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd to name a file descriptor")
def test_a_sweep_part_and_its_done_marker_are_fsynced_with_their_folder(tmp_path, monkeypatch):
    # issue 14: after a power loss a done marker could outlive its part file. Both are written through
    # sim.core.atomic (the guard above); here: each file's data is fsynced before its rename, and its
    # folder after, so a marker (written after its part) never survives without the part's data.
    import pyarrow as pa

    from sim.core.io import write_arrow_atomic

    synced: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    part, marker = tmp_path / "states" / "part-000001.parquet", tmp_path / "done" / "chunk-000001"
    write_arrow_atomic(pa.table({"a": [1, 2]}), part)
    write_text_atomic(marker, "{}\n")
    for written in (part, marker):
        data = [s for s in synced if Path(s).parent == written.parent and Path(s).name.startswith(f".{written.name}.")]
        assert data, f"the data of {written.name} was not fsynced: {synced}"
        assert synced.index(str(written.parent)) > synced.index(data[0]), f"{written.parent} not fsynced after"
    assert synced.index(data[0]) > synced.index(str(part.parent))  # the marker's data after the part's folder
