"""`schemagen import`: write schema.yaml from a live database."""

from __future__ import annotations

from schemagen.cli.common import CANNOT_RUN, FINDINGS, OK, CannotRun, database_url, err, ignore_scope


def cmd_import(args) -> int:
    from pathlib import Path
    out = Path(args.out_file)
    if out.exists() and not args.force and str(out) != "-":
        raise CannotRun(f"{out} exists: pass --force to overwrite it (or --out another path)")
    if args.schemas and len(args.schemas) > 1:
        err("schemagen import: one schema per file for now: import each with its own --schema and --out")
        return CANNOT_RUN
    from schemagen.adopt.run import import_schema
    imported = import_schema(database_url(args), args.schemas[0] if args.schemas else "public", ignore_scope(args))
    if str(out) == "-":
        print(imported.text, end="")
    else:
        from schemagen.render.output import write
        write(out.parent if str(out.parent) else Path("."), {out.name: imported.text})
        err(f"wrote {out}")
    for kind, name, why in imported.left_out:
        err(f"left out: {kind} {name}: {why}")
    if imported.left_out:
        err(f"{len(imported.left_out)} object(s) or properties could not be expressed in schema.yaml (listed above)")
        return FINDINGS
    return OK


def add_commands(sub, database) -> None:
    cmd = sub.add_parser("import", parents=[database], help="write schema.yaml from a live database "
                         "(exit 1 when something could not be expressed: listed on stderr)")
    cmd.add_argument("--schema", dest="schemas", action="append", metavar="NAME",
                     help="PostgreSQL schema to read (default: public)")
    cmd.add_argument("--out", dest="out_file", default="schema.yaml", help="file to write, or - for stdout "
                     "(default: schema.yaml)")
    cmd.add_argument("--force", action="store_true", help="overwrite an existing file")
    from schemagen.cli.live import add_ignore
    add_ignore(cmd)
    cmd.set_defaults(func=cmd_import)
