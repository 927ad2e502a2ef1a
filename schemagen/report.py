"""The report layer: diagnostics as human text, JSON or GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from .diagnostics import Diagnostic

FORMATS = ("human", "json", "github")


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def emit(diagnostics: Iterable[Diagnostic], fmt: str, stream: TextIO, *, severity: str = "error") -> None:
    diagnostics = list(diagnostics)
    if fmt == "json":
        json.dump([{"file": d.file, "line": d.line, "col": d.col, "severity": severity,
                    "message": d.message, "path": d.path} for d in diagnostics], stream, indent=2)
        stream.write("\n")
        return
    for d in diagnostics:
        if fmt == "github":
            stream.write(f"::{severity} file={d.file},line={d.line},col={d.col}::"
                         f"{_github_escape(d.message)}\n")
        else:
            stream.write(d.human() + "\n")
    if fmt == "human" and diagnostics:
        files = sorted({d.file for d in diagnostics})
        n = len(diagnostics)
        stream.write(f"{n} problem{'s' if n != 1 else ''} in {', '.join(files)}\n")
