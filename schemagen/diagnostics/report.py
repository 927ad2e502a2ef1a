"""The report layer: diagnostics as human text, JSON or GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from schemagen.diagnostics import Diagnostic

FORMATS = ("human", "json", "github", "sarif")


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def emit(diagnostics: Iterable[Diagnostic], fmt: str, stream: TextIO, *, summary: bool = True) -> None:
    diagnostics = list(diagnostics)
    if fmt == "sarif":
        from schemagen import __version__
        from schemagen.diagnostics.sarif import sarif
        json.dump(sarif(diagnostics, __version__), stream, indent=2)
        stream.write("\n")
        return
    if fmt == "json":
        json.dump([{"file": d.file, "line": d.line, "col": d.col, "severity": d.severity, "code": d.code or None,
                    "message": d.message, "path": d.path} for d in diagnostics], stream, indent=2)
        stream.write("\n")
        return
    for d in diagnostics:
        if fmt == "github":
            title = f",title={d.code}" if d.code else ""
            stream.write(f"::{_GITHUB_LEVEL[d.severity]} file={d.file},line={d.line},col={d.col}{title}::"
                         f"{_github_escape((d.code + ' ' if d.code else '') + d.message)}\n")
        else:
            stream.write(d.human() + "\n")
    if fmt == "human" and diagnostics and summary:
        files = sorted({d.file for d in diagnostics})
        n = len(diagnostics)
        stream.write(f"{n} problem{'s' if n != 1 else ''} in {', '.join(files)}\n")
