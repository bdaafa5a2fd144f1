"""Rules for profile values that the form, the API and the services all apply."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tsunagu.core.text import has_markup
from tsunagu.profiles.models import CURRENCY_EXPONENT

MAX_TAGS = 20
MAX_TAG_LENGTH = 30
MAX_PORTFOLIO_ITEMS = 30
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_FILE_BYTES = 10 * 1024 * 1024
IMAGE_KINDS = {"png", "jpeg", "gif", "webp"}
FILE_KINDS = {"pdf", "zip", "text"}
FILE_EXTENSIONS = {".pdf", ".zip", ".docx", ".xlsx", ".pptx", ".txt"}
MAX_RATE_MINOR = 10_000_000

# commas and the Japanese list marks, full-width commas and line breaks separate tags
_TAG_SPLIT = re.compile(r"[,、，\n\r]+")
_SPACES = re.compile(r"\s+")


def normalise_tag(raw: str) -> str:
    """One tag in its canonical form: NFKC, single spaces, no leading '#', lower case."""
    tag = unicodedata.normalize("NFKC", raw or "")
    tag = _SPACES.sub(" ", tag).strip().lstrip("#").strip()
    return tag.lower()


def parse_tags(value: str | Iterable[str] | None) -> list[str]:
    """Tags from a comma-separated string or a list; normalised, deduplicated, checked.

    Raises ValidationError (with a message for the person) when there are too many tags,
    one is too long, or one contains markup.
    """
    if value is None:
        return []
    pieces = _TAG_SPLIT.split(value) if isinstance(value, str) else [str(v) for v in value]
    tags: list[str] = []
    for piece in pieces:
        if has_markup(piece):
            raise ValidationError(_("Tags must not contain HTML."), code="markup")
        tag = normalise_tag(piece)
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationError(
                _("The tag “%(tag)s” is too long (at most %(max)d characters).")
                % {"tag": tag[:40], "max": MAX_TAG_LENGTH},
                code="tag_too_long",
            )
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError(
            _("You can add at most %(max)d tags.") % {"max": MAX_TAGS}, code="too_many_tags"
        )
    return tags


def check_single_line(value: str) -> None:
    """Reject markup in names and headlines instead of silently changing what was typed."""
    if has_markup(value):
        raise ValidationError(
            _("HTML and scripts are not allowed here. Please write plain text."), code="markup"
        )


def major_to_minor(amount: Decimal, currency: str) -> int:
    """An amount typed in the main unit (yen, dollars) as integer minor units."""
    exponent = CURRENCY_EXPONENT.get(currency, 0)
    scaled = amount * (10**exponent)
    if scaled != scaled.to_integral_value():
        if exponent == 0:
            raise ValidationError(
                _("%(currency)s amounts have no decimals.") % {"currency": currency},
                code="decimals",
            )
        raise ValidationError(
            _("Use at most %(places)d decimal places.") % {"places": exponent}, code="decimals"
        )
    minor = int(scaled)
    if minor < 0 or minor > MAX_RATE_MINOR:
        raise ValidationError(_("The hourly rate is out of range."), code="rate_range")
    return minor


def minor_to_major(amount: int, currency: str) -> Decimal:
    exponent = CURRENCY_EXPONENT.get(currency, 0)
    return (Decimal(amount) / (10**exponent)).quantize(Decimal(1).scaleb(-exponent))


def file_extension_allowed(name: str) -> bool:
    return PurePath(name or "").suffix.lower() in FILE_EXTENSIONS
