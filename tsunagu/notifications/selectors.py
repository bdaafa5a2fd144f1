"""Reads of a person's own notifications. Every query is filtered by the owner."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.http import url_has_allowed_host_and_scheme

from tsunagu.notifications.models import Notification

PER_PAGE = 20


def notification_list(*, user_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user_id).order_by("-created_at", "-id")


def notification_page(*, user_id: int, page_number: object = 1) -> Page[Notification]:
    paginator = Paginator(notification_list(user_id=user_id), PER_PAGE)
    return paginator.get_page(str(page_number or "1"))


def notification_get(*, user_id: int, pk: int) -> Notification | None:
    """The person's own notification, or None (another's is never found)."""
    return Notification.objects.filter(user_id=user_id, pk=pk).first()


def unread_count(*, user_id: int) -> int:
    """One COUNT over the (user, read_at) index."""
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()


def safe_internal_url(url: str) -> str:
    """The notification's link if it stays on this site (a path like ``/contracts/1/``), else ""."""
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return ""
    if any(ord(ch) < 0x20 or ch.isspace() for ch in url):
        return ""
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return ""
    return url
