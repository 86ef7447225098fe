"""One safe reader for the YAML data files the project reads (world files, priors, plausibility
facts): data only, bounded, and refused with the file, the line and the field when it is not.

What it refuses, beyond PyYAML's safe loader (which already refuses tags such as !!python/...):
- a path that is not a regular file (a folder, a device such as /dev/zero behind a symlink);
- a file larger than `max_bytes` (default MAX_BYTES), read without reading more than that;
- text that is not UTF-8;
- aliases (`*name`): data files never need them, and nested aliases expand exponentially
  ("billion laughs");
- nesting deeper than MAX_DEPTH;
- a key given twice in one mapping (YAML would silently keep the last);
- numbers that are not finite (.nan, .inf) or integers too large to be a quantity (400 digits).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
MAX_INT = 10**15


class DataYamlError(ValueError):
    """A data file that cannot be read as data; the message names the file, the line and the fix.
    `line` (1-based, None if unknown) and `problem` (the message's middle part) are kept for callers
    that report at a line themselves."""

    def __init__(self, message: str, line: int | None = None, problem: str = ""):
        super().__init__(message)
        self.line = line
        self.problem = problem or message


def _fail(name: str, problem: str, line: int | None = None, field: str = "", fix: str = "") -> DataYamlError:
    where = f" at line {line}" if line is not None else ""
    where += f" (field {field})" if field else ""
    return DataYamlError(f"{name}{where}: {problem}. {fix}".strip(), line, f"{problem}. {fix}".strip())


class DataLoader(yaml.SafeLoader):
    """SafeLoader without aliases, with bounded depth and no duplicate keys."""

    name = "data file"

    def __init__(self, stream: str, name: str) -> None:
        super().__init__(stream)
        self.name = name
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _fail(
                self.name,
                f"an alias (*{event.anchor}) refers back to another part of the file",
                event.start_mark.line + 1,
                fix="Data files may not use anchors and aliases: write the value out in full.",
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise _fail(
                self.name,
                f"the data is nested more than {MAX_DEPTH} levels deep",
                mark.line + 1,
                fix="Data files are a few levels of mappings and lists: check the indentation.",
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                continue  # unhashable: SafeLoader reports it
            if key in seen:
                raise _fail(
                    self.name,
                    f"the key {key!r} is given twice in one mapping (first at line {seen[key]})",
                    key_node.start_mark.line + 1,
                    fix="Keep one entry per key: YAML would silently use the last one.",
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


DataLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, DataLoader.construct_mapping)


def read_text(path: Path | str, name: str | None = None, max_bytes: int = MAX_BYTES) -> str:
    """The text of a data file: a regular file of at most max_bytes, in UTF-8."""
    path = Path(path)
    name = name or f"Data file {path}"
    if not path.is_file():
        raise _fail(
            name, "not a regular file" if path.exists() else "no such file", fix="Give the path of a YAML file."
        )
    with path.open("rb") as handle:
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _fail(
            name,
            f"larger than {max_bytes / (1024 * 1024):g} MiB",
            fix="Data files of this project are a few hundred kilobytes: check that this is the right file.",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(name, f"not UTF-8 text (byte {exc.start})", line, fix="Save the file as UTF-8.") from None


def check_numbers(node: Any, name: str, path: str = "") -> None:
    """Refuse numbers that are not finite or integers too large to be a quantity, naming the field."""
    _check_numbers(node, name, path)


def item_label(rec: Any, section: str, index: int) -> str:
    """How a message names item `index` of list `section`: a tie by its state and power (ties[NER-USA]),
    anything else by its code or id (powers[USA], facts[coup_rate]), otherwise by its position."""
    if isinstance(rec, dict):
        if section == "ties" and isinstance(rec.get("state"), str) and isinstance(rec.get("power"), str):
            return f"{rec['state']}-{rec['power']}"
        for key in ("code", "id"):
            if isinstance(rec.get(key), str | int) and not isinstance(rec.get(key), bool):
                return str(rec[key])
    return str(index)


def _check_numbers(node: Any, name: str, path: str = "") -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _check_numbers(value, name, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check_numbers(value, name, f"{path}[{item_label(value, path.rsplit('.', 1)[-1], i)}]")
    elif isinstance(node, bool):
        return
    elif isinstance(node, float) and not math.isfinite(node):
        raise _fail(name, f"the number {node} is not finite", field=path, fix="Give a finite number.")
    elif isinstance(node, int) and abs(node) > MAX_INT:
        raise _fail(
            name,
            f"the integer {str(node)[:20]}... is too large to be a quantity",
            field=path,
            fix=f"Give a number below {MAX_INT:.0e}.",
        )


def load_text(text: str, name: str) -> Any:
    """Data from YAML text (`name` says where it comes from in messages); DataYamlError otherwise.

    PyYAML's own errors (syntax, unknown tags) are passed on as yaml.YAMLError with their marks, so
    that callers can point at the line; impossible dates raise ValueError as in PyYAML."""
    loader = DataLoader(text, name)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    _check_numbers(data, name)
    return data


def load_file(path: Path | str, name: str | None = None, max_bytes: int = MAX_BYTES) -> Any:
    """Data from a YAML file, read with read_text and load_text."""
    name = name or f"Data file {path}"
    return load_text(read_text(path, name, max_bytes), name)
