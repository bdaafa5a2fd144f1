"""Template filters for the contract pages: money in yen for the reader's language."""

from __future__ import annotations

import datetime

from django import template

from tsunagu.contracts import selectors
from tsunagu.core.templatetags.money import yen

register = template.Library()


register.filter("yen", yen)


@register.filter
def lookup(mapping: dict[str, str], key: str) -> str:
    """``badges|lookup:status``: a value of a dict by a key known only at render time."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


@register.filter
def decline_reason(code: str) -> str:
    """A card decline code as a sentence for people."""
    return selectors.decline_reason(code)


@register.filter
def isodate(value: str) -> datetime.date | str:
    """A date stored as ``YYYY-MM-DD`` in the terms snapshot, as a date to format."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
