"""Where the templates are (without importing Jinja)."""

from __future__ import annotations

from pathlib import Path


def template_dir() -> Path:
    """Templates ship inside the wheel; in a source checkout they live at the top."""
    package = Path(__file__).resolve().parent.parent  # schemagen/
    packaged = package / "templates"
    return packaged if packaged.is_dir() else package.parent / "templates"
