"""Sending the outbox's e-mail, and the periodic sweep that keeps any of it from being lost."""

from __future__ import annotations

from django_tasks import task

from tsunagu.core.periodic import periodic
from tsunagu.notifications.services import email_deliver, emails_stale_enqueue


@task()
def email_send(*, email_id: int) -> str:
    """One attempt at an outbox e-mail; safe to run twice (a sent e-mail is skipped)."""
    return email_deliver(email_id=email_id)


@periodic("notifications.email_sweep")
def email_sweep() -> int:
    """Enqueue again the e-mails whose attempt is overdue."""
    return emails_stale_enqueue()
