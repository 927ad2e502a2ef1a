"""DDL of views and materialized views: CREATE with their options, comments on them and
their columns, and a materialized view's indexes."""

from __future__ import annotations

from schemagen.render.sql_tables import create_index
from schemagen.render.sqltext import ident, literal, qualified
from schemagen.spec import model as m


def create_view(schema: m.Schema, view: m.View) -> list[str]:
    """Every statement that makes the view as schema.yaml declares it."""
    name = qualified(schema, view.name)
    options = [f"{key}=true" for key, on in (("security_barrier", view.security_barrier),
                                             ("security_invoker", view.security_invoker)) if on]
    with_ = f" WITH ({', '.join(options)})" if options else ""
    if view.materialized:
        data = "" if view.with_data else " WITH NO DATA"
        sql = f"CREATE MATERIALIZED VIEW {name} AS\n{view.definition or view.query}\n{data.strip()}".rstrip()
    else:
        check = f"\nWITH {view.check_option.upper()} CHECK OPTION" if view.check_option else ""
        sql = f"CREATE VIEW {name}{with_} AS\n{view.definition or view.query}{check}"
    out = [sql]
    if view.comment:
        out.append(f"COMMENT ON {view.kind.upper()} {name} IS {literal(view.comment)}")
    out += [f"COMMENT ON COLUMN {name}.{ident(c.name)} IS {literal(c.comment)}" for c in view.columns if c.comment]
    out += [create_index(schema, view, ix) for ix in view.indexes]
    return out
