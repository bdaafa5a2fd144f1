"""``{% load billing_tags %}{% billing_dashboard_links user %}``: links to this year's tax papers
and the invoices, for the income dashboard."""

from __future__ import annotations

from typing import Any

from django import template

from tsunagu.billing import selectors

register = template.Library()


@register.inclusion_tag("billing/_dashboard_links.html")
def billing_dashboard_links(user: Any) -> dict[str, Any]:
    if not getattr(user, "is_authenticated", False):
        return {"year": selectors.tax_today().year, "invoice_count": 0}
    return {
        "year": selectors.tax_today().year,
        "invoice_count": selectors.invoices_visible_to(user=user).count(),
    }
