"""The input rules (tsunagu/core/fields.py) and the proof that every schema and form uses them."""

from __future__ import annotations

import datetime
import types
import typing
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from tsunagu.core.fields import (
    RULE_VALIDATORS,
)


def _unwrap(annotation: Any) -> list[Any]:
    """The leaf types of an annotation: ``list[X] | None`` → ``[X]``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return [leaf for arg in typing.get_args(annotation) for leaf in _unwrap(arg)]
    if origin in (list, set, tuple, frozenset):
        return [leaf for arg in typing.get_args(annotation) for leaf in _unwrap(arg)]
    return [annotation]


def _leaf_ruled(leaf: Any, metadata: list[Any]) -> bool:
    if typing.get_origin(leaf) is typing.Annotated:
        base, *extra = typing.get_args(leaf)
        return _leaf_ruled(base, [*metadata, *extra])
    validators = [getattr(m, "func", None) for m in metadata]
    if leaf in (str, datetime.date, datetime.datetime):
        return any(v in RULE_VALIDATORS for v in validators)
    if leaf is int:
        flat: list[Any] = []
        for m in metadata:
            flat.extend(m.metadata if isinstance(m, FieldInfo) else [m])
        has_low = any(isinstance(m, annotated_types.Ge | annotated_types.Gt) for m in flat)
        has_high = any(isinstance(m, annotated_types.Le | annotated_types.Lt) for m in flat)
        return has_low and has_high
    return True  # bool, Literal, time, files, nested schemas (checked on their own)


def _unruled(model: type[BaseModel], seen: set[type[BaseModel]]) -> list[str]:
    if model in seen:
        return []
    seen.add(model)
    found = []
    for name, info in model.model_fields.items():
        for leaf in _unwrap(info.annotation):
            if isinstance(leaf, type) and issubclass(leaf, BaseModel):
                found.extend(_unruled(leaf, seen))
            elif (
                typing.get_origin(leaf) is typing.Annotated
                or not _leaf_ruled(leaf, list(info.metadata))
            ) and not _leaf_ruled(leaf, list(info.metadata)):
                found.append(f"{model.__module__}.{model.__qualname__}.{name}")
    return found


def test_every_api_input_field_follows_the_input_rules() -> None:
    """Each body and query field of /api/v1 is one of the rule types (or narrower): a new
    schema with a bare ``str``, ``int`` or ``date`` fails here. Path segments are checked by the
    API's frame (control characters) and by Django (an id out of range finds nothing)."""
    from tsunagu.api_v1 import api

    seen: set[type[BaseModel]] = set()
    missing: list[str] = []
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in operation.models:
                    if model.__name__ == "PathParams":
                        continue
                    for name, info in model.model_fields.items():
                        for leaf in _unwrap(info.annotation):
                            if isinstance(leaf, type) and issubclass(leaf, BaseModel):
                                missing.extend(_unruled(leaf, seen))
                            elif not _leaf_ruled(leaf, list(info.metadata)):
                                missing.append(
                                    f"{operation.view_func.__module__}:{model.__name__}.{name}"
                                )
    assert sorted(set(missing)) == []
