"""Long string literals are split for line length without changing the text."""

from __future__ import annotations

import ast

import pytest

from schemagen.render.pyformat import CHUNK, text


@pytest.mark.parametrize("value", [
    "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    NEW.x := now();\n    RETURN NEW;\nEND\n$$",
    "a" * (CHUNK - 1) + "     " + "b" * 10,  # a run of spaces where a part ends
    "   leading and trailing spaces " * 5 + "   ",
    "word " * 40,
])
def test_split_literal_keeps_every_character(value):
    assert ast.literal_eval(text(value)) == value
