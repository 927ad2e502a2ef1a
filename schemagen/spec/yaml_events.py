"""Compose plain data from a YAML event stream, with limits (see loader.py).

A loop over the parser's events with an explicit stack: no recursion, so depth is a
number we check, not a Python limit we hit. Each value knows its size (values it
stands for once aliases are expanded) and height, so an alias costs one addition
and is refused before anything is copied.
"""

from __future__ import annotations

from typing import Any

import yaml

from schemagen.diagnostics import Diagnostic

MAX_DEPTH = 100              # nested mappings and lists, aliases included
MAX_ALIAS_NODES = 100_000    # values that aliases may add to the file, in all

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "binary")}
_MERGE_TAG, _VALUE_TAG = _STD + "merge", _STD + "value"
_PLAIN = "schema.yaml takes plain YAML: mappings, lists, strings, numbers, booleans and null"


class Located(Exception):
    """Reading stopped; the diagnostics say where and why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(diagnostics)
        self.diagnostics = diagnostics


class _Marker:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


_NO_KEY, _SKIP, _MERGE = _Marker("no key"), _Marker("skip"), _Marker("<<")


class _Frame:
    __slots__ = ("kind", "path", "depth", "anchor", "mark", "items", "size", "height", "key", "keys")

    def __init__(self, kind: str, path: tuple | None, depth: int, anchor: str | None, mark):
        self.kind, self.path, self.depth, self.anchor, self.mark = kind, path, depth, anchor, mark
        self.items: list = []  # list values, or (key, value) / (_MERGE, sources) of a mapping
        self.size, self.height = 1, 1
        self.key: Any = _NO_KEY
        self.keys: dict[str, int] = {}  # explicit keys -> line


class _Anchor:
    __slots__ = ("value", "kind", "path", "size", "height", "line")

    def __init__(self, value, kind: str, path: tuple | None, size: int, height: int, line: int):
        self.value, self.kind, self.path, self.size, self.height, self.line = value, kind, path, size, height, line


def _line_col(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _shorthand(tag: str) -> str:
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag


class Composer:
    EMPTY = _Marker("empty")

    def __init__(self, doc, events):
        self.doc, self.events = doc, events
        self.stack: list[_Frame] = []
        self.anchors: dict[str, _Anchor] = {}
        self.open_anchors: set[str] = set()
        self.expanded = 0
        self.refused: list[Diagnostic] = []  # tags and values we cannot read: reported together at the end
        self.root: Any = self.EMPTY
        self._loader = yaml.SafeLoader("")  # its resolver and scalar constructors only

    def run(self) -> Any:
        documents = 0
        for event in self.events:
            if isinstance(event, yaml.ScalarEvent):
                self._scalar(event)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self._start(event)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self._end()
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self._stop(event.start_mark, "YAML syntax error: a second document (---) in the file; "
                                                 "a schema file holds one")
        if self.refused:
            raise Located(self.refused)
        return self.root

    # --- errors ---------------------------------------------------------------

    def _diag(self, mark, message: str) -> Diagnostic:
        line, col = _line_col(mark)
        return Diagnostic(self.doc.file, line, col, message)

    def _stop(self, mark, message: str):
        raise Located(self.refused + [self._diag(mark, message)])

    # --- paths ----------------------------------------------------------------

    def _child_path(self) -> tuple | None:
        """The data path of the node that starts now (None for a mapping key or
        for a value that is dropped)."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.path is None:
            return None
        if top.kind == "seq":
            return top.path + (len(top.items),)
        if top.key is _NO_KEY or top.key is _SKIP:
            return None
        return top.path + ("<<" if top.key is _MERGE else top.key,)

    # --- events ---------------------------------------------------------------

    def _scalar(self, event) -> None:
        path = self._child_path()
        if path is not None:
            self.doc.positions[path] = _line_col(event.start_mark)
        value = self._scalar_value(event)
        self._register(event.anchor, value, "scalar", path, 1, 0, event.start_mark)
        self._deliver(value, "scalar", 1, 0, event.start_mark, path)

    def _scalar_value(self, event):
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _MERGE_TAG:
            top = self.stack[-1] if self.stack else None
            if top is not None and top.kind == "map" and top.key is _NO_KEY:
                return _MERGE
            tag = _STD + "str"
        if tag in (_STD + "str", _VALUE_TAG):
            value = event.value
        elif tag in _SCALAR_TAGS:
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            try:
                value = self._loader.yaml_constructors[tag](self._loader, node)
            except Exception:  # e.g. `!!int abc` or a date like 2024-13-45
                self.refused.append(self._diag(event.start_mark, f"cannot read {event.value!r} as {_shorthand(tag)}"))
                return None
        else:
            self.refused.append(self._diag(event.start_mark, f"tag '{_shorthand(tag)}' is not allowed: {_PLAIN}"))
            return None
        if isinstance(value, str) and "\x00" in value:
            self.refused.append(self._diag(event.start_mark, "a NUL character (\\0) cannot be stored by PostgreSQL"))
        return value

    def _start(self, event) -> None:
        kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
        path = self._child_path()
        depth = self.stack[-1].depth + 1 if self.stack else 1
        if depth > MAX_DEPTH:
            self._stop(event.start_mark, f"nesting is deeper than {MAX_DEPTH} levels here")
        wanted = _STD + ("map" if kind == "map" else "seq")
        if event.tag not in (None, "!", wanted):
            self.refused.append(self._diag(event.start_mark, f"tag '{_shorthand(event.tag)}' is not allowed: {_PLAIN}"))
        if path is not None:
            self.doc.positions[path] = _line_col(event.start_mark)
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame(kind, path, depth, event.anchor, event.start_mark))

    def _end(self) -> None:
        frame = self.stack.pop()
        value = self._mapping(frame) if frame.kind == "map" else frame.items
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
        self._register(frame.anchor, value, frame.kind, frame.path, frame.size, frame.height, frame.mark)
        self._deliver(value, frame.kind, frame.size, frame.height, frame.mark, frame.path)

    def _alias(self, event) -> None:
        name = event.anchor
        anchor = self.anchors.get(name)
        if anchor is None:
            if name in self.open_anchors:
                self._stop(event.start_mark, f"alias '*{name}' is used inside its own anchor (a recursive "
                                             "structure)")
            self._stop(event.start_mark, f"unknown alias '*{name}' (an alias must come after its &{name})")
        depth = self.stack[-1].depth if self.stack else 0
        if depth + anchor.height > MAX_DEPTH:
            self._stop(event.start_mark, f"alias '*{name}' nests deeper than {MAX_DEPTH} levels here")
        self.expanded += anchor.size
        if self.expanded > MAX_ALIAS_NODES:
            self._stop(event.start_mark, f"aliases expand this file beyond {MAX_ALIAS_NODES} values "
                                         f"(a YAML alias bomb?): '*{name}' alone stands for {anchor.size}")
        path = self._child_path()
        if path is not None:
            self.doc.positions[path] = _line_col(event.start_mark)
            if anchor.path is not None:
                self.doc.aliases[path] = anchor.path
        self._deliver(anchor.value, anchor.kind, anchor.size, anchor.height, event.start_mark, path)

    # --- building -------------------------------------------------------------

    def _register(self, name: str | None, value, kind: str, path, size: int, height: int, mark) -> None:
        if name is None:
            return
        if name in self.anchors:
            self.refused.append(self._diag(mark, f"anchor '&{name}' is defined twice (first at line "
                                                 f"{self.anchors[name].line})"))
        self.anchors[name] = _Anchor(value, kind, path, size, height, mark.line + 1)

    def _deliver(self, value, kind: str, size: int, height: int, mark, path) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        top.size += size
        top.height = max(top.height, height + 1)
        if top.kind == "seq":
            top.items.append(value)
        elif top.key is _NO_KEY:
            self._take_key(top, value, kind, mark)
        else:
            if top.key is _MERGE:
                sources = self._merge_sources(value, path, mark)
                top.items.append((_MERGE, sources))
            elif top.key is not _SKIP:
                top.items.append((top.key, value))
            top.key = _NO_KEY

    def _take_key(self, top: _Frame, value, kind: str, mark) -> None:
        if value is _MERGE:
            top.key = _MERGE
            return
        line, col = _line_col(mark)
        if kind != "scalar" or not isinstance(value, (str, int, float, bool)):
            self.doc.errors.append(Diagnostic(self.doc.file, line, col, "a mapping key must be a plain scalar"))
            top.key = _SKIP
            return
        key = str(value)
        where = None if top.path is None else top.path + (key,)
        if key in top.keys:
            self.doc.errors.append(Diagnostic(
                self.doc.file, line, col, f"duplicate key '{key}' (first defined at line {top.keys[key]})",
                ".".join(str(p) for p in where) if where else ""))
            top.key = _SKIP
            return
        top.keys[key] = line
        if where is not None:
            self.doc.key_positions[where] = (line, col)
        top.key = key

    def _merge_sources(self, value, path, mark) -> list[tuple[dict, tuple | None]]:
        if isinstance(value, dict):
            return [(value, path)]
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return [(v, None if path is None else path + (i,)) for i, v in enumerate(value)]
        self.refused.append(self._diag(mark, "the value of a merge key '<<' must be a mapping (e.g. *anchor) "
                                             "or a list of mappings"))
        return []

    def _mapping(self, frame: _Frame) -> dict:
        """The mapping in written order; a merge key's entries go where `<<` stands,
        except keys the mapping spells itself (those win) or an earlier merge gave."""
        out: dict = {}
        for key, value in frame.items:
            if key is not _MERGE:
                out[key] = value
                continue
            for source, source_path in value:
                for k, v in source.items():
                    if k in frame.keys or k in out:
                        continue
                    out[k] = v
                    if frame.path is not None and source_path is not None:
                        self.doc.aliases[frame.path + (k,)] = source_path + (k,)
        return out
