"""The notification list, marking as read, opening one, and the header's unread count."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tsunagu.accounts.request import signed_in_user
from tsunagu.notifications import selectors
from tsunagu.notifications.services import notifications_mark_read


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    page = selectors.notification_page(user_id=user.pk, page_number=request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=signed_in_user(request))
    return redirect("notifications:list")


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of my notifications read and follow its link, if the link stays on this site."""
    user = signed_in_user(request)
    notification = selectors.notification_get(user_id=user.pk, pk=pk)
    if notification is None:
        raise Http404
    notifications_mark_read(user=user, ids=[notification.pk])
    target = selectors.safe_internal_url(notification.url)
    return redirect(target or "notifications:list")


@login_required
@require_GET
def unread_badge(request: HttpRequest) -> HttpResponse:
    """The header's count, polled by htmx every 30 seconds."""
    return render(request, "notifications/_nav_link.html", {})
