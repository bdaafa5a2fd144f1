"""Live updates: tell open pages that something changed, once the change has committed.

Off by default (``LIVE_UPDATES=poll``): pages poll with htmx and nothing here does anything.
With ``LIVE_UPDATES=websocket`` the services publish small events through the Channels layer
(Redis) to two kinds of group, which the WebSocket consumers of the apps listen to:

- ``room.<id>``: an entry was appended to a room (``{"type": "room.changed", "seq": …}``);
- ``user.<id>``: one person's unread counts may have changed (``messages.unread``,
  ``notifications.unread``).

Events carry ids and sequence numbers only, never text: each consumer checks what its own
viewer may see before it passes anything on. Publishing waits for the commit (a rolled-back
message is never announced) and never fails the change that caused it: a channel layer that is
down costs a live update, and the pages' polling picks the change up.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

WEBSOCKET = "websocket"
POLL = "poll"
MODES = (POLL, WEBSOCKET)


def live_enabled() -> bool:
    """True when pages get changes pushed over a WebSocket (``LIVE_UPDATES=websocket``)."""
    return bool(getattr(settings, "LIVE_UPDATES", POLL) == WEBSOCKET)


def room_group(room_id: int) -> str:
    return f"room.{room_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def live_publish(*, group: str, event: dict[str, Any]) -> None:
    """Send ``event`` to everyone listening on ``group`` once the current transaction commits.

    Outside a transaction it is sent at once. Does nothing when live updates are off.
    """
    if not live_enabled():
        return
    message = dict(event)
    transaction.on_commit(lambda: _send(group, message))


def live_publish_users(*, user_ids: list[int], event: dict[str, Any]) -> None:
    for user_id in sorted(set(user_ids)):
        live_publish(group=user_group(user_id), event=event)


def _send(group: str, event: dict[str, Any]) -> None:
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # the change has committed; polling shows it even without this event
        logger.exception("could not publish %s to %s", event.get("type"), group)
