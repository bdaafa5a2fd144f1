"""Every account has a profile from the moment it exists, however it was created; and the
signals profiles sends for the apps built on it (``profile_viewed``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from tsunagu.profiles.models import Profile

# Sent by the public profile page before it renders, with ``request`` and ``profile``. Receivers
# must not raise: the page does not catch what they throw (analytics records the view here).
profile_viewed = Signal()


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="profiles.create_profile")
def create_profile(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        Profile.objects.get_or_create(
            user=instance, defaults={"display_name": instance.email.split("@")[0][:50]}
        )
