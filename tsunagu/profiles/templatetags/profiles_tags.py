from __future__ import annotations

from django import template

from tsunagu.profiles.models import Profile
from tsunagu.profiles.money import format_hourly_rate

register = template.Library()


@register.filter
def hourly_rate(profile: Profile) -> str:
    """The profile's hourly rate in the current language, e.g. ``¥3,000 / 時間``."""
    return format_hourly_rate(profile.hourly_rate, profile.currency)


@register.filter
def initial(name: str) -> str:
    """The first character of a name, for the avatar circle."""
    return (name or "?").strip()[:1].upper() or "?"
