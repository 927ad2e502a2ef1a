"""Read schema.yaml into plain Python data plus a map of where each value stands.

PyYAML's own loader silently keeps the last of two equal keys and forgets
positions; we compose the node tree ourselves so that duplicate keys are errors
and every diagnostic can point at `file:line:col`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from schemagen.diagnostics import Diagnostic, SchemaError

# libyaml's composer when PyYAML was built with it (several times faster), else PyYAML's own
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    file: str
    data: Any
    # path -> (line, col) of the value; key_positions: path -> (line, col) of its key
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    # problems found while reading (duplicate keys); validation reports them with its own
    errors: list[Diagnostic] = field(default_factory=list)

    def where(self, path: tuple, *, key: bool = False) -> tuple[int, int]:
        """Best position for a path: the exact node, else its nearest ancestor."""
        path = tuple(path)
        while True:
            table = self.key_positions if key and path in self.key_positions else self.positions
            if path in table:
                return table[path]
            if not path:
                return (1, 1)
            path = path[:-1]

    def diag(self, path: tuple, message: str, *, key: bool = False) -> Diagnostic:
        line, col = self.where(path, key=key)
        return Diagnostic(self.file, line, col, message, ".".join(str(p) for p in path))


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, doc: Document):
        self.doc = doc
        self.errors: list[Diagnostic] = []
        self._scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: tuple) -> Any:
        self.doc.positions[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalars.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: tuple) -> dict:
        out: dict = {}
        for key_node, value_node in node.value:
            key = self._scalars.construct_object(key_node, deep=True) if isinstance(
                key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int, float, bool)) or key is None:
                line, col = _mark(key_node)
                self.errors.append(Diagnostic(self.doc.file, line, col, "a mapping key must be a plain scalar"))
                continue
            key = str(key)
            if key in out:
                line, col = _mark(key_node)
                first = self.doc.key_positions[path + (key,)]
                self.errors.append(Diagnostic(
                    self.doc.file, line, col,
                    f"duplicate key '{key}' (first defined at line {first[0]})",
                    ".".join(str(p) for p in path + (key,))))
                continue
            self.doc.key_positions[path + (key,)] = _mark(key_node)
            out[key] = self.build(value_node, path + (key,))
        return out


def parse(text: str, file: str = "schema.yaml") -> Document:
    """Parse YAML text; raise SchemaError for syntax errors. Duplicate keys are
    recorded in doc.errors (the first value is kept) so validation can go on."""
    doc = Document(file=file, data=None)
    try:
        try:
            root = yaml.compose(text, Loader=_LOADER)
        except yaml.YAMLError:
            # report with PyYAML's own parser, so messages are the same with or without libyaml
            root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        context = f" {exc.context}" if exc.context else ""
        raise SchemaError([Diagnostic(file, line, col, f"YAML syntax error: {problem}{context}")]) from None
    except yaml.YAMLError as exc:  # e.g. a reader error for a non-UTF-8 byte
        raise SchemaError([Diagnostic(file, 1, 1, f"YAML error: {exc}")]) from None
    if root is None:
        raise SchemaError([Diagnostic(file, 1, 1, "the file is empty")])
    builder = _Builder(doc)
    doc.data = builder.build(root, ())
    doc.errors = builder.errors
    return doc


def load(path: Path | str, display: str | None = None) -> Document:
    """Load a schema file; diagnostics name it as `display` (default: the path as given)."""
    path = Path(path)
    display = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError([Diagnostic(display, 1, 1, f"not UTF-8 text: {exc.reason}")]) from None
    except OSError as exc:
        raise SchemaError([Diagnostic(display, 1, 1, f"cannot read: {exc.strerror}")]) from None
    return parse(text, file=display)
