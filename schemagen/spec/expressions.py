"""SQL expressions in schema.yaml (defaults, CHECKs, partial-index WHERE, on_update),
read by PostgreSQL's own parser (pglast, libpg_query). Pure: no database.

`analyse(text)` says whether the text is exactly one expression and what it holds:
the columns it names (with their OLD./NEW. or table qualifier), the functions it
calls, and the constant it is when it is one. Problems carry the character offset
inside the text, so the validator can point at the line and column in schema.yaml.

Refused whatever the context, because the text is pasted into generated SQL:
statement separators, comments, `$` outside a quoted string (dollar quoting would
break the $$-quoted trigger body), parentheses that do not balance (they could
close the surrounding clause). Also refused: subqueries (PostgreSQL refuses them
in DEFAULT, CHECK and index predicates, and in on_update they would hide a query
behind every UPDATE: write a function) except where the caller allows them (row level
security policies, which PostgreSQL lets read other tables), window functions and $n
parameters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

_WRAP = "SELECT ("  # the text as the one item of a select list, in parentheses
_DEFAULT_WRAP = "CREATE TABLE t (c int DEFAULT "  # the text where a default goes


@dataclass(frozen=True)
class ColumnRef:
    name: str
    qualifier: str | None  # 'old' or 'new' (on_update), a table name, or None
    offset: int            # character offset of the reference in the text
    fields: int = 1        # how many dotted parts it was written with


@dataclass(frozen=True)
class RelationRef:
    """A table or view a subquery reads (not a WITH query's name)."""
    name: str
    schema: str | None     # as written, None when unqualified
    offset: int            # character offset of the name in the text


@dataclass(frozen=True)
class Constant:
    kind: str              # integer, numeric, string, boolean, null, bits
    value: object          # int, str (numeric text, string, bits), bool or None
    cast: str | None = None  # the type it is cast to ('date', 'jsonb', ...), as written
    offset: int = 0


@dataclass(frozen=True)
class Problem:
    offset: int
    message: str


@dataclass(frozen=True)
class Expression:
    text: str
    columns: tuple[ColumnRef, ...] = ()
    functions: tuple[str, ...] = ()      # called functions, schema-qualified as written
    constant: Constant | None = None     # set when the whole expression is one constant
    problems: tuple[Problem, ...] = ()
    relations: tuple[RelationRef, ...] = ()  # what its subqueries read (when subqueries are allowed)

    @property
    def ok(self) -> bool:
        return not self.problems


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset inside the expression text."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def analyse(text: str, *, in_function_body: bool = False, default: bool = False,
            subqueries: bool = False) -> Expression:
    """in_function_body: the text goes into a $$-quoted function body (on_update), where
    '$$' ends the body even inside a string. default: the text follows DEFAULT, where
    PostgreSQL's grammar takes a narrower expression (no AND, OR, NOT, IS without parentheses).
    subqueries: allowed, with the relations they read in `relations`."""
    if not text.strip():
        return Expression(text, problems=(Problem(0, "SQL expression is empty"),))
    from pglast import parser  # PostgreSQL's parser: imported by the commands that validate

    try:
        tokens = parser.scan(text)
    except parser.ParseError as exc:
        return Expression(text, problems=(_parse_problem(text, exc, 0),))
    problems = _token_problems(text, tokens)
    if in_function_body and "$$" in text and not problems:
        problems.append(Problem(text.index("$$"), "'$$' would end the trigger function's body"))
    if problems:
        return Expression(text, problems=tuple(problems))
    query = _WRAP + text + "\n)"
    try:
        tree = json.loads(parser.parse_sql_json(query))
    except parser.ParseError as exc:
        return Expression(text, problems=(_parse_problem(text, exc, len(_WRAP)),))
    except RecursionError:
        return Expression(text, problems=(Problem(0, "SQL expression is nested too deeply"),))
    if default:
        try:
            parser.parse_sql_json(_DEFAULT_WRAP + text + "\n)")
        except parser.ParseError as exc:
            found = _parse_problem(text, exc, len(_DEFAULT_WRAP))
            return Expression(text, problems=(Problem(found.offset, found.message + " (after DEFAULT, put an "
                                                      "expression with AND, OR, NOT or IS in parentheses)"),))
    target = _single_target(tree)
    if target is None:  # cannot happen with balanced parentheses; kept as the guarantee
        return Expression(text, problems=(Problem(0, "not one SQL expression"),))
    return _Walker(query, text, subqueries).run(target)


def _parse_problem(text: str, exc, shift: int) -> Problem:
    message, location = exc.args[0], exc.args[1] if len(exc.args) > 1 else None
    if location is None or location - shift >= len(text):  # at the ')' we closed it with
        return Problem(len(text), "not a valid SQL expression: it ends too early")
    return Problem(max(location - shift, 0), f"not a valid SQL expression: {message}")


def _token_problems(text: str, tokens) -> list[Problem]:
    out, depth = [], 0
    for token in tokens:
        spelled = text[token.start:token.end + 1]
        if token.name in ("SQL_COMMENT", "C_COMMENT"):
            out.append(Problem(token.start, "SQL comments are not allowed in an expression (use the comment: key)"))
        elif token.name == "ASCII_59":
            out.append(Problem(token.start, "';' is not allowed in an expression: it would end the statement"))
        elif "$" in spelled and not (token.name == "SCONST" and spelled[:1] in "'eEnNuU"):
            out.append(Problem(token.start + spelled.index("$"),
                               "'$' is not allowed in an expression outside a quoted string"))
        elif token.name == "ASCII_44" and depth == 0:
            out.append(Problem(token.start, "',' here makes a list of values; write one expression"))
        elif token.name == "ASCII_40":
            depth += 1
        elif token.name == "ASCII_41":
            depth -= 1
            if depth < 0:
                out.append(Problem(token.start, "unbalanced ')' in SQL expression"))
                depth = 0
    if depth > 0 and not out:
        out.append(Problem(len(text), "unbalanced '(' in SQL expression"))
    return out


def _single_target(tree: dict):
    """The one expression of `SELECT (text)`, or None when the text made it anything else."""
    stmts = tree.get("stmts", [])
    if len(stmts) != 1:
        return None
    select = stmts[0].get("stmt", {}).get("SelectStmt")
    if select is None or set(select) - {"targetList", "limitOption", "op"} or select.get("op") != "SETOP_NONE":
        return None
    targets = select.get("targetList", [])
    if len(targets) != 1 or set(targets[0]["ResTarget"]) - {"val", "location"}:
        return None
    return targets[0]["ResTarget"]["val"]


def _names(items) -> list[str]:
    return [i["String"]["sval"] for i in items if "String" in i]


def type_name(node: dict) -> str:
    """A TypeName node as written, without the pg_catalog. the parser adds to built-ins."""
    names = _names(node.get("names", []))
    if len(names) > 1 and names[0] == "pg_catalog":
        names = names[1:]
    return ".".join(names) + ("[]" if node.get("arrayBounds") else "")


class _Walker:
    """One iterative pass over the parse tree (no recursion: a deep expression is fine)."""

    def __init__(self, query: str, text: str, subqueries: bool = False):
        self.text, self.shift, self.subqueries = text, len(_WRAP), subqueries
        self.relations: list[RelationRef] = []
        # libpg_query's locations count bytes; ours count characters
        self.ascii = query.isascii()
        self.encoded = b"" if self.ascii else query.encode()
        self.columns: list[ColumnRef] = []
        self.functions: list[str] = []
        self.problems: list[Problem] = []

    def offset(self, node: dict) -> int:
        location = node.get("location", -1)
        if location < 0:
            return 0
        if not self.ascii:
            location = len(self.encoded[:location].decode("utf-8", errors="ignore"))
        return min(max(location - self.shift, 0), len(self.text))

    def run(self, root: dict) -> Expression:
        stack = [root]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
                continue
            if not isinstance(item, dict):
                continue
            for kind, node in item.items():
                if isinstance(node, dict) and kind[:1].isupper():
                    self.visit(kind, node)
                    if kind == "SubLink":
                        continue  # its columns belong to another query
                    stack.extend(reversed([v for v in node.values() if isinstance(v, (dict, list))]))
        self.columns.sort(key=lambda c: c.offset)
        return Expression(self.text, tuple(self.columns), tuple(dict.fromkeys(self.functions)),
                          constant(root, self), tuple(sorted(self.problems, key=lambda p: p.offset)),
                          tuple(sorted(self.relations, key=lambda r: r.offset)))

    def visit(self, kind: str, node: dict) -> None:
        if kind == "ColumnRef":
            self.column(node)
        elif kind == "FuncCall":
            self.functions.append(".".join(_names(node.get("funcname", []))))
            if "over" in node:
                self.problems.append(Problem(self.offset(node), "window functions are not allowed here"))
        elif kind == "SQLValueFunction":  # CURRENT_TIMESTAMP, CURRENT_DATE, ...
            self.functions.append(node.get("op", "").removeprefix("SVFOP_").lower())
        elif kind == "SubLink" and self.subqueries:
            ctes, found = set(), []
            range_vars(node, ctes, found)
            self.relations += [RelationRef(rv["relname"], rv.get("schemaname"), self.offset(rv))
                               for rv in found if "schemaname" in rv or rv["relname"] not in ctes]
        elif kind == "SubLink":
            self.problems.append(Problem(self.offset(node), "subqueries are not allowed in schema.yaml "
                                                            "expressions (put the query in a function)"))
        elif kind == "ParamRef":
            self.problems.append(Problem(self.offset(node), "parameters ($1) are not allowed here"))

    def column(self, node: dict) -> None:
        fields = node.get("fields", [])
        if any("A_Star" in f for f in fields):
            self.problems.append(Problem(self.offset(node), "'*' is not allowed in an expression: name the column"))
            return
        names = _names(fields)
        qualifier = ".".join(names[:-1]) or None
        self.columns.append(ColumnRef(names[-1], qualifier, self.offset(node), len(names)))


def char_offset(text: str, byte_offset: int) -> int:
    """pglast's locations count UTF-8 bytes; positions in schema.yaml count characters."""
    return len(text.encode("utf-8")[:max(byte_offset, 0)].decode("utf-8", errors="ignore"))


def range_vars(node, ctes: set, found: list) -> None:
    """Every RangeVar of a parse tree into found, and the WITH queries' names into ctes."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "RangeVar" in item:
                found.append(item["RangeVar"])
            if "CommonTableExpr" in item:
                ctes.add(item["CommonTableExpr"]["ctename"])
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def constant(node: dict, walker: _Walker) -> Constant | None:
    """The constant the whole expression is (a literal, possibly cast), else None."""
    cast = None
    if "TypeCast" in node:
        cast = type_name(node["TypeCast"].get("typeName", {}))
        node = node["TypeCast"].get("arg", {})
    const = node.get("A_Const")
    if const is None:
        return None
    at = walker.offset(const)
    if const.get("isnull"):
        return Constant("null", None, cast, at)
    if "ival" in const:
        return Constant("integer", const["ival"].get("ival", 0), cast, at)
    if "fval" in const:
        text = const["fval"]["fval"]
        digits = text.lstrip("+-")
        return Constant("integer", int(text), cast, at) if digits.isdigit() else Constant("numeric", text, cast, at)
    if "boolval" in const:
        return Constant("boolean", const["boolval"].get("boolval", False), cast, at)
    if "bsval" in const:
        return Constant("bits", const["bsval"]["bsval"], cast, at)
    if "sval" in const:
        return Constant("string", const["sval"].get("sval", ""), cast, at)
    return None
