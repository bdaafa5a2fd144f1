"""``{% load money %}``: ``{{ amount|yen }}`` and ``{{ change|signed_yen }}`` (see core/money.py)."""

from __future__ import annotations

from django import template

from tsunagu.core.money import format_yen

register = template.Library()


@register.filter
def yen(amount: int | str | None) -> str:
    """``12000`` → ``¥12,000``; nothing for no amount."""
    if amount is None or amount == "":
        return ""
    return format_yen(int(amount))


@register.filter
def signed_yen(amount: int | str | None) -> str:
    """``+¥1,000`` / ``−¥250``; zero is shown as a dash."""
    if not amount:
        return "—"
    return format_yen(int(amount), signed=True)
