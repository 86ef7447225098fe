"""Hypothesis strategies of mutated YAML texts, shared by the loaders' property tests. `mutated`: random
byte flips, deleted and duplicated lines, values swapped for another type, huge numbers, aliases and deep
nesting, applied one to four times to a real file of the project. `retyped`: the file's data with one to
three of its entries (at any depth: a whole list item, a field, an item of a field's list) dropped or
replaced by a value of another type, written back as YAML, so that the loader's checks after the parsing
are reached."""

from __future__ import annotations

import copy
from typing import Any

import yaml
from hypothesis import strategies as st

SWAPS = [
    "[1, 2]",
    "{a: 1}",
    "abc",
    "5",
    "-1e308",
    "9" * 400,
    ".nan",
    "true",
    "null",
    "''",
    "2024-06-31",
    "[" * 60 + "]" * 60,
    "*a",
    "!!python/object/apply:os.system ['true']",
    "&a x",
]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """`text` with one to four mutations."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "delete", "duplicate", "swap", "laughs", "insert"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if kind == "flip" and lines:
            raw = bytearray("".join(lines).encode("utf-8", errors="surrogateescape"))
            pos = draw(st.integers(0, len(raw) - 1))
            raw[pos] ^= draw(st.integers(1, 255))
            lines = raw.decode("utf-8", errors="surrogateescape").splitlines(keepends=True)
        elif kind == "delete" and lines:
            del lines[i]
        elif kind == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif kind == "swap" and lines and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(SWAPS))}\n"
        elif kind == "laughs":
            lines.insert(
                0,
                "x0: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
                + "".join(f"x{n + 1}: &{chr(98 + n)} [" + ", ".join([f"*{chr(97 + n)}"] * 9) + "]\n" for n in range(8)),
            )
        else:
            lines.insert(i, draw(st.sampled_from(["  - 5\n", "bogus_key: 1\n", "\t\n", "{\n", "- [\n", "  nested:\n"])))
    return "".join(lines)


#: What `retyped` puts in place of an entry: every YAML type, empty and nested ones, an impossible date.
OTHER_VALUES: list[Any] = [5, -1, 0, 2.5, 1e300, "abc", "", None, True, [], {}, [1, 2], {"a": 1}, [[1]], "2024-06-31"]


def _entries(node: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) of the data, depth first."""
    found: list[tuple[Any, Any]] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found.append((node, key))
        found += _entries(value)
    return found


@st.composite
def retyped(draw: st.DrawFn, text: str) -> str:
    """The data of YAML `text` with one to three entries dropped or given a value of another type."""
    data = yaml.safe_load(text)
    for _ in range(draw(st.integers(1, 3))):
        entries = _entries(data)
        if not entries:
            break
        container, key = draw(st.sampled_from(entries))
        if draw(st.booleans()):
            del container[key]
        else:
            container[key] = copy.deepcopy(draw(st.sampled_from(OTHER_VALUES)))
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_mutated(path, text: str) -> None:
    """Write a mutated text as bytes (a byte flip may have left it not UTF-8)."""
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
