"""Reading schema.yaml: hostile files fail quickly and cheaply at their line:col, and
anchors, aliases and merge keys keep working for ordinary reuse. (The messages
themselves are fixtures: tests/invalid/yaml_*/ and merge_key_position/.)"""

from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest

from schemagen.diagnostics import SchemaError
from schemagen.spec.loader import parse
from schemagen.spec.yaml_events import MAX_ALIAS_NODES, MAX_DEPTH
from tests.support import INVALID, ROOT

# Runs in a child process: time and memory of loading one file, whatever happens.
MEASURE = """
import json, resource, sys, time, tracemalloc
from schemagen.diagnostics import SchemaError
from schemagen.spec.validate import load_schema
tracemalloc.start()
started = time.perf_counter()
try:
    load_schema(sys.argv[1])
    message = None
except SchemaError as exc:
    message = exc.diagnostics[0].message
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "peak_bytes": tracemalloc.get_traced_memory()[1],
                  "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "message": message}))
"""


def _limit_memory():  # so that a regression fails the test instead of the machine
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def measure(path) -> dict:
    result = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True,
                            timeout=30, cwd=ROOT, preexec_fn=_limit_memory)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


@pytest.mark.parametrize(("case", "words"), [("yaml_alias_bomb", "alias bomb"),
                                             ("yaml_deep_nesting", "deeper than 100 levels")])
def test_hostile_file_fails_in_under_a_second_and_100_mb(case, words):
    figures = measure(INVALID / case / "schema.yaml")
    assert words in figures["message"]
    assert figures["seconds"] < 1.0, figures
    assert figures["peak_bytes"] < 100 * 2**20, figures
    assert figures["max_rss_kb"] < 200 * 1024, figures  # the whole process, interpreter and imports included


def test_deep_block_nesting_is_refused_without_recursion():
    text = "".join(" " * i + f"k{i}:\n" for i in range(5000)) + " " * 5000 + "leaf\n"
    with pytest.raises(SchemaError) as exc:
        parse(text)
    [d] = exc.value.diagnostics
    assert (d.line, d.message) == (MAX_DEPTH + 1, f"nesting is deeper than {MAX_DEPTH} levels here")


def test_nesting_up_to_the_limit_is_read_and_one_more_is_not():
    lists = MAX_DEPTH - 1  # inside the top-level mapping
    doc = parse("a: " + "[" * lists + "]" * lists + "\n")
    depth, value = 1, doc.data["a"]
    while isinstance(value, list):
        depth, value = depth + 1, value[0] if value else None
    assert depth == MAX_DEPTH
    with pytest.raises(SchemaError):
        parse("a: " + "[" * (lists + 1) + "]" * (lists + 1) + "\n")


def test_alias_that_nests_too_deep_is_refused_at_the_alias():
    text = "a: &a " + "[" * 60 + "]" * 60 + "\nb: " + "[" * 50 + "*a" + "]" * 50 + "\n"
    with pytest.raises(SchemaError) as exc:
        parse(text)
    [d] = exc.value.diagnostics
    assert (d.line, d.col) == (2, 54) and "'*a' nests deeper" in d.message


def test_aliases_under_the_limit_are_expanded():
    # 1000 tables sharing timestamp columns: about 10000 values, well under the cap
    tables = "".join(f"  t{i}:\n    columns:\n      id: {{type: bigint, primary_key: true}}\n      <<: *ts\n"
                     for i in range(1000))
    text = ("x: &ts\n  created_at: {type: timestamptz, default: now()}\n  updated_at: {type: timestamptz}\n"
            "tables:\n" + tables)
    doc = parse(text)
    assert list(doc.data["tables"]["t999"]["columns"]) == ["id", "created_at", "updated_at"]
    assert 10 * 1000 < MAX_ALIAS_NODES


def test_merge_keys_follow_yaml_rules_and_keep_written_order():
    doc = parse("a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\n"
                "c:\n  first: 0\n  <<: [*a, *b]\n  x: 3\n  last: 4\n")
    # explicit keys win wherever they stand; of two merged mappings the first wins;
    # merged keys go where '<<' stands
    assert doc.data["c"] == {"first": 0, "y": 1, "z": 2, "x": 3, "last": 4}
    assert list(doc.data["c"]) == ["first", "y", "z", "x", "last"]


def test_positions_inside_copied_values_point_at_the_anchor():
    doc = parse("a: &a\n  inner: {deep: 1}\nb:\n  copy: *a\n  <<: *a\n")
    assert doc.where(("b", "copy")) == (4, 9)                    # the alias itself
    assert doc.where(("b", "copy", "inner", "deep")) == (2, 17)  # what it copies
    assert doc.where(("b", "inner"), key=True) == (2, 3)         # a merged key: where the anchor spells it
    assert doc.where(("b", "inner", "missing")) == (2, 10)


def test_nul_written_as_an_escape_is_refused_at_its_value():
    with pytest.raises(SchemaError) as exc:
        parse('tables:\n  t:\n    comment: "a\\0b"\n')
    [d] = exc.value.diagnostics
    assert (d.line, d.col) == (3, 14) and "NUL" in d.message


def test_every_bad_byte_is_reported_at_its_own_place():
    text = (b"a: \xff\nb: ok\nc: x\xfe\xfd\n").decode("utf-8", errors="surrogateescape")
    with pytest.raises(SchemaError) as exc:
        parse(text)
    assert [(d.line, d.col, d.message) for d in exc.value.diagnostics] == [
        (1, 4, "byte 0xff is not UTF-8 (save the file as UTF-8)"),
        (3, 5, "byte 0xfe is not UTF-8 (save the file as UTF-8)"),
        (3, 6, "byte 0xfd is not UTF-8 (save the file as UTF-8)")]


def test_position_in_value_finds_a_character_of_an_expression():
    text = ("t:\n  plain: length(body) < 100\n  quoted: '''a'' || name'\n"
            "  block: |\n    a +\n      b\n")
    doc = parse(text)
    assert doc.position_in_value(("t", "plain"), doc.data["t"]["plain"], 7) == (2, 17)   # body
    assert doc.position_in_value(("t", "quoted"), doc.data["t"]["quoted"], 7) == (3, 21)  # name
    assert doc.position_in_value(("t", "block"), doc.data["t"]["block"], 6) == (6, 7)    # b

