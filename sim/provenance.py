"""Fingerprints of what a result depends on besides its configuration: the model's code and the
world file. A sweep stores them so that it is never resumed, or its finished chunks mixed, with
results of another version of the rules or of the world."""

from __future__ import annotations

import hashlib
from pathlib import Path

SIM_DIR = Path(__file__).resolve().parent
#: The modules whose code decides a run's trajectory and tables.
MODEL_FILES: tuple[str, ...] = (
    "rules/*.py", "step.py", "state.py", "world.py", "rng.py", "ensemble.py", "params.py", "config.py",
    "events.py", "explain.py", "io.py",
)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def model_fingerprint() -> str:
    """One SHA-256 over the model's source files (MODEL_FILES, by relative path and content)."""
    digest = hashlib.sha256()
    for pattern in MODEL_FILES:
        for path in sorted(SIM_DIR.glob(pattern)):
            digest.update(path.relative_to(SIM_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def provenance(world_file: Path) -> dict[str, str]:
    """The fingerprints to store with a result: the model's code and the world file it ran."""
    return {"model_code_sha256": model_fingerprint(), "world_file_sha256": file_sha256(world_file)}
