"""MkDocs hooks: pages whose one text lives elsewhere in the repository are added from there
(ARCHITECTURE.md as the architecture page; README.md's "What schemagen refuses" section)."""

from pathlib import Path

from mkdocs.structure.files import File

REFUSALS = "## What schemagen refuses, and how it says so"


def _refusals(readme: str) -> str:
    section = readme.split(REFUSALS, 1)[1].split("\n## ", 1)[0]
    return "# What schemagen refuses, and how it says so\n" + section.replace("\n### ", "\n## ")


def on_files(files, config):
    root = Path(config["docs_dir"]).parent
    files.append(File.generated(config, "architecture.md",
                                content=(root / "ARCHITECTURE.md").read_text(encoding="utf-8")))
    files.append(File.generated(config, "refusals.md",
                                content=_refusals((root / "README.md").read_text(encoding="utf-8"))))
    return files
