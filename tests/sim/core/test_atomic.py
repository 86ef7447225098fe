"""The one way files are written (sim.core.atomic): whole or not at all, with the umask's permissions."""

from __future__ import annotations

import os
import stat

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
