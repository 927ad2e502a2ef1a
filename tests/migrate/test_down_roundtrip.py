"""up, down, up on a database with rows, for every kind of change in the convergence
matrix (tests/live/test_apply.py): the down file undoes the up file without losing what
up kept, and up again gives the same database and rows as the first up."""

from __future__ import annotations

import copy

import psycopg
import pytest
import yaml

from tests.live.test_apply import BASE
from tests.migrate.test_migrations import run_file, schemagen


def _rename_items(spec):
    table = spec["tables"].pop("items")
    table["renamed_from"] = "items"
    spec["tables"]["things"] = table
    spec["tables"]["parts"]["columns"]["item_id"]["references"]["table"] = "things"
    return table


def add_table(spec):
    spec["tables"]["tags"] = {"columns": {"id": {"type": "integer", "primary_key": True},
                                          "label": {"type": "text"}}}


def add_columns(spec):
    spec["tables"]["items"]["columns"]["colour"] = {"type": "text", "nullable": True}
    spec["tables"]["items"]["columns"]["rank"] = {"type": "integer", "default": "0"}


def drop_column(spec):
    del spec["tables"]["items"]["columns"]["qty"]


def rename_column(spec):
    columns = spec["tables"]["items"]["columns"]
    columns["memo"] = dict(columns.pop("note"), renamed_from="note")


def rename_table(spec):
    _rename_items(spec)


def rename_table_and_drop_its_index(spec):
    _rename_items(spec)["indexes"] = []


def rename_table_and_add_a_foreign_key(spec):
    table = _rename_items(spec)
    spec["tables"]["owners"] = {"columns": {"id": {"type": "integer", "primary_key": True}}}
    table["columns"]["owner_id"] = {"type": "integer", "nullable": True, "references": {"table": "owners"}}


def change_on_delete(spec):
    spec["tables"]["parts"]["columns"]["item_id"]["references"]["on_delete"] = "restrict"


def indexes(spec):
    spec["tables"]["items"]["indexes"] = [{"columns": ["qty"]}]


def check_default_widen(spec):
    columns = spec["tables"]["items"]["columns"]
    columns["name"]["type"] = "varchar(50)"
    columns["qty"]["default"] = "1"
    spec["tables"]["items"]["checks"] = [{"name": "qty_positive", "expression": "qty > 0"}]


def enum_value(spec):
    spec["enums"]["status"]["values"].append("archived")


def comments(spec):
    spec["tables"]["items"]["comment"] = "New things."
    spec["tables"]["items"]["columns"]["note"]["comment"] = "New comment."


CHANGES = {f.__name__: (f, dropped) for f, dropped in [
    (add_table, set()), (add_columns, set()), (drop_column, {"qty"}), (rename_column, set()),
    # (renaming a column and reusing its old name in one step is refused by validation: renamed_from must
    # name something gone, so that takes two migrations)
    (rename_table, set()), (rename_table_and_drop_its_index, set()),
    (rename_table_and_add_a_foreign_key, set()), (change_on_delete, set()), (indexes, set()),
    (check_default_widen, set()), (enum_value, set()), (comments, set())]}


def snapshot(url) -> dict[str, list[dict]]:
    """Every table's rows, as text, ordered by the first column."""
    out = {}
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables "
                                             "WHERE table_schema = 'public' ORDER BY 1")]
        for table in tables:
            cur = conn.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            names = [d.name for d in cur.description]
            out[table] = [{n: None if v is None else str(v) for n, v in zip(names, row, strict=True)} for row in cur]
    return out


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_up_down_up_keeps_rows(change, project, empty_db, server_url):
    edit, dropped = CHANGES[change]
    assert schemagen("migrate", "apply", cwd=project, db=empty_db).returncode == 0
    with psycopg.connect(empty_db, autocommit=True) as conn:
        for i, (name, qty, status) in enumerate([("one", "1.50", "new"), ("two", None, "done")], 1):
            conn.execute("INSERT INTO items (id, name, qty, status, note) VALUES (%s, %s, %s, %s, %s)",
                         (i, name, qty, status, f"note {i}"))
            conn.execute("INSERT INTO parts (id, item_id) VALUES (%s, %s)", (i * 10, i))
    before = snapshot(empty_db)
    spec = copy.deepcopy(BASE)
    edit(spec)
    (project / "schema.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    assert schemagen("render", cwd=project).returncode == 0
    written = schemagen("migrate", "new", "change", cwd=project, db=server_url)
    assert written.returncode == 0, written.stderr
    up = schemagen("migrate", "apply", "--allow-unsafe", cwd=project, db=empty_db)
    assert up.returncode == 0, up.stderr
    after_up = snapshot(empty_db)

    down_file = project / "migrations" / "0002_change.down.sql"
    lines = [line for line in down_file.read_text().splitlines() if line.strip() and not line.startswith("--")]
    renames = [i for i, line in enumerate(lines) if " RENAME " in line]
    assert renames == list(range(len(lines) - len(renames), len(lines)))  # renames undone last
    assert bool(renames) == change.startswith("rename")
    run_file(empty_db, down_file)
    after_down = snapshot(empty_db)
    assert sorted(after_down) == sorted(before)
    for table, rows in before.items():
        assert [{k: v for k, v in row.items() if k not in dropped} for row in rows] == \
            [{k: v for k, v in row.items() if k not in dropped} for row in after_down[table]], table

    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("DELETE FROM schemagen.migrations WHERE version = '0002'")
    again = schemagen("migrate", "apply", "--allow-unsafe", cwd=project, db=empty_db)
    assert again.returncode == 0, again.stderr
    assert snapshot(empty_db) == after_up
    diff = schemagen("diff", cwd=project, db=empty_db)
    assert diff.returncode == 0, diff.stdout + diff.stderr
