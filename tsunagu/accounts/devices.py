"""The device cookie: a random value set on a browser at its first sign-in, so that accounts
signing in from one browser can be told apart from accounts that only trade with each other.

The value itself never reaches the database: a sighting keeps an HMAC of it under the site's
secret key, so the table cannot be used to forge a cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponseBase

from tsunagu.accounts.models import DeviceSighting, User

DEVICE_COOKIE = "tsunagu_device"
DEVICE_COOKIE_AGE = 2 * 365 * 24 * 3600  # seconds
_VALUE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def device_key(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def device_seen(
    *, request: HttpRequest, user: User, response: HttpResponseBase | None = None
) -> DeviceSighting:
    """Record that ``user`` signed in from this browser, setting its cookie when it has none
    (or one that is not ours)."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    if not _VALUE.match(value):
        value = secrets.token_urlsafe(24)
        if response is not None:
            response.set_cookie(
                DEVICE_COOKIE,
                value,
                max_age=DEVICE_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
    sighting, created = DeviceSighting.objects.get_or_create(user=user, device=device_key(value))
    if not created:
        sighting.save(update_fields=["last_seen"])
    return sighting


def shared_device_groups() -> list[list[int]]:
    """The accounts seen on each device that more than one account signed in from."""
    shared = (
        DeviceSighting.objects.values("device")
        .annotate(accounts=Count("user", distinct=True))
        .filter(accounts__gt=1)
        .values_list("device", flat=True)
    )
    groups: dict[str, set[int]] = {}
    for device, user_id in DeviceSighting.objects.filter(device__in=shared).values_list(
        "device", "user_id"
    ):
        groups.setdefault(device, set()).add(user_id)
    return [sorted(members) for _device, members in sorted(groups.items())]
