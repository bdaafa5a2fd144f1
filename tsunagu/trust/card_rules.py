"""The rules of track-record cards, as data: what a card may show, how long it is valid.

A card shows what the worker chose among :data:`tsunagu.trust.card.OPTIONAL_FIELDS`; its
identity part (name, profile, verified identity levels) is always there. Review excerpts are the
texts of the worker's ``CARD_REVIEWS`` best published reviews of ``CARD_REVIEW_MIN_STARS`` stars
or more, newest first among equals; a text staff hid is never shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tsunagu.trust.card import OPTIONAL_FIELDS

CARD_PUBLIC_ID_BYTES = 12  # 16 URL-safe characters
CARD_PUBLIC_ID_RE = r"[A-Za-z0-9_-]{16}"
CARD_VALID_DAYS = 90
CARD_VALIDITY = datetime.timedelta(days=CARD_VALID_DAYS)
CARD_REVIEWS = 3
CARD_REVIEW_MIN_STARS = 4
CARD_EXCERPT_MAX = 200

FIELD_LABELS: dict[str, Promise] = {
    "completed_contracts": _("Completed contracts"),
    "on_time_rate": _("On-time delivery"),
    "trust_score": _("Trust score"),
    "reviews": _("Review excerpts"),
}
assert set(FIELD_LABELS) == set(OPTIONAL_FIELDS)


def unknown_fields(fields: Iterable[str]) -> list[str]:
    return sorted({str(f) for f in fields} - set(OPTIONAL_FIELDS))


def ordered_fields(fields: Iterable[str]) -> list[str]:
    """The chosen fields once each, in the card's own order."""
    chosen = set(fields)
    return [name for name in OPTIONAL_FIELDS if name in chosen]


def excerpt(text: str, limit: int = CARD_EXCERPT_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
