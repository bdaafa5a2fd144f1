"""The unread count for the header. Counted only when a template shows it, at most once."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from tsunagu.notifications.selectors import unread_count


def _once(user_id: int) -> Callable[[], int]:
    cached: list[int] = []

    def count() -> int:
        if not cached:
            cached.append(unread_count(user_id=user_id))
        return cached[0]

    return count


def notifications(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Templates call a callable, so pages that never show the count never query it.
    return {"notifications_unread": _once(user.pk)}
