"""Fingerprints of what a result depends on besides its configuration: the model's code, the world
file and the versions of the packages that computed it. A sweep stores them so that it is never
resumed, or its finished chunks mixed, with results of another version of the rules or of the world;
every run, sweep, forecast, hindcast, calibration and battery records them with its results."""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
from pathlib import Path

CORE_DIR = Path(__file__).resolve().parent

#: The distributions whose versions a result records: this package and the libraries that compute,
#: sample, store or configure its numbers (a change of any of them may change a result's last digits).
RECORDED_PACKAGES = (
    "sahel-influence",
    "numpy",
    "numba",  # draws the random numbers (sim.core.rng_kernel)
    "pandas",
    "pyarrow",
    "scipy",
    "mesa",
    "networkx",
    "hydra-core",
    "omegaconf",
    "salib",
    "matplotlib",
    "pyyaml",
)


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


def package_versions() -> dict[str, str]:
    """The Python version and the installed version of each of RECORDED_PACKAGES (importlib.metadata;
    "not installed" for one that is absent, e.g. this package in a checkout that was never installed)."""
    versions = {"python": platform.python_version()}
    for name in RECORDED_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def provenance(world_file: Path) -> dict[str, str | dict[str, str]]:
    """What to store with a result besides its configuration: the fingerprints of the model's code and
    of the world file it ran, and the package versions (`packages`)."""
    return {
        "model_code_sha256": model_fingerprint(),
        "world_file_sha256": file_sha256(world_file),
        "packages": package_versions(),
    }
