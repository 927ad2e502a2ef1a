"""render(schema) -> {relative path: text}. Pure: nothing here touches the disk
except reading the templates."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from schemagen.render import docs as render_docs
from schemagen.render import docs_functions, docs_security, docs_views, orm_views, pyformat, pyimports
from schemagen.render import orm as render_orm
from schemagen.render import sql as render_sql
from schemagen.render.header import HEADER
from schemagen.render.json_schema import json_schema_text
from schemagen.render.templatedir import template_dir
from schemagen.spec import model as m
from schemagen.spec import naming

MODELS_DIR = "models"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    from schemagen.diagnostics import cache
    compiled = cache.directory("templates")  # Jinja checks each entry against its template's source
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir())),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined, autoescape=False,
    )
    env.filters["pyrepr"] = pyformat.literal
    return env


def _render(template: str, **context) -> str:
    return _environment().get_template(template).render(header=HEADER, **context)


def render_schema_sql(schema: m.Schema) -> str:
    return _render("schema.sql.j2", sections=render_sql.ddl_sections(schema))


def render_models(schema: m.Schema) -> dict[str, str]:
    out = {}
    convention = [(pyformat.literal(k), pyformat.literal(v)) for k, v in naming.SQLALCHEMY_CONVENTION.items()]
    out["base.py"] = _render("base.py.j2", schema="None" if schema.name == "public" else pyformat.literal(schema.name),
                             convention=convention, m=render_orm.base_module(schema),
                             enum_schemas=[(pyformat.literal(e.name), pyformat.literal(e.schema))
                                           for e in schema.enums if e.schema and e.schema != schema.name])
    enums = render_orm.enum_classes(schema)
    out["enums.py"] = _render("enums.py.j2", enums=enums)
    for table in schema.tables:
        view = render_orm.model_module(schema, table)
        out[f"{table.module}.py"] = _render("model.py.j2", m=view)
    for view in schema.views:  # a read-only class for a view that declares its columns and key
        if view.class_name:
            out[f"{view.module}.py"] = _render("view_model.py.j2", m=orm_views.view_module(schema, view))
    imports = {"base": ["Base"], "enums": [e.name for e in enums]}
    imports.update({t.module: [t.class_name] for t in schema.tables})
    imports.update({v.module: [v.class_name] for v in schema.views if v.class_name})
    import_lines = [line for module, names in sorted(imports.items()) if names
                    for line in pyimports.from_import(f".{module}", names)]
    all_names = sorted((n for names in imports.values() for n in names), key=pyimports.all_key)
    out["__init__.py"] = _render("__init__.py.j2", schema_name=schema.name, import_lines=import_lines,
                                 all_names=all_names)
    return pyformat.format_files({f"{MODELS_DIR}/{name}": text for name, text in sorted(out.items())})


def render_database() -> dict[str, str]:
    """The application's runtime package: the URL reader and connection resolver schemagen
    itself uses (copied, so the application needs no schemagen) and session management."""
    connect = Path(__file__).resolve().parent.parent / "connect"
    copies = {name: (connect / name).read_text(encoding="utf-8") for name in ("connection.py", "aws.py", "url.py")}
    return pyformat.format_files({
        "database/__init__.py": _render("database/__init__.py.j2"),
        **{f"database/{name}": f"# {HEADER}\n# (a copy of schemagen/connect/{name})\n{source}"
           for name, source in copies.items()},
        "database/session.py": _render("database/session.py.j2"),
        "database/tenant.py": _render("database/tenant.py.j2"),  # SET LOCAL for row level security
    })


def render_schema_md(schema: m.Schema) -> str:
    return _render("SCHEMA.md.j2", schema_name=schema.name, comment=schema.comment,
                   schemas=[(d.name, d.comment) for d in schema.schemas],
                   label=lambda name: render_docs.label(schema, name),
                   relationships=render_docs.relationships(schema),
                   tables=[render_docs.table_doc(schema, t) for t in schema.tables], enums=schema.enums,
                   domains=render_docs.domain_rows(schema), sequences=render_docs.sequence_rows(schema),
                   extensions=render_docs.extension_rows(schema), roles=docs_security.role_rows(schema),
                   grants=docs_security.grant_rows(schema), row_security=docs_security.policy_rows(schema),
                   views=[docs_views.view_doc(v) for v in schema.views],
                   functions=[docs_functions.function_doc(f) for f in schema.functions],
                   triggers=docs_functions.trigger_rows(schema), aggregates=docs_functions.aggregate_rows(schema))


def render(schema: m.Schema) -> dict[str, str]:
    """Every generated file, keyed by its path relative to the output folder."""
    files = {"schema.sql": render_schema_sql(schema), "SCHEMA.md": render_schema_md(schema),
             "schemagen.schema.json": json_schema_text()}
    files.update(render_models(schema))
    files.update(render_database())
    return dict(sorted(files.items()))
