"""Read schema.yaml into plain Python data plus a map of where each value stands.

Safe by construction: we build the data ourselves from the parser's event stream
(never from a node tree and never with a constructor that knows Python tags), so
- duplicate keys are errors and every diagnostic can point at `file:line:col`;
- only the standard YAML tags are read (`!!python/...` and `!custom` are refused);
- nesting deeper than MAX_DEPTH and aliases that would expand the file beyond
  MAX_ALIAS_NODES values stop the reading at once (a "billion laughs" file costs
  nothing): the composer is a loop over events with its own stack, so depth never
  reaches Python's recursion limit;
- bytes that are not UTF-8 and characters YAML forbids are reported where they are.
An alias shares the anchored value (no copy); `Document.aliases` maps the alias's
path to the anchor's, so a problem inside copied content points at its text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from schemagen.diagnostics import Diagnostic, SchemaError
from schemagen.spec.yaml_events import MAX_DEPTH, Composer, Located

# libyaml's parser when PyYAML was built with it (several times faster), else PyYAML's own
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# what YAML forbids in a stream (PyYAML's own rule); lone surrogates stand for undecodable bytes
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_MAX_CHARACTER_REPORTS = 10
_CONTROL_NAMES = {0: "NUL", 0x7F: "DEL", 0x1B: "ESC", 0x08: "BS", 0x0B: "VT", 0x0C: "FF"}


@dataclass
class Document:
    file: str
    data: Any
    # path -> (line, col) of the value; key_positions: path -> (line, col) of its key
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    # problems found while reading (duplicate keys); validation reports them with its own
    errors: list[Diagnostic] = field(default_factory=list)
    # path of a value copied by an alias or a merge key (<<) -> path of what it copies
    aliases: dict[tuple, tuple] = field(default_factory=dict)
    text: str = ""  # the source, to place a problem found inside a value (an SQL expression)
    _line_starts: list[int] | None = field(default=None, repr=False)

    def where(self, path: tuple, *, key: bool = False) -> tuple[int, int]:
        """Best position for a path: the exact node, else its nearest ancestor."""
        path = tuple(path)
        while True:
            found = self.exact(path, key=key)
            if found is not None:
                return found
            if not path:
                return (1, 1)
            path = path[:-1]

    def exact(self, path: tuple, *, key: bool = False) -> tuple[int, int] | None:
        """Position of exactly this path (its key's with key=True), following aliases
        into the text they copy; None when the file does not spell it."""
        for spelling in (tuple(path), self._through_aliases(tuple(path))):
            table = self.key_positions if key and spelling in self.key_positions else self.positions
            if spelling in table:
                return table[spelling]
        return None

    def _through_aliases(self, path: tuple) -> tuple:
        """The path of the text a (possibly copied) value comes from."""
        for _ in range(len(self.aliases) + 1):  # each step lands on text written earlier
            for i in range(len(path), 0, -1):
                target = self.aliases.get(path[:i])
                if target is not None:
                    path = target + path[i:]
                    break
            else:
                return path
        return path

    def diag(self, path: tuple, message: str, *, key: bool = False) -> Diagnostic:
        line, col = self.where(path, key=key)
        return Diagnostic(self.file, line, col, message, ".".join(str(p) for p in path))

    def position_in_value(self, path: tuple, value: str, offset: int) -> tuple[int, int]:
        """Where character `offset` of the string value at path stands in the file: the
        value's characters are matched against its source text (quotes, escapes, block
        indentation and folded lines skipped); the value's start when that fails."""
        start = self.exact(path)
        if start is None or not self.text:
            return self.where(path)
        i = _value_text_start(self.text, self._index(start))
        limit = min(len(self.text), i + 4 * len(value) + 256)
        for ch in value[:offset + 1]:
            if ch.isspace():
                continue
            j = self.text.find(ch, i, limit)
            if j < 0:
                return start
            i = j + 1
        return self._line_col(i - 1 if offset < len(value) and not value[offset].isspace() else i)

    def _index(self, position: tuple[int, int]) -> int:
        return self._starts()[position[0] - 1] + position[1] - 1

    def _line_col(self, index: int) -> tuple[int, int]:
        starts = self._starts()
        line = bisect.bisect_right(starts, index) - 1
        return (line + 1, index - starts[line] + 1)

    def _starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        return self._line_starts


def _value_text_start(text: str, i: int) -> int:
    """Skip a node's properties (&anchor, !tag) and its opening quote or block header."""
    while i < len(text) and text[i] in "&!":
        while i < len(text) and not text[i].isspace():
            i += 1
        while i < len(text) and text[i] in " \t":
            i += 1
    if i < len(text) and text[i] in "'\"":
        return i + 1
    if i < len(text) and text[i] in "|>":
        newline = text.find("\n", i)
        return newline + 1 if newline >= 0 else i
    return i


def parse(text: str, file: str = "schema.yaml") -> Document:
    """Parse YAML text; raise SchemaError for what cannot be read. Duplicate keys are
    recorded in doc.errors (the first value is kept) so validation can go on."""
    characters = _character_problems(text, file)
    if characters:
        raise SchemaError(characters)
    doc = Document(file=file, data=None, text=text)
    try:
        try:
            root = Composer(doc, yaml.parse(text, Loader=_LOADER)).run()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            if mark is not None and "maximum nesting depth" in str(exc.problem):
                # libyaml's own limit (1000), met while its scanner looks ahead: read the text
                # up to there again, so our limit reports the level where it was passed
                _nesting_error(text[:mark.index], file, mark)
            # report with PyYAML's own parser, so messages are the same with or without libyaml
            doc = Document(file=file, data=None, text=text)
            root = Composer(doc, yaml.parse(text, Loader=yaml.SafeLoader)).run()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        context = f" {exc.context}" if exc.context else ""
        raise SchemaError([Diagnostic(file, line, col, f"YAML syntax error: {problem}{context}")]) from None
    except yaml.YAMLError as exc:
        raise SchemaError([Diagnostic(file, 1, 1, f"YAML error: {exc}")]) from None
    except Located as exc:  # a limit or a refused tag: reading stops there
        raise SchemaError(exc.diagnostics) from None
    if root is Composer.EMPTY:
        raise SchemaError([Diagnostic(file, 1, 1, "the file is empty")])
    doc.data = root
    return doc


def _nesting_error(head: str, file: str, mark) -> None:
    """Raise the depth error that `head`, the text before libyaml gave up, contains."""
    try:
        Composer(Document(file=file, data=None, text=head), yaml.parse(head, Loader=_LOADER)).run()
    except Located:
        raise
    except yaml.YAMLError:  # the cut-off end; the depth error comes before it
        pass
    raise Located([Diagnostic(file, mark.line + 1, mark.column + 1, f"nesting is deeper than {MAX_DEPTH} levels")])


def _character_problems(text: str, file: str) -> list[Diagnostic]:
    """Undecodable bytes (lone surrogates from surrogateescape) and characters YAML
    forbids (NUL and other control characters), each at its line and column."""
    out: list[Diagnostic] = []
    line_starts = None
    for match in _NON_PRINTABLE.finditer(text):
        if len(out) == _MAX_CHARACTER_REPORTS:
            rest = sum(1 for _ in _NON_PRINTABLE.finditer(text, match.start()))
            out[-1] = Diagnostic(out[-1].file, out[-1].line, out[-1].col,
                                 f"{out[-1].message} (and {rest} more such characters)")
            break
        if line_starts is None:
            line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        index = match.start()
        line = bisect.bisect_right(line_starts, index) - 1
        out.append(Diagnostic(file, line + 1, index - line_starts[line] + 1, _character_message(match.group())))
    return out


def _character_message(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape's stand-in for an undecodable byte
        return f"byte 0x{code - 0xDC00:02x} is not UTF-8 (save the file as UTF-8)"
    name = _CONTROL_NAMES.get(code)
    label = f"U+{code:04X}" + (f" ({name})" if name else "")
    return f"character {label} is not allowed in a YAML file"


def load(path: Path | str, display: str | None = None) -> Document:
    """Load a schema file; diagnostics name it as `display` (default: the path as given)."""
    path = Path(path)
    display = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SchemaError([Diagnostic(display, 1, 1, f"cannot read: {exc.strerror}")]) from None
    # undecodable bytes become lone surrogates, reported at their place by parse()
    return parse(data.decode("utf-8", errors="surrogateescape"), file=display)
