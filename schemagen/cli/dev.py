"""`schemagen dev up|down|status|tables|load`: the private local PostgreSQL."""

from __future__ import annotations

import argparse

from schemagen.cli.common import FINDINGS, OK, err


def _dev_server(args):
    from pathlib import Path

    from schemagen.dev.server import DevServer
    return DevServer(Path(args.dir))


def cmd_dev_up(args) -> int:
    from pathlib import Path
    if args.docker:
        from schemagen.dev.docker import up_docker
        print(up_docker(Path(args.dir)))
        return OK
    print(_dev_server(args).up())
    return OK


def cmd_dev_down(args) -> int:
    from pathlib import Path
    if args.docker:
        from schemagen.dev.docker import down_docker
        stopped = down_docker(Path(args.dir))
    else:
        stopped = _dev_server(args).down()
    err("stopped" if stopped else "not running")
    return OK


def cmd_dev_status(args) -> int:
    server = _dev_server(args)
    if server.running():
        print(server.url())
        return OK
    err("not running (start it with `schemagen dev up`)")
    return FINDINGS


def cmd_dev_load(args) -> int:
    from pathlib import Path

    from schemagen.dev.load import load_file
    server = _dev_server(args)
    url = server.up()
    for line in load_file(server, Path(args.file)):
        print(line)
    err(f"loaded {args.file} into {url}")
    return OK


def cmd_dev_tables(args) -> int:
    from schemagen.dev.load import list_tables
    server = _dev_server(args)
    if not server.running():
        err("not running (start it with `schemagen dev up`)")
        return FINDINGS
    for line in list_tables(server):
        print(line)
    return OK


def add_commands(sub) -> None:
    dev = sub.add_parser("dev", help="a private local PostgreSQL under .schemagen/")
    dev_sub = dev.add_subparsers(dest="dev_command", required=True, metavar="ACTION")
    dev_common = argparse.ArgumentParser(add_help=False)
    dev_common.add_argument("--dir", default=".schemagen", help="where the server lives (default: .schemagen)")
    up = dev_sub.add_parser("up", parents=[dev_common], help="start (or reuse) it and print its DATABASE_URL")
    up.add_argument("--docker", action="store_true", help="use a postgres:15 container (testcontainers)")
    up.set_defaults(func=cmd_dev_up)
    down = dev_sub.add_parser("down", parents=[dev_common], help="stop it")
    down.add_argument("--docker", action="store_true", help="stop the container started with --docker")
    down.set_defaults(func=cmd_dev_down)
    status = dev_sub.add_parser("status", parents=[dev_common], help="print its URL when running")
    status.set_defaults(func=cmd_dev_status)
    dev_sub.add_parser("tables", parents=[dev_common], help="list the dev database's tables"
                       ).set_defaults(func=cmd_dev_tables)
    load = dev_sub.add_parser("load", parents=[dev_common],
                              help="recreate the dev database, run FILE in one transaction, list the tables")
    load.add_argument("file", nargs="?", default="generated/schema.sql")
    load.set_defaults(func=cmd_dev_load)
