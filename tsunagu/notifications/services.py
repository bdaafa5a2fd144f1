"""Tell people what happened: a row for the app now, an e-mail sent by a task after the commit.

E-mail goes through the outbox (:class:`OutgoingEmail`). ``email_queue`` writes the message in the
caller's transaction and enqueues the ``email_send`` task once that commits; ``email_deliver``
makes one attempt and, when it fails, schedules the next with backoff; the periodic
``emails_stale_enqueue`` enqueues again any message whose attempt is overdue (an enqueue that was
lost, a worker that died mid-send). A slow or failing mail server delays a message but neither
slows a page nor loses the message.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from tsunagu.accounts.models import User
from tsunagu.core.links import site_url
from tsunagu.core.live import live_publish_users
from tsunagu.notifications.models import (
    EmailStatus,
    Notification,
    OutgoingAttachment,
    OutgoingEmail,
)

logger = logging.getLogger(__name__)

EMAIL_MAX_ATTEMPTS = 10
# The first retry after a minute, doubling up to four hours: about eight hours in all.
EMAIL_FIRST_RETRY = datetime.timedelta(minutes=1)
EMAIL_LONGEST_WAIT = datetime.timedelta(hours=4)
# How long one attempt may hold a message; far beyond the connection timeout.
EMAIL_CLAIM = datetime.timedelta(minutes=10)
# How late an attempt must be before the sweep enqueues it again.
EMAIL_OVERDUE = datetime.timedelta(minutes=10)
EMAIL_TIMEOUT_SECONDS = 30
_OPEN = [EmailStatus.PENDING, EmailStatus.SENDING]


def notify(
    *, user: User, kind: str, message: Callable[[], str], url: str = "", email: bool = True
) -> Notification:
    """Record a notification in the recipient's language; e-mail it once the transaction commits
    (unless ``email`` is False: an e-mail of its own already says it).

    ``message`` is called with the recipient's language active, so each side reads its own.
    """
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = str(message())[:300]
    notification = Notification.objects.create(user=user, kind=kind, message=text, url=url)
    live_publish_users(user_ids=[user.pk], event={"type": "notifications.unread"})
    if email and user.email:
        link = site_url(url) if url else ""
        email_queue(
            to=user.email,
            subject=f"[Tsunagu] {text}"[:150],
            body=f"{text}\n\n{link}\n" if link else f"{text}\n",
        )
    return notification


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    marked = unread.update(read_at=timezone.now())
    if marked:
        live_publish_users(user_ids=[user.pk], event={"type": "notifications.unread"})
    return marked


# --- E-mail outbox --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    """A file for :func:`email_queue`; with ``content_id`` an inline image the HTML shows."""

    filename: str
    content: bytes
    content_type: str
    content_id: str = ""


ATTACHMENTS_MAX_BYTES = 2 * 1024 * 1024


def email_queue(
    *,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    attachments: Sequence[Attachment] = (),
) -> OutgoingEmail:
    """Write an e-mail to the outbox in the current transaction; a task sends it after the commit.

    If the transaction rolls back, the e-mail goes with it and nothing is sent. ``html`` is an
    alternative to the plain ``body``; inline images go in ``attachments`` with a ``content_id``.
    """
    if sum(len(a.content) for a in attachments) > ATTACHMENTS_MAX_BYTES:
        raise ValueError("e-mail attachments above the outbox's limit")
    # One line: a title with a line break in it would make the header unsendable.
    subject = " ".join(subject.split())[:255]
    with transaction.atomic():
        email = OutgoingEmail.objects.create(to=to, subject=subject, body=body, html_body=html)
        OutgoingAttachment.objects.bulk_create(
            OutgoingAttachment(
                email=email,
                filename=a.filename,
                content=a.content,
                content_type=a.content_type,
                content_id=a.content_id,
            )
            for a in attachments
        )
    email_id = email.pk
    # robust: a queue that cannot take the task now must not fail a change that has committed;
    # the sweep enqueues the message once it is overdue.
    transaction.on_commit(lambda: _enqueue(email_id), robust=True)
    return email


def email_deliver(*, email_id: int) -> str:
    """Make one attempt at sending an outbox e-mail. Idempotent: a sent e-mail is never resent.

    Returns "sent", "retry" (failed; the next attempt is scheduled), "failed" (the last attempt
    failed) or "skipped" (already sent, given up, not due, or held by another attempt). The claim
    is one conditional UPDATE, so of two attempts at once only one sends; no lock is held while
    the mail server is called.
    """
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status__in=_OPEN, next_attempt_at__lte=now
    ).update(
        status=EmailStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + EMAIL_CLAIM
    )
    if not claimed:
        return "skipped"
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        _send(email)
    except Exception as exc:
        return _attempt_failed(email, exc)
    OutgoingEmail.objects.filter(pk=email_id, status=EmailStatus.SENDING).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def emails_stale_enqueue(*, limit: int = 500) -> int:
    """Enqueue again each open e-mail whose attempt is overdue; returns how many.

    Each one is marked due now, so the next sweep leaves it alone unless it is overdue once more.
    """
    now = timezone.now()
    stale = OutgoingEmail.objects.filter(status__in=_OPEN, next_attempt_at__lte=now - EMAIL_OVERDUE)
    ids = list(stale.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    OutgoingEmail.objects.filter(pk__in=ids).filter(
        status__in=_OPEN, next_attempt_at__lte=now - EMAIL_OVERDUE
    ).update(next_attempt_at=now)
    for email_id in ids:
        _enqueue(email_id)
    return len(ids)


def email_retry_wait(attempts: int) -> datetime.timedelta:
    """The wait after the given number of failed attempts: 1, 2, 4 … minutes, at most 4 hours."""
    wait: datetime.timedelta = EMAIL_FIRST_RETRY * 2 ** max(attempts - 1, 0)
    return min(wait, EMAIL_LONGEST_WAIT)


def _enqueue(email_id: int, *, run_after: datetime.datetime | None = None) -> None:
    from tsunagu.notifications.tasks import email_send

    task = email_send
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # this backend cannot wait: the sweep enqueues the message when it is overdue
        task = task.using(run_after=run_after)
    task.enqueue(email_id=email_id)


def _send(email: OutgoingEmail) -> None:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        to=[email.to],
        # The same id on every attempt, so a receiving server can drop a copy it already has.
        headers={"Message-ID": f"<outbox.{email.pk}.{email.created_at:%Y%m%d%H%M%S}@{DNS_NAME}>"},
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT or EMAIL_TIMEOUT_SECONDS),
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments.all():
        content = bytes(attachment.content)
        if attachment.content_id and attachment.content_type.startswith("image/"):
            image = MIMEImage(content, _subtype=attachment.content_type.split("/", 1)[1])
            image.add_header("Content-ID", f"<{attachment.content_id}>")
            image.add_header("Content-Disposition", "inline", filename=attachment.filename)
            message.attach(image)
        else:
            message.attach(attachment.filename, content, attachment.content_type)
    message.send()


def _attempt_failed(email: OutgoingEmail, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:500]
    if email.attempts >= EMAIL_MAX_ATTEMPTS:
        logger.error("gave up on e-mail %s after %s attempts: %s", email.pk, email.attempts, error)
        OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
            status=EmailStatus.FAILED, last_error=error
        )
        return "failed"
    logger.warning("e-mail %s: attempt %s failed: %s", email.pk, email.attempts, error)
    next_attempt_at = timezone.now() + email_retry_wait(email.attempts)
    OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
        status=EmailStatus.PENDING, next_attempt_at=next_attempt_at, last_error=error
    )
    try:
        _enqueue(email.pk, run_after=next_attempt_at)
    except Exception:  # the sweep enqueues the message once it is overdue
        logger.exception("could not enqueue the next attempt at e-mail %s", email.pk)
    return "retry"
