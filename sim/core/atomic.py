"""How the project writes a file: atomically, durably and with the permissions of a plain open().

Every file a command writes (tables, configs, JSON, figures, a workshop game's state) goes through
`atomic_path`: the content is written to a hidden temporary file beside the target, flushed to disk
(fsync), given the permissions the umask allows (0644 under umask 022, not mkstemp's private 0600,
so colleagues on a shared disk can read a sweep), moved onto the target in one step (os.replace)
and the folder is fsync'd so the rename itself survives a crash. A reader never sees half a file;
a killed writer leaves at most a hidden `.NAME.*.tmp`, which Parquet dataset readers skip.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


def current_umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux), else by setting
    and restoring it."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every system can open a folder (Windows)
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, before_replace: Callable[[], None] | None = None) -> Iterator[Path]:
    """A temporary path beside `path` to write to (by name: pandas, pyarrow, matplotlib, open());
    when the block ends without an error it becomes `path` as the module's docstring says. On an
    error the temporary file is removed and `path` is left as it was. `before_replace` is called
    just before the rename (a test hook)."""
    path = Path(path)
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        _fsync_folder(path.parent.parent)  # the new folder's own entry survives a crash too
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())  # as a plain open() would (mkstemp makes it private)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text_atomic(
    path: str | os.PathLike[str], text: str, *, before_replace: Callable[[], None] | None = None
) -> None:
    """Write text (UTF-8) to `path` atomically (atomic_path)."""
    with atomic_path(path, before_replace=before_replace) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write bytes to `path` atomically (atomic_path)."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def folder_problem(path: str | os.PathLike[str]) -> str | None:
    """Why a folder cannot be made at `path` (or written into, if it exists), in words that follow
    "PATH: " ('it is a file, not a folder'), found without creating anything: a command checks its
    output folder with this before it computes or writes. None when it can. The system may still
    refuse at the end (a read-only mount that root's access check calls writable)."""
    path = Path(path).absolute()
    if path.is_dir():
        return None if os.access(path, os.W_OK | os.X_OK) else "it is a folder you cannot write into"
    if path.exists():
        return "it is a file, not a folder"
    if path.is_symlink():
        return "it is a link to nothing"
    ancestor = path.parent
    while not ancestor.exists() and not ancestor.is_symlink() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        return f"{ancestor} is a file (or a broken link), not a folder, so nothing can be made below it"
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return f"it cannot be made: you cannot write into {ancestor}"
    return None


def file_problem(path: str | os.PathLike[str]) -> str | None:
    """Why a file cannot be written at `path` (folders made as needed), found without creating
    anything (folder_problem); None when it can."""
    path = Path(path).absolute()
    if path.is_dir():
        return "it is a folder, not a file"
    if path.exists() and not os.access(path, os.W_OK):
        return "it is a file you cannot write"
    if path.is_symlink() and not path.exists():
        return "it is a link to nothing"
    problem = folder_problem(path.parent)
    if problem is not None and problem.startswith("it "):
        return f"its folder {path.parent} {problem.removeprefix('it ')}"
    return problem
