"""Every name of the code that the docs quote in backticks (`sim.core.world.load_world`,
`analysis.metrics.influence_share`, ...) exists, so that a move or a rename cannot leave the docs
pointing at nothing."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
REFERENCE = re.compile(r"`((?:sim|analysis|app|workshop)(?:\.[A-Za-z_][A-Za-z0-9_]*)+)`")


def resolves(name: str) -> bool:
    """Whether a dotted name is a module of the repository or an attribute reachable from one."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def test_the_resolver_tells_real_names_from_missing_ones():
    assert resolves("sim.core.world.load_world") and resolves("sim.core.io.Recorder.record")
    assert resolves("sim.core.rules.hazards")
    assert not resolves("sim.core.params.NOPE") and not resolves("sim.step.advance")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_quoted_name_of_the_code_exists(doc):
    names = sorted(set(REFERENCE.findall(doc.read_text(encoding="utf-8"))))
    missing = [n for n in names if not resolves(n)]
    assert not missing, f"{doc.relative_to(ROOT)} quotes names the code does not have: {missing}"
