"""Money for the wallet pages: ``¥12,345`` in both languages, with a sign when asked."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def yen(amount: int | None) -> str:
    if amount is None:
        return ""
    value = int(amount)
    return f"−¥{-value:,}" if value < 0 else f"¥{value:,}"


@register.filter
def signed_yen(amount: int | None) -> str:
    """``+¥1,000`` / ``−¥250``; zero is shown as a dash."""
    if not amount:
        return "—"
    value = int(amount)
    return f"+¥{value:,}" if value > 0 else f"−¥{-value:,}"
