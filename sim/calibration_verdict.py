"""Whether the forecast uses a calibration's fitted set: the verdict rule and the verdict file
that `python -m sim.calibrate` writes next to its config file and `python -m sim.forecast` reads
(docs/calibration.md, "The verdict").

The rule: the fitted set replaces the hand-set defaults only when it beats them out of time by
more than the uncertainty, i.e. when the bootstrap interval of the paired difference of test-window
Brier scores (calibrated minus defaults) lies entirely below zero.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sim.config import CONF_DIR, precheck_overrides
from sim.core import data_yaml

#: The incentives option of the fitted set and its config file.
CALIBRATED = "calibrated"
CALIBRATED_CONFIG = CONF_DIR / "incentives" / f"{CALIBRATED}.yaml"


def calibration_file(location: Path) -> Path:
    """A calibration's config file from what a user names: the file itself (NAME.yaml), or a folder
    that `python -m sim.calibrate` wrote into (its --out when installed: FOLDER/calibrated.yaml), or a
    configuration folder with FOLDER/incentives/calibrated.yaml. A folder without one raises ValueError."""
    if location.suffix in (".yaml", ".yml"):
        return location
    for candidate in (location / f"{CALIBRATED}.yaml", location / "incentives" / f"{CALIBRATED}.yaml"):
        if candidate.is_file():
            return candidate
    raise ValueError(
        f"No calibration in {location}: neither {location / f'{CALIBRATED}.yaml'} nor "
        f"{location / 'incentives' / f'{CALIBRATED}.yaml'} exists. Name the folder that "
        f"`python -m sim.calibrate --out FOLDER` wrote into, or the calibration's .yaml file."
    )


def set_overrides(config: Path) -> list[str]:
    """The overrides that apply a calibration's config file: `incentives=NAME` for a file of the
    configuration folder's incentives group, else one `key=value` per value of the (global-package)
    file, so that a calibration kept in any folder applies the same way. A file that cannot be read, or
    whose values the configuration refuses, raises ValueError naming it."""
    if config.resolve().parent == (CONF_DIR / "incentives").resolve():
        return [f"incentives={config.stem}"]
    try:
        data = data_yaml.load_file(config, f"The calibration {config}")
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ValueError(
            f"The calibration {config} cannot be read ({exc}). Re-run `python -m sim.calibrate`, which writes it."
        ) from None
    if not isinstance(data, dict):
        raise ValueError(
            f"The calibration {config} is not a config file (a mapping of incentives and hazards). "
            f"Re-run `python -m sim.calibrate`, which writes it."
        )
    out: list[str] = []

    def walk(node: Any, key: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{key}.{k}" if key else str(k))
        elif isinstance(node, bool) or not isinstance(node, int | float) or not math.isfinite(node):
            raise ValueError(
                f"The calibration {config} holds {key}: {node!r}; a calibration holds numbers only. "
                f"Re-run `python -m sim.calibrate`, which writes it."
            )
        else:
            out.append(f"{key}={node!r}")

    walk(data, "")
    # checked here, as the forecast will compose them, so that a refusal names this file rather than
    # values the user never typed (an unknown key, a value out of its legal range, an emptied file)
    problem = precheck_overrides(out) if out else "it holds no values."
    if problem:
        raise ValueError(
            f"The calibration {config} cannot be applied: {problem} Re-run `python -m sim.calibrate`, which writes it."
        )
    return out


def verdict_path(config: Path) -> Path:
    """Where a calibration's verdict is kept, next to its config file."""
    return config.with_name(f"{config.stem}_verdict.json")


def beats_defaults(difference_interval: Sequence[float]) -> bool:
    """The verdict rule: True when the interval [low, high] of (calibrated - defaults) Brier lies
    entirely below zero, i.e. the fitted set is better out of time by more than the uncertainty."""
    low, high = (float(x) for x in difference_interval)
    if not low <= high:
        raise ValueError(f"an interval needs low <= high, got [{low}, {high}]")
    return high < 0.0


def verdict_reason(use: bool, difference: float, interval: Sequence[float], level: float) -> str:
    """One sentence saying what the verdict is and why."""
    span = f"{difference:+.4f} ({level:.0%} interval {interval[0]:+.4f} to {interval[1]:+.4f})"
    if use:
        return (
            f"the calibrated set beats the defaults out of time by more than the uncertainty: test Brier "
            f"calibrated - defaults {span}, entirely below 0"
        )
    return (
        f"the calibrated set does not beat the defaults out of time by more than the uncertainty: test Brier "
        f"calibrated - defaults {span} reaches 0 or above"
    )


def read_verdict(path: Path) -> dict[str, Any] | None:
    """A verdict file (None when there is none). A malformed file raises ValueError naming the file and the fix."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        use, reason = data["use_calibrated"], data["reason"]
        if not isinstance(use, bool) or not isinstance(reason, str):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(
            f"The calibration verdict {path} is not a verdict file ({type(exc).__name__}: {exc}): it "
            f"needs use_calibrated (true or false) and reason. Re-run `python -m sim.calibrate`, which "
            f"writes it, or delete it to use the hand-set defaults."
        ) from None
    return data


@dataclass(frozen=True)
class ParameterSet:
    """Which set a forecast uses: the overrides to add (empty for the hand-set defaults), the set's
    name and the reason, as the forecast prints it and records it in forecast.json."""

    overrides: list[str]
    name: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """The choice as forecast.json records it."""
        return {"name": self.name, "overrides": self.overrides, "reason": self.reason}


def choose_set(overrides: Sequence[str], config: Path = CALIBRATED_CONFIG, verdict: Path | None = None) -> ParameterSet:
    """The forecast's parameter set. An `incentives=` override wins (chosen explicitly). Otherwise
    the fitted set (`incentives=calibrated`) when its config file exists and its verdict file says
    it beat the defaults out of time by more than the uncertainty; else the hand-set defaults."""
    given = [o for o in overrides if o.split("=")[0].lstrip("+~") == "incentives"]
    if given:
        return ParameterSet([], given[-1].split("=", 1)[-1], f"chosen on the command line ({given[-1]})")
    verdict = verdict_path(config) if verdict is None else verdict
    if not config.is_file():
        return ParameterSet([], "defaults", f"hand-set defaults: no calibrated set ({config} is missing)")
    record = read_verdict(verdict)
    if record is None:
        return ParameterSet(
            [],
            "defaults",
            f"hand-set defaults: {config.name} has no verdict ({verdict} is missing; run `python -m sim.calibrate`)",
        )
    if record["use_calibrated"]:
        return ParameterSet(set_overrides(config), config.stem, record["reason"])
    return ParameterSet([], "defaults", f"hand-set defaults: {record['reason']}")


def verdict_record(result: Mapping[str, Any], bootstrap: Mapping[str, Any], use: bool, reason: str) -> dict[str, Any]:
    """The verdict file's content: the verdict and its reason, the command and date, and the
    test-window intervals it rests on."""
    return {
        "use_calibrated": use,
        "reason": reason,
        "command": result["command"],
        "date": result["date"],
        "test_window": result["test_window"],
        "runs": result["runs"],
        "bootstrap": dict(bootstrap),
    }
