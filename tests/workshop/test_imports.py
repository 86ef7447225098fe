"""Nothing imports an entry point: workshop/cli.py is `python -m workshop` (run by workshop/__main__.py);
the web app and the rest of the workshop call workshop/service.py instead."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ENTRY = "workshop.cli"


def imported(source: str, package: str) -> set[str]:
    """Every module the import statements of a source name (`from a import b` names a and a.b);
    relative imports are resolved from `package`, the package the source belongs to."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # one dot: the package itself; each further dot: one level up
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found |= {base, *(f"{base}.{alias.name}" for alias in node.names)}
    return found


def _package(path: Path) -> str:
    return ".".join(path.relative_to(REPO).parent.parts)


@pytest.mark.parametrize("source", ["import workshop.cli", "import workshop.cli as c", "from workshop import cli",
                                    "from workshop.cli import main", "from . import cli", "from .cli import main",
                                    "from .. import cli", "def f():\n    from workshop import cli\n"])
def test_every_form_of_import_is_seen(source):
    package = "workshop.sub" if source.startswith("from ..") else "workshop"
    assert ENTRY in imported(source, package)


def test_no_module_imports_the_command_line_but_its_entry_point():
    allowed = {REPO / "workshop" / "__main__.py"}
    files = sorted((REPO / "app").rglob("*.py")) + sorted((REPO / "workshop").rglob("*.py"))
    assert len(files) > 20 and allowed <= set(files)
    importers = [str(p.relative_to(REPO)) for p in files
                 if p not in allowed and ENTRY in imported(p.read_text(encoding="utf-8"), _package(p))]
    assert importers == []
    main = REPO / "workshop" / "__main__.py"
    assert ENTRY in imported(main.read_text(encoding="utf-8"), _package(main))
