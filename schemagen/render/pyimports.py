"""Import blocks for generated modules, sorted the way isort (and ruff's I rules) sort them."""

from __future__ import annotations

import re

_STDLIB = {"collections.abc", "datetime", "decimal", "enum", "ipaddress", "typing", "uuid"}
_LINE_LENGTH = 88


def _kind(name: str) -> int:
    """isort's order-by-type: CONSTANTS, then Classes, then everything else."""
    return 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2


def isort_key(name: str) -> tuple:
    """Order of names inside one `from x import ...` (case-insensitive, as isort)."""
    return (_kind(name), name.lower(), name)


def all_key(name: str) -> tuple:
    """Order of `__all__` (ruff's RUF022: by kind, then a case-sensitive natural sort)."""
    return (_kind(name), [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)])


def from_import(module: str, names) -> list[str]:
    """One `from module import ...`, wrapped the way isort/ruff wrap it."""
    names = sorted(set(names), key=isort_key)
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= _LINE_LENGTH:
        return [line]
    return [f"from {module} import ("] + [f"    {n}," for n in names] + [")"]


class Imports:
    """Collects one module's imports and prints them in isort's sections."""

    def __init__(self):
        self.modules: set[str] = set()           # import X (standard library)
        self.names: dict[str, set[str]] = {}     # from X import Y
        self.type_checking: dict[str, set[str]] = {}

    def add(self, module: str, *names: str) -> None:
        self.names.setdefault(module, set()).update(names)

    def add_module(self, module: str) -> None:
        self.modules.add(module)

    def lines(self) -> tuple[str, ...]:
        def section(modules) -> list[str]:
            return [line for mod in sorted(modules) for line in from_import(mod, self.names[mod])]
        stdlib = [f"import {mod}" for mod in sorted(self.modules)]
        stdlib += section(k for k in self.names if k in _STDLIB)
        third = section(k for k in self.names if k not in _STDLIB and not k.startswith("."))
        local = section(k for k in self.names if k.startswith("."))
        out: list[str] = []
        for block in (stdlib, third, local):
            if block:
                out += block + [""]
        if self.type_checking:
            out.append("if TYPE_CHECKING:")
            for mod, names in sorted(self.type_checking.items()):
                out += [f"    {line}" for line in from_import(mod, names)]
            out.append("")
        return tuple(out[:-1])
