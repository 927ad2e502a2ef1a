from schemagen.cli import run

run()
