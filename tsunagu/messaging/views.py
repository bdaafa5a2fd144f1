from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tsunagu.messaging.errors import MessagingError
from tsunagu.messaging.export import visible_until
from tsunagu.messaging.models import Room


@login_required
def room(request: HttpRequest, pk: int) -> HttpResponse:
    room = get_object_or_404(Room, pk=pk)
    try:
        last = visible_until(room=room, user=request.user)  # type: ignore[arg-type]
    except MessagingError as exc:
        raise Http404 from exc
    return render(request, "messaging/room.html", {"room": room, "last_seq": last})
