"""WebSockets of the messaging pages, when live updates are on.

``LiveConsumer`` (``/ws/live/``, every signed-in page) adds the unread message count to the
notification count. ``RoomConsumer`` (``/ws/rooms/<id>/``, the room page) admits only the
room's current members and passes on that an entry was added, with its sequence number; the
page then asks the room's poll address for it, which renders exactly what this viewer may read
and moves their read marker. A member removed while connected gets nothing after the removal:
each event is checked against the viewer's access at the moment it arrives.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from django.http import Http404

from tsunagu.accounts.models import User
from tsunagu.core.live import room_group
from tsunagu.messaging.selectors import room_access, unread_total
from tsunagu.notifications.consumers import PersonalConsumer


class LiveConsumer(PersonalConsumer):
    async def send_counts(self) -> None:
        await super().send_counts()
        await self.messages_unread({})

    async def messages_unread(self, event: dict[str, Any]) -> None:
        count = await database_sync_to_async(unread_total)(user_id=self.user_id)
        await self.send_json({"type": "messages.unread", "count": count})


def _visible_seq(*, room_id: int, user_id: int) -> int | None:
    """The last entry a current member may read, or None when they are not one (any more)."""
    viewer = User.objects.filter(pk=user_id, is_active=True).first()
    if viewer is None:
        return None
    try:
        access = room_access(room_id=room_id, viewer=viewer)
    except Http404:
        return None
    return access.last_seq if access.active else None


class RoomConsumer(LiveConsumer):
    room_id: int

    async def admit(self) -> bool:
        self.room_id = int(self.scope["url_route"]["kwargs"]["room_id"])
        seq = await database_sync_to_async(_visible_seq)(room_id=self.room_id, user_id=self.user_id)
        return seq is not None

    def extra_groups(self) -> list[str]:
        return [room_group(self.room_id)]

    async def room_changed(self, event: dict[str, Any]) -> None:
        seq = int(event["seq"])
        visible = await database_sync_to_async(_visible_seq)(
            room_id=self.room_id, user_id=self.user_id
        )
        if visible is None or seq > visible:
            return
        await self.send_json({"type": "room.changed", "room": self.room_id, "seq": seq})
