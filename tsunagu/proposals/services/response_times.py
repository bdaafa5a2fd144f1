"""Each person's median first-reply time over 90 days, precomputed for the pages."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tsunagu.messaging.models import EntryKind, Message, RoomKind, RoomMember
from tsunagu.proposals import response
from tsunagu.proposals.models import Proposal, ResponseTime

RESPONSE_WINDOW = datetime.timedelta(days=90)
RESPONSE_REFRESH_EVERY = datetime.timedelta(hours=1)


def response_times_refresh(*, now: datetime.datetime | None = None, force: bool = True) -> int:
    """Recompute everyone's median first-reply time over the last 90 days from inquiry rooms
    (the first message from the other side → the person's first reply) and proposals (the
    proposal → the client's first answer to it). Returns how many people have a value.

    Without ``force`` it does nothing when the table was refreshed within the last hour.
    """
    now = now or timezone.now()
    if not force:
        latest = ResponseTime.objects.order_by("-computed_at").values_list("computed_at", flat=True)
        first = latest.first()
        if first is not None and now - first < RESPONSE_REFRESH_EVERY:
            return 0
    since = now - RESPONSE_WINDOW
    entries: dict[int, list[response.Entry]] = {}
    for room_id, sender_id, at in (
        Message.objects.filter(
            room__kind=RoomKind.INQUIRY, kind=EntryKind.MESSAGE, created_at__gte=since
        )
        .order_by("room_id", "seq")
        .values_list("room_id", "sender_id", "created_at")
    ):
        entries.setdefault(room_id, []).append((sender_id, at))
    members: dict[int, set[int]] = {}
    for room_id, user_id in RoomMember.objects.filter(room_id__in=list(entries)).values_list(
        "room_id", "user_id"
    ):
        members.setdefault(room_id, set()).add(user_id)
    delays = response.delays_by_person(
        (members.get(room_id, set()), rows) for room_id, rows in entries.items()
    )
    for client_id, created, answered in Proposal.objects.filter(
        created_at__gte=since, client_responded_at__isnull=False
    ).values_list("job__client_id", "created_at", "client_responded_at"):
        if answered is not None:
            seconds = max(0.0, (answered - created).total_seconds())
            delays.setdefault(client_id, []).append(seconds)
    with transaction.atomic():
        ResponseTime.objects.exclude(user_id__in=list(delays)).delete()
        existing = {r.user_id: r for r in ResponseTime.objects.select_for_update()}
        new, changed = [], []
        for user_id, values in delays.items():
            median = response.median_seconds(values)
            row = existing.get(user_id)
            if row is None:
                new.append(
                    ResponseTime(
                        user_id=user_id,
                        median_seconds=median,
                        samples=len(values),
                        computed_at=now,
                    )
                )
            else:
                row.median_seconds, row.samples, row.computed_at = median, len(values), now
                changed.append(row)
        ResponseTime.objects.bulk_create(new)
        ResponseTime.objects.bulk_update(
            changed, ["median_seconds", "samples", "computed_at"], batch_size=500
        )
    return len(delays)
