"""Closing an account: the person's notifications are erased."""

from __future__ import annotations

from tsunagu.core.closing import closing_eraser_register
from tsunagu.notifications.models import Notification


def erase_notifications(user_id: int) -> dict[str, int]:
    return {"notifications": Notification.objects.filter(user_id=user_id).delete()[0]}


closing_eraser_register("notifications", erase_notifications)
