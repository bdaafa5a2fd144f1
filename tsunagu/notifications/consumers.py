"""The WebSocket every signed-in page opens when live updates are on (``/ws/live/``).

It listens on the person's own group and sends their unread notification count whenever it may
have changed; the page then fetches the header's badge as it does when it polls. Anonymous
visitors are refused. Events name no notification, only that the count moved, and the count
sent is always the receiver's own.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from tsunagu.core.live import user_group
from tsunagu.notifications.selectors import unread_count

# Closed before the handshake completes: the browser sees a refused socket and keeps polling.
REFUSED = 4403


class PersonalConsumer(AsyncJsonWebsocketConsumer):
    """One signed-in person's stream. Subclasses add what their pages need."""

    user_id: int
    groups_joined: list[str]

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=REFUSED)
            return
        self.user_id = user.pk
        self.groups_joined = []
        if not await self.admit():
            await self.close(code=REFUSED)
            return
        for group in [user_group(self.user_id), *self.extra_groups()]:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        await self.accept()
        # The page was rendered before the socket opened: send the counts as they are now.
        await self.send_counts()

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """The page never sends anything that matters; what it sends is ignored."""

    async def admit(self) -> bool:
        return True

    def extra_groups(self) -> list[str]:
        return []

    async def send_counts(self) -> None:
        await self.notifications_unread({})

    async def notifications_unread(self, event: dict[str, Any]) -> None:
        count = await database_sync_to_async(unread_count)(user_id=self.user_id)
        await self.send_json({"type": "notifications.unread", "count": count})
