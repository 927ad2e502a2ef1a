"""A light guard for the SQL expressions schema.yaml may carry (defaults,
CHECKs, partial-index WHERE, on_update).

We do not parse SQL; PostgreSQL does that when the script runs. We only make
sure an expression stays one expression: no statement separator, no comment
that would swallow the rest of a line, balanced quotes and parentheses.
"""

from __future__ import annotations


def expression_problem(text: str) -> str | None:
    """A message for people when `text` cannot be one SQL expression, else None."""
    if not text.strip():
        return "SQL expression is empty"
    depth = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in ("'", '"'):
            end = _closing_quote(text, i)
            if end < 0:
                return f"unterminated {ch} quote in SQL expression"
            i = end + 1
            continue
        if text.startswith("--", i) or text.startswith("/*", i):
            return "SQL comments are not allowed in an expression (use the comment: key)"
        if ch == "$":  # would break the $$-quoted trigger body and allows dollar quoting
            return "'$' is not allowed in an expression outside a quoted string"
        if ch == ";":
            return "';' is not allowed in an expression: it would end the statement"
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return "unbalanced ')' in SQL expression"
        i += 1
    return "unbalanced '(' in SQL expression" if depth else None


def _closing_quote(text: str, start: int) -> int:
    """Index of the quote closing the one at start ('' or \"\" doubles it)."""
    quote, i = text[start], start + 1
    while i < len(text):
        if text[i] == quote:
            if i + 1 < len(text) and text[i + 1] == quote:
                i += 2
                continue
            return i
        i += 1
    return -1
