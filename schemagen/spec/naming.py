"""The one naming convention, shared by the DDL and the ORM models.

Database names follow PostgreSQL's own defaults (`_pkey`, `_fkey`, `_key`,
`_check`, `_idx`), so a name reads the same in psql, in schema.sql and in
SQLAlchemy. Python names (modules, classes, attributes) are derived here too.
"""

from __future__ import annotations

import functools
import keyword

MAX_IDENTIFIER_BYTES = 63  # PostgreSQL's NAMEDATALEN - 1

CONVENTION = {
    "pk": "{table}_pkey",
    "fk": "{table}_{columns}_fkey",
    "uq": "{table}_{columns}_key",
    "ck": "{table}_{name}_check",
    "ix": "{table}_{columns}_idx",
    "ex": "{table}_{columns}_excl",
    "trigger": "{table}_on_update",
}

# The same convention in SQLAlchemy's tokens, for constraints an application
# adds to the generated metadata itself. Generated objects carry explicit names.
SQLALCHEMY_CONVENTION = {
    "pk": "%(table_name)s_pkey",
    "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "ix": "%(table_name)s_%(column_0_N_name)s_idx",
}


def pk_name(table: str) -> str:
    return CONVENTION["pk"].format(table=table)


def fk_name(table: str, columns) -> str:
    return CONVENTION["fk"].format(table=table, columns="_".join(columns))


def unique_name(table: str, columns) -> str:
    return CONVENTION["uq"].format(table=table, columns="_".join(columns))


def check_name(table: str, name: str) -> str:
    return CONVENTION["ck"].format(table=table, name=name)


def index_name(table: str, columns) -> str:
    return CONVENTION["ix"].format(table=table, columns="_".join(columns))


def exclude_name(table: str, labels) -> str:
    return CONVENTION["ex"].format(table=table, columns="_".join(labels))


def trigger_name(table: str) -> str:
    """Name of the BEFORE UPDATE trigger and of its function."""
    return CONVENTION["trigger"].format(table=table)


def sequence_name(table: str, column: str) -> str:
    """The sequence PostgreSQL makes for a serial or identity column: {table}_{column}_seq,
    the longer part shortened first when that is over 63 bytes (makeObjectName in
    PostgreSQL; our identifiers are ASCII, so a byte is a character)."""
    available = MAX_IDENTIFIER_BYTES - len("_seq") - 1
    a, b = len(table), len(column)
    while a + b > available:
        if a > b:
            a -= 1
        else:
            b -= 1
    return f"{table[:a]}_{column[:b]}_seq"


def too_long(name: str) -> bool:
    return len(name.encode("utf-8")) > MAX_IDENTIFIER_BYTES


# --- Python names -----------------------------------------------------------

# Attributes that DeclarativeBase itself uses; a column with such a name gets a
# trailing underscore on the Python side (the database name is unchanged).
RESERVED_ATTRIBUTES = frozenset({"metadata", "registry", "query"})
RESERVED_MODULES = {"base", "enums", "__init__"}


def attribute_name(column: str) -> str:
    if keyword.iskeyword(column) or column in RESERVED_ATTRIBUTES:
        return column + "_"
    return column


def class_name(module: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in module.split("_") if part)


def model_class_name(module: str) -> str:
    """The model class for a table's module: CamelCase with the last word singular
    (customers -> Customer, consent_records -> ConsentRecord, people -> Person), by the
    `inflect` library; a word it does not know as a plural stays as it is."""
    *head, last = module.split("_")
    singular = _inflect().singular_noun(last) if last else False
    return class_name("_".join([*head, singular or last]))


@functools.cache
def _inflect():
    """One inflect engine. inflect 7 wraps its API in typeguard's @typechecked, which re-parses
    inflect's own source at import (0.5-4 s of a render); the checks only guard arguments we
    always pass as str, so inflect is imported with the decorator as a no-op."""
    import typeguard
    real = typeguard.typechecked
    typeguard.typechecked = _unchecked
    try:
        import inflect
    finally:
        typeguard.typechecked = real
    return inflect.engine()


def _unchecked(target=None, **_options):
    return target if target is not None else _unchecked


def enum_member(value: str) -> str:
    """A Python identifier for an enum value: '30d' -> 'V_30D', 'set null' -> 'SET_NULL'."""
    name = "".join(ch if ch.isalnum() else "_" for ch in value.upper()) or "EMPTY"
    if not (name[0].isalpha()):
        name = "V_" + name
    if keyword.iskeyword(name) or not name.isidentifier() or name.startswith("_"):
        name = "V_" + name
    return name


def domain_check_name(domain: str, name: str | None) -> str:
    """A domain's CHECK: {domain}_{name}_check like a table's, or PostgreSQL's own {domain}_check unnamed."""
    return check_name(domain, name) if name else f"{domain}_check"


# names models/base.py defines or imports itself, which a domain's or sequence's constant must not take
RESERVED_CONSTANTS = {"SCHEMA", "NAMING_CONVENTION", "ENUM", "DOMAIN", "ARRAY", "DDL", "XML", "BIGINT", "INTEGER",
                      "SMALLINT", "TEXT", "NUMERIC", "CITEXT", "VARCHAR", "CHAR", "UUID", "BOOLEAN", "DATE", "TIME",
                      "TIMESTAMP", "INTERVAL", "JSON", "JSONB", "BYTEA", "REAL", "DOUBLE_PRECISION", "INET", "CIDR",
                      "MACADDR", "MACADDR8", "TSVECTOR", "TSQUERY", "BIT"}


def domain_constant(domain: str) -> str:
    """The Python name of a domain's SQLAlchemy type in models/base.py: email -> EMAIL."""
    return domain.upper()


def sequence_constant(sequence: str) -> str:
    """The Python name of a standalone sequence in models/base.py: order_no -> ORDER_NO_SEQ."""
    name = sequence.upper()
    return name if name.endswith("_SEQ") else name + "_SEQ"


def many_to_one_attribute(fk_columns, ref_module: str) -> str:
    """The child's attribute for its parent: user_id -> user; else the parent's module."""
    if len(fk_columns) == 1 and fk_columns[0].endswith("_id") and len(fk_columns[0]) > 3:
        return fk_columns[0][:-3]
    return ref_module


def one_to_many_attribute(child_table: str, child_attribute: str, *, ambiguous: bool) -> str:
    """The parent's attribute for its children: accounts; or
    operator_actions_as_operator when the child points at the parent twice."""
    return f"{child_table}_as_{child_attribute}" if ambiguous else child_table
