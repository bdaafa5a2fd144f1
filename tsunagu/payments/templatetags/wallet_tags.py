"""Money for the wallet pages, written as everywhere else (tsunagu/core/money.py)."""

from __future__ import annotations

from django import template

from tsunagu.core.templatetags.money import signed_yen, yen

register = template.Library()
register.filter("yen", yen)
register.filter("signed_yen", signed_yen)
