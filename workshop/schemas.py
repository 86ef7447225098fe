"""Write the published JSON Schemas of world files and move files (schemas/), generated from the
loaders' own declarations (sim.core.world_format, workshop.moves):

    python -m workshop.schemas            # rewrite schemas/*.schema.json
    python -m workshop.schemas --check    # exit 1 if a committed schema differs from the declarations
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from sim.core.atomic import write_text_atomic
from sim.core.world_format import json_schema
from workshop.moves import move_json_schema

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"


def schemas() -> dict[str, dict[str, Any]]:
    """Each schema file's name and content."""
    return {"world.schema.json": json_schema(), "moves.schema.json": move_json_schema()}


def render(schema: dict[str, Any]) -> str:
    """A schema as the committed file's text."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) schemas/*.schema.json; returns the exit status."""
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    stale = []
    for name, schema in schemas().items():
        path = SCHEMA_DIR / name
        text = render(schema)
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            write_text_atomic(path, text)
    if stale:
        print(
            f"error: {', '.join(stale)} differ from the loaders' declarations: run python -m workshop.schemas",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
