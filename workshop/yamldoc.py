"""YAML read as data only (the safe loader: no tags, nothing executed), with the line of every node,
so that a problem can be reported at its line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from sim.core.data_yaml import DataLoader, DataYamlError, check_numbers

Path = tuple[str | int, ...]


class YamlSyntaxError(ValueError):
    """Text that is not plain YAML data; `line` is 1-based (0 if unknown)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class YamlDoc:
    """Parsed data plus the 1-based line where each path (keys and list indices) starts."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int:
        """The line of `path`, or of its nearest ancestor that has one (1 for the document)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def load(text: str) -> YamlDoc:
    """Parse text with the project's safe data loader (sim.core.data_yaml); raise YamlSyntaxError
    with the line of the first problem (bad syntax, a tag such as !!python/object, several
    documents, a key given twice, an alias, nesting too deep, a number that is not finite)."""
    loader = None
    try:
        loader = DataLoader(text, "the move file")  # its reader refuses control characters at once
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except DataYamlError as exc:
        raise YamlSyntaxError(exc.line or 0, exc.problem.rstrip(".")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        text_ = f"{context}, {problem}" if context and "constructor" not in problem else problem
        raise YamlSyntaxError(mark.line + 1 if mark is not None else 0, text_) from None
    except ValueError as exc:  # an impossible date such as 2024-06-31
        raise YamlSyntaxError(0, f"impossible value ({exc})") from None
    finally:
        if loader is not None:
            loader.dispose()
    doc = YamlDoc(data=data)
    if node is not None:
        _walk(node, (), doc.lines)
    _check_numbers(doc, data, ())
    return doc


def _check_numbers(doc: YamlDoc, value: Any, path: Path) -> None:
    """Refuse, at its line, a number that is not finite or too large (sim.core.data_yaml.check_numbers)."""
    if isinstance(value, dict):
        for key, item in value.items():
            _check_numbers(doc, item, (*path, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_numbers(doc, item, (*path, i))
    else:
        try:
            check_numbers(value, "the move file")
        except DataYamlError as exc:
            raise YamlSyntaxError(doc.line(path), exc.problem.rstrip(".")) from None


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                raise YamlSyntaxError(
                    key.start_mark.line + 1, f"the key '{name}' is given twice (first at line {seen[name]}); keep one"
                )
            seen[name] = key.start_mark.line + 1
            lines[(*path, name)] = key.start_mark.line + 1
            _walk(value, (*path, name), lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), lines)
