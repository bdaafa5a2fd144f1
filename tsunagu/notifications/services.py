"""Tell people what happened: a row for the app now, an e-mail after the change commits."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from tsunagu.accounts.models import User
from tsunagu.notifications.models import Notification


def notify(*, user: User, kind: str, message: Callable[[], str], url: str = "") -> Notification:
    """Record a notification in the recipient's language; e-mail it once the transaction commits.

    ``message`` is called with the recipient's language active, so each side reads its own.
    """
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = str(message())[:300]
    notification = Notification.objects.create(user=user, kind=kind, message=text, url=url)
    transaction.on_commit(lambda: _email(user=user, text=text, url=url))
    return notification


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def _email(*, user: User, text: str, url: str) -> None:
    domain = Site.objects.get_current().domain
    link = f"http://{domain}{url}" if url.startswith("/") else url
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = f"[Tsunagu] {text}"[:150]
        body = f"{text}\n\n{link}\n" if link else f"{text}\n"
        send_mail(subject, body, None, [user.email], fail_silently=True)
