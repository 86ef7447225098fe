"""Fingerprints of what a result depends on besides its configuration: the model's code and the
world file. A sweep stores them so that it is never resumed, or its finished chunks mixed, with
results of another version of the rules or of the world."""

from __future__ import annotations

import hashlib
from pathlib import Path

CORE_DIR = Path(__file__).resolve().parent


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def core_files() -> list[Path]:
    """Every source file of the model core (sim/core and below), in a fixed order: what decides a
    run's trajectory, events and tables. The drivers above it only build and step a Simulation."""
    return sorted(CORE_DIR.rglob("*.py"))


def model_fingerprint() -> str:
    """One SHA-256 over the model core's source files (by relative path and content)."""
    digest = hashlib.sha256()
    for path in core_files():
        digest.update(path.relative_to(CORE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def provenance(world_file: Path) -> dict[str, str]:
    """The fingerprints to store with a result: the model's code and the world file it ran."""
    return {"model_code_sha256": model_fingerprint(), "world_file_sha256": file_sha256(world_file)}
