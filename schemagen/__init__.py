"""schemagen: PostgreSQL schema as code. One schema.yaml -> DDL and SQLAlchemy models."""

__version__ = "0.1.0"
