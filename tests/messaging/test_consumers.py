"""The WebSockets of live updates: who may listen, and what each listener is told.

Each scenario runs in one event loop (``async_to_sync``); the services are called through
``database_sync_to_async`` as a request would, and they publish after their commit. The
database is transactional because the consumers read it from other threads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.db import transaction

from tests.messaging.conftest import Cast, Group, person
from tests.support.live import IN_MEMORY, redis_layers, socket_for
from tsunagu.messaging.models import Message, RoomMember
from tsunagu.messaging.services import (
    message_send,
    room_mark_read,
    room_member_remove,
    room_open_inquiry,
)
from tsunagu.notifications.services import notifications_mark_read, notify

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 30  # seconds a frame may take on a busy machine; a bound, not an assertion


@pytest.fixture
def live(settings: Any) -> None:
    settings.LIVE_UPDATES = "websocket"
    settings.CHANNEL_LAYERS = IN_MEMORY


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(scenario)()


send = database_sync_to_async(message_send)


def room_path(cast: Cast) -> str:
    return f"/ws/rooms/{cast.inquiry.pk}/"


async def _opening_counts(socket: Any) -> dict[str, int]:
    """The two counts a socket sends when it opens."""
    frames = [await socket.receive_json_from(timeout=WAIT) for _ in range(2)]
    return {frame["type"]: frame["count"] for frame in frames}


def test_a_participant_is_told_of_a_new_message_and_of_their_unread_count(
    live: None, cast: Cast
) -> None:
    message_send(room=cast.inquiry, sender=cast.client, body="はじめまして")
    socket = socket_for(cast.worker, room_path(cast))

    async def scenario() -> None:
        connected, _ = await socket.connect(timeout=WAIT)
        assert connected
        assert await _opening_counts(socket) == {"notifications.unread": 0, "messages.unread": 1}
        sent = await send(room=cast.inquiry, sender=cast.client, body="見積もりをお送りします")
        assert await socket.receive_json_from(timeout=WAIT) == {
            "type": "room.changed",
            "room": cast.inquiry.pk,
            "seq": sent.seq,
        }
        assert await socket.receive_json_from(timeout=WAIT) == {
            "type": "messages.unread",
            "count": 2,
        }
        # Reading the room (in this page or another) lowers the count on every open page.
        await database_sync_to_async(room_mark_read)(
            room=cast.inquiry, user=cast.worker, seq=sent.seq
        )
        assert await socket.receive_json_from(timeout=WAIT) == {
            "type": "messages.unread",
            "count": 0,
        }
        await socket.disconnect()

    run(scenario)


def test_the_sender_hears_of_the_entry_but_gets_no_unread_count(live: None, cast: Cast) -> None:
    socket = socket_for(cast.client, room_path(cast))

    async def scenario() -> None:
        assert (await socket.connect(timeout=WAIT))[0]
        await _opening_counts(socket)
        mine = await send(room=cast.inquiry, sender=cast.client, body="よろしくお願いします")
        assert (await socket.receive_json_from(timeout=WAIT))["seq"] == mine.seq
        # the next frame is the notification below, so no unread count was sent for my message
        await database_sync_to_async(notify)(
            user=cast.client, kind="test", message=lambda: "お知らせ"
        )
        assert await socket.receive_json_from(timeout=WAIT) == {
            "type": "notifications.unread",
            "count": 1,
        }
        await socket.disconnect()

    run(scenario)


def test_a_stranger_an_anonymous_visitor_and_another_site_are_refused(
    live: None, cast: Cast
) -> None:
    message_send(room=cast.inquiry, sender=cast.client, body="内密の相談です")
    stranger = socket_for(cast.stranger, room_path(cast))
    anonymous = socket_for(None, room_path(cast))
    anonymous_everywhere = socket_for(None, "/ws/live/")
    elsewhere = socket_for(cast.worker, room_path(cast), origin="https://evil.example")
    missing_room = socket_for(cast.worker, "/ws/rooms/999999/")

    async def scenario() -> None:
        for socket in (stranger, anonymous, anonymous_everywhere, elsewhere, missing_room):
            connected, _ = await socket.connect(timeout=WAIT)
            assert not connected
            await socket.disconnect()

    run(scenario)


def test_staff_who_are_not_members_get_no_room_socket(live: None, cast: Cast) -> None:
    staff = person("スタッフ", is_staff=True)
    socket = socket_for(staff, room_path(cast))

    async def scenario() -> None:
        assert not (await socket.connect(timeout=WAIT))[0]
        await socket.disconnect()

    run(scenario)


def test_the_personal_socket_carries_the_notification_count(live: None, cast: Cast) -> None:
    socket = socket_for(cast.worker, "/ws/live/")
    other = socket_for(cast.stranger, "/ws/live/")

    async def scenario() -> None:
        assert (await socket.connect(timeout=WAIT))[0]
        assert (await other.connect(timeout=WAIT))[0]
        assert await _opening_counts(socket) == {"notifications.unread": 0, "messages.unread": 0}
        await _opening_counts(other)

        await database_sync_to_async(notify)(
            user=cast.worker, kind="test", message=lambda: "契約が届きました"
        )
        assert await socket.receive_json_from(timeout=WAIT) == {
            "type": "notifications.unread",
            "count": 1,
        }
        await database_sync_to_async(notifications_mark_read)(user=cast.worker)
        assert await socket.receive_json_from(timeout=WAIT) == {
            "type": "notifications.unread",
            "count": 0,
        }
        # The stranger's socket heard nothing of the worker's: its next frame is its own.
        await database_sync_to_async(notify)(
            user=cast.stranger, kind="test", message=lambda: "あなた宛て"
        )
        assert await other.receive_json_from(timeout=WAIT) == {
            "type": "notifications.unread",
            "count": 1,
        }
        await socket.disconnect()
        await other.disconnect()

    run(scenario)


def test_a_member_removed_while_connected_hears_nothing_more_of_the_room(
    live: None, group: Group
) -> None:
    path = f"/ws/rooms/{group.room.pk}/"
    socket = socket_for(group.bob, path)

    async def scenario() -> None:
        assert (await socket.connect(timeout=WAIT))[0]
        await _opening_counts(socket)
        await database_sync_to_async(room_member_remove)(
            room=group.room, user=group.bob, by=group.client
        )
        await send(room=group.room, sender=group.client, body="ボブさん抜きで進めます")
        await database_sync_to_async(notify)(
            user=group.bob, kind="test", message=lambda: "グループから外れました"
        )
        # The notification is the next frame: the room's entry and its unread count never came.
        assert await socket.receive_json_from(timeout=WAIT) == {
            "type": "notifications.unread",
            "count": 1,
        }
        await socket.disconnect()

    run(scenario)
    assert RoomMember.objects.get(room=group.room, user=group.bob).removed_at is not None


def test_a_removed_member_cannot_open_the_room_socket(live: None, group: Group) -> None:
    room_member_remove(room=group.room, user=group.bob, by=group.client)
    socket = socket_for(group.bob, f"/ws/rooms/{group.room.pk}/")

    async def scenario() -> None:
        assert not (await socket.connect(timeout=WAIT))[0]
        await socket.disconnect()

    run(scenario)


def test_a_message_that_rolls_back_is_never_announced(live: None, cast: Cast) -> None:
    socket = socket_for(cast.worker, room_path(cast))

    def send_then_fail() -> None:
        with pytest.raises(RuntimeError), transaction.atomic():
            message_send(room=cast.inquiry, sender=cast.client, body="取り消されるメッセージ")
            raise RuntimeError("the request failed after the message")

    async def scenario() -> None:
        assert (await socket.connect(timeout=WAIT))[0]
        await _opening_counts(socket)
        await database_sync_to_async(send_then_fail)()
        kept = await send(room=cast.inquiry, sender=cast.client, body="こちらが本当の連絡です")
        assert await socket.receive_json_from(timeout=WAIT) == {
            "type": "room.changed",
            "room": cast.inquiry.pk,
            "seq": kept.seq,
        }
        await socket.disconnect()

    run(scenario)
    assert Message.objects.filter(room=cast.inquiry).count() == 1


@pytest.mark.django_db  # not transactional: the commit callbacks are captured
def test_off_the_services_publish_nothing_and_on_they_publish_after_the_commit(
    settings: Any, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LIVE_UPDATES = "poll"
    with django_capture_on_commit_callbacks() as callbacks:
        message_send(room=cast.inquiry, sender=cast.client, body="ポーリングのまま")
        notify(user=cast.worker, kind="test", message=lambda: "お知らせ")
    assert len(callbacks) == 1  # only the notification's e-mail

    settings.LIVE_UPDATES = "websocket"
    settings.CHANNEL_LAYERS = IN_MEMORY
    with django_capture_on_commit_callbacks() as callbacks:
        message_send(room=cast.inquiry, sender=cast.client, body="ライブ配信")
    assert len(callbacks) == 2  # the room's entry, the worker's unread count


def test_over_the_redis_channel_layer_a_message_reaches_the_other_party(settings: Any) -> None:
    settings.LIVE_UPDATES = "websocket"
    settings.CHANNEL_LAYERS = redis_layers()
    client = person("発注者R")
    worker = person("受注者R")
    room = room_open_inquiry(client=client, worker=worker, by=client, subject_id="redis")
    socket = socket_for(worker, f"/ws/rooms/{room.pk}/")

    async def scenario() -> None:
        assert (await socket.connect(timeout=WAIT))[0]
        assert await _opening_counts(socket) == {"notifications.unread": 0, "messages.unread": 0}
        sent = await send(room=room, sender=client, body="Redis 経由で届きます")
        assert await socket.receive_json_from(timeout=WAIT) == {
            "type": "room.changed",
            "room": room.pk,
            "seq": sent.seq,
        }
        assert await socket.receive_json_from(timeout=WAIT) == {
            "type": "messages.unread",
            "count": 1,
        }
        await socket.disconnect()

    run(scenario)
