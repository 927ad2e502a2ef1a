"""Test support for projects that use schemagen: a pytest plugin (see plugin.py)."""
