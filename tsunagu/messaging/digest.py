"""The e-mail digest: one message per person listing rooms with messages they have not read."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tsunagu.core.links import site_url
from tsunagu.core.periodic import periodic
from tsunagu.messaging.models import RoomMember
from tsunagu.messaging.selectors import unread_counts
from tsunagu.notifications.services import email_queue

QUIET_MINUTES = 15


def digest_send(*, now: datetime.datetime | None = None) -> int:
    """E-mail each member about rooms unread for a while; each message is announced once."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=QUIET_MINUTES)
    due = (
        RoomMember.objects.filter(
            removed_at__isnull=True,
            last_read_seq__lt=F("room__last_seq"),
            last_emailed_seq__lt=F("room__last_seq"),
            room__last_message_at__lte=cutoff,
        )
        .select_related("room", "user")
        .order_by("user_id", "room_id")
    )
    by_user: dict[int, list[RoomMember]] = defaultdict(list)
    for member in due:
        by_user[member.user_id].append(member)
    sent = 0
    for members in by_user.values():
        user = members[0].user
        with transaction.atomic():
            # Claim the rooms first, so a second digest run at the same time sends nothing.
            claimed = [
                m
                for m in members
                if RoomMember.objects.filter(pk=m.pk, last_emailed_seq=m.last_emailed_seq).update(
                    last_emailed_seq=m.room.last_seq
                )
            ]
            # edits, deletions and one's own messages move the room on but leave nothing to read
            unread = unread_counts(members=claimed)
            claimed = [m for m in claimed if unread.get(m.pk)]
            if not claimed:
                continue
            with translation.override(user.language or settings.LANGUAGE_CODE):
                lines = [
                    _("%(room)s: %(count)s unread") % {"room": m.room.title, "count": unread[m.pk]}
                    + f"\n  {site_url(reverse('messaging:room', args=[m.room_id]))}"
                    for m in claimed
                ]
                subject = _("[Tsunagu] You have unread messages")
                body = _("Messages are waiting for you:") + "\n\n" + "\n".join(lines) + "\n"
            # In the outbox with the claim: a digest is never claimed without its mail, and the
            # mail is sent (and retried) by a task after the commit.
            email_queue(to=user.email, subject=subject, body=body)
            sent += 1
    return sent


@periodic("messaging.digest")
def digest_job() -> int:
    return digest_send()
