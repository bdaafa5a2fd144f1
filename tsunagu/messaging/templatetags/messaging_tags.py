"""Template helpers of the messaging pages: the header's unread count, guard highlighting."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.safestring import SafeString

from tsunagu.messaging import display
from tsunagu.messaging.selectors import unread_total

register = template.Library()


@register.simple_tag(takes_context=True)
def messages_unread(context: template.Context) -> int:
    """Unread messages of the signed-in user over all rooms (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_total(user_id=user.pk)


@register.filter
def guard_highlight(text: str, findings: Iterable[Mapping[str, Any]]) -> SafeString:
    return display.highlight(text, findings)


@register.filter
def guard_labels(findings: Iterable[Mapping[str, Any]]) -> list[str]:
    return display.finding_labels(findings)
