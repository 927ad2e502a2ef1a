"""One diagnostic record shape, and the error that carries a batch of them.

Every user-facing problem (YAML syntax, structure, cross references) becomes a
`Diagnostic`; the report layer is the only place that turns them into text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    col: int
    message: str
    path: str = ""  # dotted YAML path, e.g. tables.accounts.columns.limit
    code: str = ""  # a lint rule's code, e.g. SG001; empty for validation errors
    severity: str = "error"  # error | warning | info

    def human(self) -> str:
        where = f" [{self.path}]" if self.path else ""
        code = f"{self.severity} {self.code} " if self.code else ""  # lint findings say how much they matter
        return f"{self.file}:{self.line}:{self.col}: {code}{self.message}{where}"


class SchemaError(Exception):
    """A schema file has problems; carries all of them, sorted by position."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(d.human() for d in self.diagnostics))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a candidate is close to word, else ''."""
    import difflib  # only when there is a misspelling to name
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
