"""What every check shares: the document, the diagnostics found so far, and the
small checks (names, lengths, column lists) that many concerns need."""

from __future__ import annotations

import copy
import re

from pydantic import BaseModel, ValidationError

from schemagen.diagnostics import Diagnostic, did_you_mean
from schemagen.diagnostics.rules import RULES
from schemagen.spec import naming
from schemagen.spec.expressions import Expression, analyse
from schemagen.spec.loader import Document
from schemagen.spec.pydantic_errors import to_diagnostics

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


class Checker:
    """Collects diagnostics for one document; checks add to `errors` and go on."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.errors: list[Diagnostic] = list(doc.errors)
        self.bad_types: set[tuple[str, str]] = set()  # (table, column) whose type did not parse
        self.fk_paths: dict[tuple[str, str], tuple] = {}  # (table, fk name) -> yaml path
        self.enum_values: dict[str, tuple[str, ...]] = {}  # enum name -> its values
        self.domains: dict = {}  # domain name -> its resolved ColumnType, for column types
        self.schema_names: set[str] = set()  # the file's schemas: its own and those under schemas:
        self.placed: dict[str, str] = {}  # table, enum or view name -> its schema (validate/schemas.py)

    def error(self, path: tuple, message: str, *, key: bool = False) -> None:
        self.errors.append(self.doc.diag(path, message, key=key))

    def spec(self, model: type[BaseModel], data, path: tuple):
        """Validate data against a spec model; on errors, record them and try once
        more without the offending keys, so the rest can still be checked."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.errors.extend(to_diagnostics(exc, model, self.doc, path))
            pruned = _without_bad_keys(data, exc.errors())
        if pruned is None:
            return None
        try:
            return model.model_validate(pruned)
        except ValidationError:
            return None

    def identifier(self, name: str, path: tuple, what: str, *, key: bool = False) -> bool:
        if not IDENTIFIER.match(name):
            self.error(path, f"invalid {what} name '{name}': use lower-case letters, digits and "
                             "underscores, starting with a letter or underscore", key=key)
            return False
        return self.length(name, path, what, key=key)

    def length(self, name: str, path: tuple, what: str, *, key: bool = False, hint: str = "use a shorter one"
               ) -> bool:
        if naming.too_long(name):
            self.error(path, f"{what} name '{name}' is {len(name.encode())} bytes; PostgreSQL "
                             f"truncates identifiers at {naming.MAX_IDENTIFIER_BYTES} bytes ({hint})", key=key)
            return False
        return True

    def error_in_value(self, path: tuple, text: str, offset: int, message: str) -> None:
        """An error at character `offset` of the string value at path (an SQL expression)."""
        line, col = self.doc.position_in_value(path, text, offset)
        self.errors.append(Diagnostic(self.doc.file, line, col, message, ".".join(str(p) for p in path)))

    def expression(self, text: str, path: tuple, **options) -> Expression:
        """Read an SQL expression (see spec/expressions.py); its problems are reported where they are."""
        found = analyse(text, **options)
        for problem in found.problems:
            self.error_in_value(path, text, problem.offset, problem.message)
        return found

    def column_exists(self, table: str, columns: dict, name: str, path: tuple) -> bool:
        if name in columns:
            return True
        self.error(path, f"table '{table}' has no column '{name}'" + did_you_mean(name, columns))
        return False

    def column_list(self, table: str, columns: dict, names: list[str], path: tuple) -> bool:
        ok = True
        for i, cname in enumerate(names):
            ok &= self.column_exists(table, columns, cname, path + (i,))
            if cname in names[:i]:
                self.error(path + (i,), f"column '{cname}' is listed twice")
                ok = False
        return ok

    def lint_ignore(self, spec, path: tuple) -> tuple[tuple[str, str], ...]:
        """Silenced lint rules; each needs a known code and a written reason."""
        if spec is None:
            return ()
        for code, reason in spec.ignore.items():
            if code not in RULES:
                self.error(path + (code,), f"unknown lint rule '{code}'" + did_you_mean(code, RULES), key=True)
            if not reason.strip():
                self.error(path + (code,), f"silencing {code} needs a reason")
        return tuple(sorted(spec.ignore.items()))


def _without_bad_keys(data, errors) -> dict | None:
    """A copy of data without the mapping keys pydantic objected to, or None
    when an error cannot be dropped that way (a missing key, a bad list item).
    An error inside a value written in short form (identity: allways) drops that value."""
    data = copy.deepcopy(data)
    for err in errors:
        loc = err["loc"]
        if err["type"] == "missing" and len(loc) >= 4:
            loc = loc[:-1]  # a key missing inside a column's setting (identity: {start: 5}): drop the setting
        elif err["type"] == "missing" or not isinstance(loc[-1], str):
            return None
        if not _drop(data, loc):
            return None
    return data


def _drop(data, loc) -> bool:
    """Remove the key at loc, or the nearest enclosing mapping key that exists."""
    for end in range(len(loc), 0, -1):
        *parents, last = loc[:end]
        node = data
        try:
            for part in parents:
                node = node[part]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(node, dict) and isinstance(last, str):
            node.pop(last, None)
            return True
    return False
