"""Closing an account: the person's notifications are erased, and e-mail still waiting to be sent
to their addresses is not sent (it stays in the outbox as given up, saying why)."""

from __future__ import annotations

from django.db.models.functions import Lower

from tsunagu.core.closing import closing_eraser_register, closing_mailbox_eraser_register
from tsunagu.notifications.models import EmailStatus, Notification, OutgoingEmail

CANCELLED = "not sent: the account was closed"


def erase_notifications(user_id: int) -> dict[str, int]:
    return {"notifications": Notification.objects.filter(user_id=user_id).delete()[0]}


closing_eraser_register("notifications", erase_notifications)


def cancel_queued_email(user_id: int, addresses: frozenset[str]) -> dict[str, int]:
    # an e-mail being sent right now is left to finish; one waiting for its next attempt is not
    queued = OutgoingEmail.objects.alias(address=Lower("to")).filter(
        address__in=sorted(addresses), status=EmailStatus.PENDING
    )
    return {"emails_cancelled": queued.update(status=EmailStatus.FAILED, last_error=CANCELLED)}


closing_mailbox_eraser_register("notifications.outbox", cancel_queued_email)
