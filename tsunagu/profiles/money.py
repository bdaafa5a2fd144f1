"""Amounts of money written for the reader's language (amounts are integer minor units)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tsunagu.core.money import format_yen
from tsunagu.profiles.rules import minor_to_major

SYMBOLS = {"JPY": "¥", "USD": "$", "EUR": "€"}


def format_money(amount: int, currency: str, *, language: str | None = None) -> str:
    """``3000 JPY`` → ``¥3,000`` (see tsunagu/core/money.py); ``1250 USD`` → ``$12.50``."""
    if currency == "JPY":
        return format_yen(amount)
    major = minor_to_major(amount, currency)
    places = max(0, -int(major.as_tuple().exponent))
    number = number_format(major, decimal_pos=places, use_l10n=True, force_grouping=True)
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


def format_hourly_rate(amount: int | None, currency: str, *, language: str | None = None) -> str:
    if amount is None:
        return _("Rate on request")
    return _("%(amount)s / hour") % {"amount": format_money(amount, currency, language=language)}
