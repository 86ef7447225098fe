"""The README's layout names every module of sim/ and sim/core/, so that it cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _layout_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Layout\n", 1)[1]
    return section.split("```", 2)[1]


def test_the_layout_names_every_module_of_the_model_and_the_commands():
    block = _layout_block()
    missing = [
        str(p.relative_to(ROOT))
        for folder in ("sim", "sim/core")
        for p in sorted((ROOT / folder).glob("*.py"))
        if p.name != "__init__.py" and f" {p.name} " not in block
    ]
    assert not missing, f"README.md's layout does not name {missing}"
    assert "rules/" in block and "core/" in block
