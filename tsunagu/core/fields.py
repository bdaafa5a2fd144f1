"""The input rules, one set for every API schema and every form.

Whatever a person types or a client sends passes these before a service sees it:

* **Integers and ids** stay inside what the database stores: ids are positive 64-bit integers
  (``BigAutoField``), other whole numbers fit a 32-bit column unless a field says otherwise. A
  larger number is refused with a message instead of overflowing in the database driver.
* **Dates and times** lie between 2000-01-01 and 2100-12-31, so that date arithmetic (the 60-day
  payment rule, inspection periods) and time-zone conversion can never leave the calendar.
* **Text** never holds a control character (NUL, escape, the C1 range, a lone surrogate) nor a
  bidirectional control (RLO, LRI, …, the marks LRM/RLM/ALM): one holds no meaning for people,
  the other reorders what the other party reads ("name spoofing"). Such text is **refused**, not
  stripped: silently changing what someone wrote would make them sign or send something else
  than they saw. One-line text (names, titles) refuses line breaks and tabs as well; longer text
  keeps them.

The same rules come in three forms: plain validators (:func:`validate_line`, :func:`validate_text`,
:func:`validate_day`, :func:`validate_moment`), pydantic types for django-ninja schemas
(:data:`Line`, :data:`Text`, :data:`Id`, :data:`Int`, :data:`BigInt`, :data:`Day`, :data:`Moment`)
and the form bases :class:`InputForm` / :class:`InputModelForm`, which apply them to each of a
form's fields by its kind.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field

_M = TypeVar("_M", bound=models.Model)

MAX_BIGINT = 2**63 - 1
MIN_BIGINT = -(2**63)
MAX_INT = 2**31 - 1
MIN_INT = -(2**31)
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)

# Bidirectional controls: the embeddings, overrides and isolates of Unicode's bidi algorithm
# (LRE RLE PDF LRO RLO, LRI RLI FSI PDI) and the marks LRM, RLM and ALM.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 and C1 controls and DEL, and the surrogate range (a lone surrogate cannot be stored as UTF-8).
_CONTROLS = "\x00-\x1f\x7f-\x9f\ud800-\udfff"
_LINE_FORBIDDEN = re.compile(f"[{_CONTROLS}{BIDI_CONTROLS}]")
# Multi-line text keeps tab, line feed and carriage return: everything else of the above.
_TEXT_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{BIDI_CONTROLS}]")


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character the text rules refuse in ``value``, or None."""
    found = (_TEXT_FORBIDDEN if multiline else _LINE_FORBIDDEN).search(value)
    return found.group() if found else None


def _character_message(character: str) -> str:
    code = f"U+{ord(character):04X}"
    if re.fullmatch(f"[{BIDI_CONTROLS}]", character):
        return _(
            "Remove the invisible character %(code)s: it changes the direction of the text."
        ) % {"code": code}
    if character in "\n\r\t":
        return _("Use a single line, without line breaks or tabs.")
    return _("Remove the invisible control character %(code)s.") % {"code": code}


def _day_message() -> str:
    return _("Enter a date between %(first)s and %(last)s.") % {
        "first": FIRST_DAY.isoformat(),
        "last": LAST_DAY.isoformat(),
    }


# --- Plain validators (Django's ValidationError) ----------------------------------------------


def validate_line(value: str) -> None:
    """One-line text: no control character (line breaks and tabs included), no bidi control."""
    character = forbidden_character(value)
    if character is not None:
        raise ValidationError(_character_message(character), code="forbidden_character")


def validate_text(value: str) -> None:
    """Multi-line text: line breaks and tabs allowed, other control and bidi characters not."""
    character = forbidden_character(value, multiline=True)
    if character is not None:
        raise ValidationError(_character_message(character), code="forbidden_character")


def validate_day(value: datetime.date) -> None:
    """A date (or the date of a datetime) inside the supported calendar."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(_day_message(), code="date_out_of_range")


def validate_moment(value: datetime.datetime) -> None:
    """A date and time inside the supported calendar (checked before any time-zone change)."""
    validate_day(value)


# --- pydantic types for django-ninja schemas --------------------------------------------------


def _check_line(value: str) -> str:
    character = forbidden_character(value)
    if character is not None:
        raise ValueError(_character_message(character))
    return value


def _check_text(value: str) -> str:
    character = forbidden_character(value, multiline=True)
    if character is not None:
        raise ValueError(_character_message(character))
    return value


def _check_day(value: datetime.date) -> datetime.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(_day_message())
    return value


def _check_moment(value: datetime.datetime) -> datetime.datetime:
    if not FIRST_DAY <= value.date() <= LAST_DAY:
        raise ValueError(_day_message())
    return value


Line = Annotated[str, AfterValidator(_check_line)]
"""One-line text (a name, a title, a search word): see the module's rules."""
Text = Annotated[str, AfterValidator(_check_text)]
"""Text that may span lines (a description, a message)."""
Id = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
"""The primary key of a row (BigAutoField): a positive 64-bit integer."""
Int = Annotated[int, Field(ge=MIN_INT, le=MAX_INT)]
"""A whole number that fits a 32-bit column; narrow it further with ``Field(ge=, le=)``."""
BigInt = Annotated[int, Field(ge=MIN_BIGINT, le=MAX_BIGINT)]
"""A whole number that fits a 64-bit column (money in minor units)."""
Day = Annotated[datetime.date, AfterValidator(_check_day)]
"""A date between 2000-01-01 and 2100-12-31."""
Moment = Annotated[datetime.datetime, AfterValidator(_check_moment)]
"""A date and time between 2000-01-01 and 2100-12-31."""

# Every rule above leaves one of these marks on a schema field; tests check that each input field
# of the API carries one (tests/core/test_fields.py).
RULE_VALIDATORS = (_check_line, _check_text, _check_day, _check_moment)


# --- Forms ------------------------------------------------------------------------------------


def apply_input_rules(fields: dict[str, forms.Field]) -> None:
    """Give each form field the rule of its kind (text, whole number, date, date and time).

    A field that already states its own bounds keeps them; the rules only add what is missing.
    """
    for field in fields.values():
        if isinstance(field, forms.CharField):
            multiline = isinstance(field.widget, forms.Textarea)
            field.validators.append(validate_text if multiline else validate_line)
        elif isinstance(field, forms.IntegerField):
            if field.max_value is None:
                field.max_value = MAX_INT
                field.validators.append(MaxValueValidator(MAX_INT))
            if field.min_value is None:
                field.min_value = MIN_INT
                field.validators.append(MinValueValidator(MIN_INT))
        elif isinstance(field, forms.DateTimeField):
            field.validators.append(validate_moment)
        elif isinstance(field, forms.DateField):
            field.validators.append(validate_day)
        elif isinstance(field, forms.MultipleChoiceField | forms.ChoiceField):
            continue  # limited to their choices already


class InputRulesMixin:
    """Applies :func:`apply_input_rules` to the form's fields when the form is made."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        apply_input_rules(self.fields)


class InputForm(InputRulesMixin, forms.Form):
    """The base of every form: Django's ``Form`` with the input rules on each field."""


class InputModelForm(InputRulesMixin, forms.ModelForm[_M]):
    """The base of every model form: Django's ``ModelForm`` with the input rules on each field."""
