"""Turn pydantic's validation errors into diagnostics people can act on."""

from __future__ import annotations

import types
import typing

from pydantic import BaseModel, ValidationError

from schemagen.diagnostics import Diagnostic, did_you_mean
from schemagen.spec.loader import Document


def _unwrap(annotation):
    """Strip Optional[...] and friends down to the interesting type."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return _unwrap(args[0]) if len(args) == 1 else annotation
    return annotation


def allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys the model accepts at location loc (for 'did you mean')."""
    current = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = _field(current, part)
            if field is None:
                return []
            current = field.annotation
        elif typing.get_origin(current) in (dict, list):
            current = typing.get_args(current)[-1]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _field(model: type[BaseModel], key):
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return field
    return None


def _message(err: dict, model: type[BaseModel], loc: tuple) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "extra_forbidden":
        key = str(loc[-1])
        return f"unknown key '{key}'" + did_you_mean(key, allowed_keys(model, loc[:-1]))
    if kind == "missing":
        return f"missing required key '{loc[-1]}'"
    if kind == "literal_error":
        value = err.get("input")
        options = [o.strip(" '") for o in ctx.get("expected", "").replace(" or ", ", ").split(",")]
        return f"'{value}' is not allowed here; expected {ctx.get('expected')}" + did_you_mean(str(value), options)
    simple = {
        "bool_type": "expected true or false",
        "string_type": "expected a string",
        "list_type": "expected a list",
        "dict_type": "expected a mapping",
        "model_type": "expected a mapping",
        "model_attributes_type": "expected a mapping",
    }
    if kind in simple:
        return f"{simple[kind]}, got {_describe(err.get('input'))}"
    if kind == "too_short":
        return "must not be empty"
    return err["msg"].removeprefix("Value error, ")


def _describe(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {value}"
    if isinstance(value, str):
        return f"string '{value}'"
    return {list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def to_diagnostics(exc: ValidationError, model: type[BaseModel], doc: Document,
                   prefix: tuple = ()) -> list[Diagnostic]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = prefix + loc
        message = _message(err, model, loc)
        # an unknown key points at the key itself; a missing one at its parent; so does a value
        # the shape wrapped itself (on_delete: cascade is read as {action: cascade})
        wrapped = path not in doc.positions and path[:-1] in doc.positions
        at = path[:-1] if err["type"] == "missing" or wrapped else path
        out.append(doc.diag(at, message, key=err["type"] == "extra_forbidden"))
    return out
