from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tsunagu.income.engine import Trend

register = template.Library()


@register.filter
def percent(share: float) -> str:
    """``0.375`` → ``38%``."""
    return f"{number_format(round(float(share) * 100))}%"


@register.filter
def trend_label(trend: str) -> str:
    labels = {
        Trend.NEW: _("new"),
        Trend.GROWING: _("growing"),
        Trend.STEADY: _("steady"),
        Trend.THINNING: _("thinning"),
    }
    return str(labels.get(Trend(trend), trend))
