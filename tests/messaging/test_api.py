from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tests.messaging.conftest import Cast, Group, person, stored
from tsunagu.messaging.models import Message, Pin, Task
from tsunagu.messaging.services import (
    message_delete,
    message_edit,
    message_send,
    room_member_remove,
    room_open_inquiry,
    task_create,
)

pytestmark = pytest.mark.django_db


_SECRETS: dict[int, str] = {}


def api(user: Any) -> dict[str, Any]:
    """The Authorization header of a personal token of ``user`` (one per user and test)."""
    if user.pk not in _SECRETS:
        _token, _SECRETS[user.pk] = make_token(user=user)
    return bearer(_SECRETS[user.pk])


@pytest.fixture(autouse=True)
def _fresh_tokens() -> None:
    _SECRETS.clear()


def post(client: Client, path: str, payload: Any, auth: dict[str, Any]) -> Any:
    body = payload if isinstance(payload, bytes) else json.dumps(payload)
    return client.post(path, body, content_type="application/json", **auth)


def messages_path(room_id: int) -> str:
    return f"/api/v1/rooms/{room_id}/messages"


# --- reading ----------------------------------------------------------------------------------


def test_rooms_lists_my_rooms_with_unread(client: Client, cast: Cast) -> None:
    message_send(room=cast.inquiry, sender=cast.client, body="こんにちは")
    rooms = client.get("/api/v1/rooms", **api(cast.worker)).json()
    assert [(r["id"], r["unread"], r["preview"]) for r in rooms] == [
        (cast.inquiry.pk, 1, "こんにちは")
    ]
    assert client.get("/api/v1/rooms", **api(cast.stranger)).json() == []
    assert client.get("/api/v1/rooms").status_code == 401


def test_rooms_query_count_is_constant(
    client: Client, cast: Cast, django_assert_num_queries: Any
) -> None:
    auth = api(cast.worker)
    message_send(room=cast.inquiry, sender=cast.client, body="一")
    client.get("/api/v1/rooms", **auth)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/rooms", **auth)
    for i in range(8):
        other = room_open_inquiry(client=person(f"依頼{i}"), worker=cast.worker, by=cast.worker)
        message_send(room=other, sender=other.client, body=f"相談 {i}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/api/v1/rooms", **auth)


def test_messages_with_edits_deletions_and_polling(client: Client, cast: Cast) -> None:
    first = message_send(room=cast.inquiry, sender=cast.client, body="初稿")
    second = message_send(room=cast.inquiry, sender=cast.client, body="消します")
    auth = api(cast.worker)
    page = client.get(messages_path(cast.inquiry.pk), **auth).json()
    assert [m["text"] for m in page["items"]] == ["初稿", "消します"] and page["last_seq"] == 2
    message_edit(message=first, by=cast.client, body="改訂")
    message_delete(message=second, by=cast.client)
    message_send(room=cast.inquiry, sender=cast.client, body="新着", reply_to=first)
    update = client.get(messages_path(cast.inquiry.pk) + "?after=2", **auth).json()
    assert [m["text"] for m in update["items"]] == ["新着"]
    assert update["items"][0]["reply_to"]["text"] == "改訂"
    changed = {m["seq"]: m for m in update["changed"]}
    assert changed[1]["text"] == "改訂" and changed[1]["revisions"] == 1
    assert changed[2]["deleted"] and changed[2]["text"] == ""
    assert update["last_seq"] == 5


def test_messages_query_count_is_constant(
    client: Client, cast: Cast, django_assert_num_queries: Any
) -> None:
    auth = api(cast.worker)
    message_send(room=cast.inquiry, sender=cast.client, body="一")
    client.get(messages_path(cast.inquiry.pk), **auth)
    with CaptureQueriesContext(connection) as few:
        client.get(messages_path(cast.inquiry.pk), **auth)
    for i in range(10):
        sent = message_send(room=cast.inquiry, sender=cast.client, body=f"@ワーカー {i}")
        message_edit(message=sent, by=cast.client, body=f"修正 {i}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(messages_path(cast.inquiry.pk), **auth)


def test_a_room_i_am_not_in_is_not_found(client: Client, cast: Cast) -> None:
    auth = api(cast.stranger)
    for path in (
        messages_path(cast.inquiry.pk),
        f"/api/v1/rooms/{cast.inquiry.pk}/pins",
        f"/api/v1/rooms/{cast.inquiry.pk}/tasks",
        f"/api/v1/rooms/{cast.inquiry.pk}/evidence",
    ):
        response = client.get(path, **auth)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = post(client, messages_path(cast.inquiry.pk), {"text": "やあ"}, auth)
    assert response.status_code == 404 and stored() == 0


def test_removed_member_reads_until_removal_and_cannot_write(client: Client, group: Group) -> None:
    message_send(room=group.room, sender=group.client, body="前")
    room_member_remove(room=group.room, user=group.bob, by=group.client)
    message_send(room=group.room, sender=group.client, body="後")
    auth = api(group.bob)
    page = client.get(messages_path(group.room.pk), **auth).json()
    assert [m["text"] for m in page["items"]] == ["前"]
    response = post(client, messages_path(group.room.pk), {"text": "まだいます"}, auth)
    assert response.status_code == 403 and response.json()["code"] == "read_only"
    assert stored() == 2


# --- sending ----------------------------------------------------------------------------------


def test_send_and_reply(client: Client, cast: Cast) -> None:
    first = message_send(room=cast.inquiry, sender=cast.client, body="質問です")
    response = post(
        client,
        messages_path(cast.inquiry.pk),
        {"text": "回答です", "reply_to": first.pk},
        api(cast.worker),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["text"] == "回答です" and body["reply_to"]["seq"] == 1


def test_contact_details_are_refused_with_findings(client: Client, cast: Cast) -> None:
    text = "電話は 〇九〇 一二三四 五六七八 です"
    response = post(
        client,
        messages_path(cast.inquiry.pk),
        {"text": text},
        {**api(cast.worker), "HTTP_ACCEPT_LANGUAGE": "ja"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "contact_blocked" and "外部連絡先" in body["message"]
    finding = body["findings"][0]
    assert finding["kind"] == "phone" and finding["label"] == "電話番号"
    assert text[finding["start"] : finding["end"]] == finding["text"]
    assert stored() == 0


def test_ten_thousand_characters_accepted_ten_thousand_and_one_refused(
    client: Client, cast: Cast
) -> None:
    auth = {**api(cast.worker), "HTTP_ACCEPT_LANGUAGE": "en"}
    refused = post(client, messages_path(cast.inquiry.pk), {"text": "a" * 10_001}, auth)
    assert refused.status_code == 422 and refused.json()["code"] == "too_long"
    assert "10,000" in refused.json()["message"] and stored() == 0
    accepted = post(client, messages_path(cast.inquiry.pk), {"text": "a" * 10_000}, auth)
    assert accepted.status_code == 201 and len(Message.objects.get().body) == 10_000


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b'{"text": "\xff\xfe"}', 400, "invalid_encoding"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", 400, "invalid_encoding"),
        (b"\x00\x01\x02binary", 400, "malformed_json"),
        # control characters and lone surrogates: the input rules of every text field
        (b'{"text": "a\\u0000b"}', 422, "invalid"),
        (b'{"text": "\\ud800"}', 422, "invalid"),
        (b'{"text": ""}', 422, "empty"),
        (b'{"text": 5}', 422, "invalid"),
        (b'{"text": "x", "extra": 1}', 422, "invalid"),
        (b"not json", 400, "malformed_json"),
        (b'{"text": "x", "reply_to": 999999}', 422, "invalid"),
    ],
)
def test_bad_bodies_get_clear_errors_and_store_nothing(
    client: Client, cast: Cast, body: bytes, status: int, code: str
) -> None:
    response = post(client, messages_path(cast.inquiry.pk), body, api(cast.worker))
    assert response.status_code == status, response.content
    assert response.json()["code"] == code and response.json()["message"]
    assert stored() == 0


def test_edit_and_delete_by_the_sender_only(client: Client, cast: Cast) -> None:
    sent = message_send(room=cast.inquiry, sender=cast.client, body="初稿")
    path = f"{messages_path(cast.inquiry.pk)}/{sent.pk}"
    other = post(client, path + "/edit", {"text": "乗っ取り"}, api(cast.worker))
    assert other.status_code == 403 and other.json()["code"] == "not_the_sender"
    owner = api(cast.client)
    edited = post(client, path + "/edit", {"text": "改訂"}, owner).json()
    assert edited["text"] == "改訂" and edited["revisions"] == 1
    deleted = post(client, path + "/delete", {}, owner).json()
    assert deleted["deleted"]
    again = post(client, path + "/delete", {}, owner)
    assert again.status_code == 409 and again.json()["code"] == "already_deleted"
    assert stored() == 3


# --- pins, tasks, evidence ----------------------------------------------------------------------


def test_pins(client: Client, group: Group) -> None:
    manual = message_send(room=group.room, sender=group.client, body="マニュアル")
    created = post(
        client, f"/api/v1/rooms/{group.room.pk}/pins", {"message_id": manual.pk}, api(group.alice)
    )
    assert created.status_code == 201 and created.json()["message"]["text"] == "マニュアル"
    listed = client.get(f"/api/v1/rooms/{group.room.pk}/pins", **api(group.bob)).json()
    assert [p["message_id"] for p in listed] == [manual.pk]
    pin = Pin.objects.get()
    removed = post(
        client, f"/api/v1/rooms/{group.room.pk}/pins/{pin.pk}/remove", {}, api(group.bob)
    )
    assert removed.status_code == 204
    stranger = post(
        client, f"/api/v1/rooms/{group.room.pk}/pins", {"message_id": manual.pk}, api(UserFactory())
    )
    assert stranger.status_code == 404


def test_tasks_with_due_times_in_the_assignee_zone(client: Client, group: Group) -> None:
    path = f"/api/v1/rooms/{group.room.pk}/tasks"
    created = post(
        client,
        path,
        {"title": "用語集", "assignee_id": group.alice.pk, "due_at": "2030-03-10T18:00:00+09:00"},
        api(group.client),
    )
    assert created.status_code == 201
    task = created.json()
    assert task["assignee_time_zone"] == "Europe/Berlin"
    assert task["due_local"].startswith("2030-03-10T10:00:00+01:00")
    mine = client.get("/api/v1/me/tasks", **api(group.alice)).json()
    assert [t["title"] for t in mine] == ["用語集"]
    done = post(client, f"/api/v1/tasks/{task['id']}/done", {"done": True}, api(group.alice))
    assert done.json()["done"] is True
    assert client.get("/api/v1/me/tasks", **api(group.alice)).json() == []
    outsider = post(
        client, path, {"title": "x", "assignee_id": UserFactory().pk}, api(group.client)
    )
    assert outsider.status_code == 422 and outsider.json()["code"] == "not_in_room"
    naive = post(
        client,
        path,
        {"title": "x", "assignee_id": group.bob.pk, "due_at": "2030-03-10T18:00"},
        api(group.client),
    )
    assert naive.status_code == 422
    assert Task.objects.count() == 1
    not_mine = post(client, f"/api/v1/tasks/{task['id']}/done", {"done": False}, api(UserFactory()))
    assert not_mine.status_code == 404


def test_my_tasks_query_count_is_constant(
    client: Client, group: Group, django_assert_num_queries: Any
) -> None:
    auth = api(group.alice)
    task_create(room=group.room, by=group.client, title="一", assignee=group.alice)
    client.get("/api/v1/me/tasks", **auth)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/me/tasks", **auth)
    for i in range(10):
        task_create(room=group.room, by=group.client, title=f"作業{i}", assignee=group.alice)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/api/v1/me/tasks", **auth)


def test_evidence_zip(client: Client, cast: Cast) -> None:
    message_send(room=cast.inquiry, sender=cast.client, body="記録")
    response = client.get(f"/api/v1/rooms/{cast.inquiry.pk}/evidence", **api(cast.worker))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "manifest.json" in names and "messages.json" in names
