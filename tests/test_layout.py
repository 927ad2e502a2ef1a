"""The package's shape: stages import only downwards (the order is written once, in
ARCHITECTURE.md's `layers` block), no import cycles, no module over 300 lines."""

from __future__ import annotations

import ast
import re

from tests.support import ROOT

PACKAGE = ROOT / "schemagen"
MAX_LINES = 300


def layers(text: str) -> list[set[str]]:
    """The ```layers block of ARCHITECTURE.md, top line = highest stage."""
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    assert block, "ARCHITECTURE.md has no ```layers block"
    rows = [set(line.split()) for line in block.group(1).splitlines() if line.strip()]
    return list(reversed(rows))  # index = height


def imports(source: str, module: str) -> set[str]:
    """Every schemagen module a source imports, at any depth (lazy imports count)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("schemagen")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")[: -node.level]
                base = ".".join(parts + ([base] if base else []))
            if base.startswith("schemagen"):
                found |= {f"{base}.{a.name}" for a in node.names} | {base}
    return found


def stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "schemagen" else None


def violations(sources: dict[str, str], order: list[set[str]]) -> list[str]:
    """One line per module and stage it may not import, naming the first such import."""
    height = {name: i for i, row in enumerate(order) for name in row}
    out = {}
    for module, source in sorted(sources.items()):
        mine = stage(module)
        if mine not in height:
            continue  # schemagen/__init__ and __main__ sit above everything
        for target in sorted(imports(source, module), key=len):
            theirs = stage(target)
            if theirs in height and theirs != mine and height[theirs] >= height[mine]:
                out.setdefault((module, theirs), f"{module} imports {target}: {mine} may not import {theirs}")
    return sorted(out.values())


def package_sources() -> dict[str, str]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path.read_text(encoding="utf-8")
    return out


def cycles(sources: dict[str, str]) -> list[list[str]]:
    graph = {m: {t for t in imports(s, m) if t in sources and t != m} for m, s in sources.items()}
    found, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_every_stage_is_in_the_order():
    order = layers((ROOT / "ARCHITECTURE.md").read_text())
    named = set().union(*order)
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == named, "ARCHITECTURE.md's layers block and schemagen/'s subpackages differ"


def test_stages_import_only_downwards():
    order = layers((ROOT / "ARCHITECTURE.md").read_text())
    assert violations(package_sources(), order) == []


def test_a_lower_stage_importing_a_higher_one_is_caught():
    order = layers((ROOT / "ARCHITECTURE.md").read_text())
    sources = {"schemagen.spec.model": "from schemagen.render.sql import ident\n",
               "schemagen.render.sql": "def f():\n    from schemagen.live import apply\n",
               "schemagen.live.apply": "from ..render import sql\n"}
    assert violations(sources, order) == [
        "schemagen.render.sql imports schemagen.live: render may not import live",
        "schemagen.spec.model imports schemagen.render.sql: spec may not import render",
    ]


def test_no_import_cycles():
    assert cycles(package_sources()) == []
    assert cycles({"schemagen.a": "import schemagen.b", "schemagen.b": "from schemagen import a"}) != []


def test_no_module_over_300_lines():
    long = {path.relative_to(ROOT).as_posix(): n for path in PACKAGE.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_no_first_user_words_in_generic_code():
    """schemagen serves any project: SpendSense lives in schema.yaml and the tests, not in the tool."""
    offending = [path.relative_to(ROOT).as_posix() for path in list(PACKAGE.rglob("*.py"))
                 + list((ROOT / "templates").rglob("*")) if path.is_file()
                 and "spendsense" in path.read_text(encoding="utf-8").lower()]
    assert offending == []
