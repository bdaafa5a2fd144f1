"""The input rules (tsunagu/core/fields.py) and the proof that every schema and form uses them."""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
import types
import typing
from typing import Any

import annotated_types
import pytest
from django import forms
from django.core.exceptions import ValidationError
from pydantic import BaseModel
from pydantic.fields import FieldInfo

import tsunagu
from tsunagu.core import fields
from tsunagu.core.fields import (
    MAX_BIGINT,
    RULE_VALIDATORS,
    InputForm,
    validate_day,
    validate_line,
    validate_text,
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


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module_info in pkgutil.iter_modules(tsunagu.__path__):
        try:
            module = importlib.import_module(f"tsunagu.{module_info.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(value)
    return found


def test_every_form_of_the_apps_applies_the_input_rules() -> None:
    classes = _form_classes()
    assert len(classes) > 40
    assert [c.__qualname__ for c in classes if not issubclass(c, fields.InputRulesMixin)] == []


@pytest.mark.parametrize(
    "text",
    ["nul\x00here", "esc\x1b[31m", "c1\x85", "rlo\u202egnp.exe", "lri\u2066x\u2069", "rlm\u200f"],
)
def test_control_and_bidi_characters_are_refused_in_any_text(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_line(text)
    assert caught.value.code == "forbidden_character"
    with pytest.raises(ValidationError):
        validate_text(text)


def test_line_breaks_belong_to_longer_text_only() -> None:
    validate_text("一行目\n二行目\r\n\tindented")
    with pytest.raises(ValidationError):
        validate_line("title\nsecond line")
    validate_line("山田 花子 (Hanako) — ok, emoji 🎉 and zero-width joiner 👩\u200d💻")


def test_the_message_names_the_character_in_the_readers_language() -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_line("a\u202eb")
    assert "U+202E" in caught.value.messages[0]
    assert "direction" in caught.value.messages[0]
    with translation.override("ja"), pytest.raises(ValidationError) as caught:
        validate_line("a\x00b")
    assert "U+0000" in caught.value.messages[0]
    assert "制御文字" in caught.value.messages[0]


@pytest.mark.parametrize(
    "day", [datetime.date(1, 1, 1), datetime.date(1999, 12, 31), datetime.date(9999, 12, 31)]
)
def test_dates_outside_the_supported_calendar_are_refused(day: datetime.date) -> None:
    with pytest.raises(ValidationError):
        validate_day(day)


def test_form_fields_get_the_rule_of_their_kind() -> None:
    class Sample(InputForm):
        title = forms.CharField()
        body = forms.CharField(widget=forms.Textarea)
        count = forms.IntegerField()
        small = forms.IntegerField(min_value=0, max_value=10)
        day = forms.DateField()
        at = forms.DateTimeField()

    form = Sample(
        {
            "title": "a\u202eb",
            "body": "ok\nfine",
            "count": str(MAX_BIGINT),
            "small": "5",
            "day": "9999-12-31",
            "at": "0001-01-01 00:00",
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"title", "count", "day", "at"}
    small = form.fields["small"]
    assert isinstance(small, forms.IntegerField) and small.max_value == 10  # its own bounds

    good = Sample(
        {
            "title": "記事作成",
            "body": "一行目\n二行目",
            "count": "12",
            "small": "5",
            "day": "2030-01-31",
            "at": "2030-01-31 09:00",
        }
    )
    assert good.is_valid(), good.errors
