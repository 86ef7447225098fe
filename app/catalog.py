"""What the scenario picker offers: the world files in scenarios/ and the experiment overlays in
conf/experiment/, each with a one-line description read from the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from sim.config import CONF_DIR
from sim.core.data_yaml import load_file
from sim.core.world import SCENARIO_DIR

EXPERIMENT_DIR = CONF_DIR / "experiment"
#: The label of "no experiment overlay" in the picker.
NO_EXPERIMENT = "none"
#: How much of a file's start is read for its leading comment (far more than any description).
COMMENT_BYTES = 8192


@dataclass(frozen=True)
class Choice:
    """One entry of a picker: the name used in overrides and a sentence for people."""

    name: str
    description: str


def _comment_text(path: Path) -> str:
    """The leading comment block of a YAML file as one line, minus Hydra's '@package' directive."""
    lines = []
    with path.open("rb") as handle:  # the head of the file only, whatever it holds
        head = handle.read(COMMENT_BYTES).decode("utf-8", errors="replace")
    for line in head.splitlines():
        if not line.startswith("#"):
            break
        text = line.lstrip("#").strip()
        if text and not text.startswith("@package"):
            lines.append(text)
    return " ".join(lines)


def world_names(directory: Path = SCENARIO_DIR) -> list[str]:
    """The names of the world files scenarios/NAME.yaml (without reading them)."""
    return [path.stem for path in sorted(directory.glob("*.yaml"))]


def worlds(directory: Path = SCENARIO_DIR) -> list[Choice]:
    """Every world file scenarios/NAME.yaml, described by its meta.title (or its first comment)."""
    out = []
    for path in sorted(directory.glob("*.yaml")):
        try:  # the safe data reader: bounded, no aliases, so a hostile file cannot hang the picker
            meta = (load_file(path) or {}).get("meta") or {}
        except (yaml.YAMLError, ValueError, OSError, AttributeError):  # DataYamlError is a ValueError
            meta = {}  # a broken file is listed anyway: choosing it shows the loader's clear error
        title = meta.get("title") if isinstance(meta, dict) else None
        out.append(Choice(path.stem, str(title or _comment_text(path) or path.stem)))
    return out


def experiments(directory: Path = EXPERIMENT_DIR) -> list[Choice]:
    """'none' followed by every experiment overlay conf/experiment/NAME.yaml with its description."""
    found = [Choice(p.stem, _comment_text(p) or p.stem) for p in sorted(directory.glob("*.yaml"))]
    return [Choice(NO_EXPERIMENT, "The world as it is, no counterfactual."), *found]
