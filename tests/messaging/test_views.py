from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.contracts.factories import give_balance, offer
from tests.messaging.conftest import Cast, Group, person, stored
from tsunagu.contracts.services import milestone_fund_from_wallet
from tsunagu.messaging.models import GuardEvent, Message, Pin, Room, RoomMember, Task
from tsunagu.messaging.services import (
    message_delete,
    message_edit,
    message_send,
    pin_add,
    room_for_contract,
    room_member_remove,
    room_open_inquiry,
    task_create,
)

pytestmark = pytest.mark.django_db

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}
KANJI_PHONE = "電話でお話ししましょう 〇九〇 一二三四 五六七八 まで"


def url(name: str, *args: Any) -> str:
    return reverse(f"messaging:{name}", args=args)


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- room list and access -------------------------------------------------------------------


def test_room_list_shows_my_rooms_with_unread_counts_and_previews(cast: Cast) -> None:
    message_send(room=cast.inquiry, sender=cast.client, body="はじめまして。翻訳の相談です")
    message_send(room=cast.inquiry, sender=cast.client, body="見積もりをお願いします")
    page = logged_in(cast.worker).get(url("rooms"))
    assert page.status_code == 200
    html = page.content.decode()
    assert cast.inquiry.title in html and "見積もりをお願いします" in html
    assert 'data-testid="room-unread">2<' in html
    # the sender has nothing unread, the stranger sees no room
    assert (
        'data-testid="room-unread"' not in logged_in(cast.client).get(url("rooms")).content.decode()
    )
    assert (
        url("room", cast.inquiry.pk)
        not in logged_in(cast.stranger).get(url("rooms")).content.decode()
    )


def test_room_list_needs_login(client: Client) -> None:
    response = client.get(url("rooms"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_room_list_query_count_is_constant(cast: Cast, django_assert_num_queries: Any) -> None:
    me = logged_in(cast.worker)
    message_send(room=cast.inquiry, sender=cast.client, body="一件目")
    me.get(url("rooms"))
    with CaptureQueriesContext(connection) as few:
        me.get(url("rooms"))
    for i in range(8):
        other = room_open_inquiry(client=person(f"依頼{i}"), worker=cast.worker, by=cast.worker)
        sent = message_send(room=other, sender=other.client, body=f"相談 {i}")
        message_edit(message=sent, by=other.client, body=f"相談（修正） {i}")
    with django_assert_num_queries(len(few.captured_queries)):
        me.get(url("rooms"))


def test_room_page_for_members_staff_and_not_strangers(cast: Cast) -> None:
    message_send(room=cast.inquiry, sender=cast.client, body="こんにちは")
    assert logged_in(cast.worker).get(url("room", cast.inquiry.pk)).status_code == 200
    assert logged_in(cast.stranger).get(url("room", cast.inquiry.pk)).status_code == 404
    staff = UserFactory(is_staff=True)
    page = logged_in(staff).get(url("room", cast.inquiry.pk))
    assert page.status_code == 200 and 'id="composer"' not in page.content.decode()
    assert logged_in(cast.worker).get(url("room", 999_999)).status_code == 404


def test_viewing_the_room_moves_the_read_marker(cast: Cast) -> None:
    message_send(room=cast.inquiry, sender=cast.client, body="一")
    message_send(room=cast.inquiry, sender=cast.client, body="二")
    logged_in(cast.worker).get(url("room", cast.inquiry.pk))
    member = RoomMember.objects.get(room=cast.inquiry, user=cast.worker)
    assert member.last_read_seq == 2
    badge = logged_in(cast.worker).get(url("unread")).content.decode()
    assert "messages-unread" not in badge


def test_nav_badge_counts_unread_messages(cast: Cast) -> None:
    message_send(room=cast.inquiry, sender=cast.client, body="未読です")
    badge = logged_in(cast.worker).get(url("unread")).content.decode()
    assert 'data-testid="messages-unread">1<' in badge
    home = logged_in(cast.worker).get("/").content.decode()
    assert 'id="nav-messages"' in home


def test_removed_member_reads_until_removal_and_cannot_write(group: Group) -> None:
    message_send(room=group.room, sender=group.client, body="前半の話")
    room_member_remove(room=group.room, user=group.bob, by=group.client)
    message_send(room=group.room, sender=group.client, body="削除後の話")
    bob = logged_in(group.bob)
    html = bob.get(url("room", group.room.pk)).content.decode()
    assert "前半の話" in html and "削除後の話" not in html
    assert 'id="composer"' not in html
    before = stored()
    assert bob.post(url("send", group.room.pk), {"body": "まだいます"}).status_code == 403
    assert stored() == before
    poll = bob.get(url("poll", group.room.pk) + "?after=1")
    assert poll.status_code == 204


# --- sending ----------------------------------------------------------------------------------


def test_send_with_htmx_returns_a_fresh_composer_and_signals_the_poller(cast: Cast) -> None:
    response = logged_in(cast.worker).post(
        url("send", cast.inquiry.pk), {"body": "よろしくお願いします"}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "messaging-sent"
    assert Message.objects.get().body == "よろしくお願いします"


def test_send_without_htmx_redirects_to_the_message(cast: Cast) -> None:
    response = logged_in(cast.worker).post(url("send", cast.inquiry.pk), {"body": "はい"})
    assert response.status_code == 302 and response["Location"].endswith("#m1")


def test_send_with_a_file_and_a_reply(cast: Cast) -> None:
    first = message_send(room=cast.inquiry, sender=cast.client, body="資料をください")
    me = logged_in(cast.worker)
    response = me.post(
        url("send", cast.inquiry.pk),
        {
            "body": "どうぞ",
            "reply_to": first.pk,
            "attachments": [SimpleUploadedFile("notes.txt", "メモ".encode())],
        },
    )
    assert response.status_code == 302
    sent = Message.objects.get(seq=2)
    assert sent.reply_to == first and sent.attachments.count() == 1
    html = me.get(url("room", cast.inquiry.pk)).content.decode()
    assert "notes.txt" in html and "資料をください" in html
    attachment = sent.attachments.get()
    download = me.get(url("attachment", cast.inquiry.pk, attachment.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == "メモ".encode()  # type: ignore[attr-defined]
    assert (
        logged_in(cast.stranger).get(url("attachment", cast.inquiry.pk, attachment.pk)).status_code
        == 404
    )


def test_contact_details_are_blocked_with_highlight_and_the_text_kept(cast: Cast) -> None:
    text = "よろしくお願いします。\r\n" + KANJI_PHONE
    response = logged_in(cast.worker).post(url("send", cast.inquiry.pk), {"body": text}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert stored() == 0 and GuardEvent.objects.filter(blocked=True).count() == 1
    assert 'data-testid="guard-blocked"' in html
    assert "電話番号" in html  # the kind, named in Japanese
    assert '<mark class="guard-mark">〇九〇 一二三四 五六七八</mark>' in html
    assert "電話でお話ししましょう" in html  # the composer keeps the text to edit
    assert "HX-Trigger" not in response


def test_blocked_text_is_escaped_in_the_highlight(cast: Cast) -> None:
    text = "<b>x</b> 連絡は taro@gmail.com へ"
    html = (
        logged_in(cast.worker)
        .post(url("send", cast.inquiry.pk), {"body": text}, **HTMX)
        .content.decode()
    )
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert '<mark class="guard-mark">taro@gmail.com</mark>' in html
    assert stored() == 0


def test_blocked_without_htmx_renders_the_room_with_the_explanation(cast: Cast) -> None:
    response = logged_in(cast.worker).post(url("send", cast.inquiry.pk), {"body": KANJI_PHONE})
    assert response.status_code == 400
    assert '<mark class="guard-mark">' in response.content.decode()
    assert stored() == 0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", "メッセージを入力するか"),
        ("x" * 10_001, "10,000"),
    ],
)
def test_bad_messages_are_refused_with_a_message_and_nothing_stored(
    cast: Cast, body: str, expected: str
) -> None:
    response = logged_in(cast.worker).post(url("send", cast.inquiry.pk), {"body": body}, **HTMX)
    assert expected in response.content.decode()
    assert stored() == 0


def test_a_ten_thousand_character_message_is_accepted(cast: Cast) -> None:
    logged_in(cast.worker).post(url("send", cast.inquiry.pk), {"body": "あ" * 10_000}, **HTMX)
    assert len(Message.objects.get().body) == 10_000


def test_strangers_cannot_send(cast: Cast) -> None:
    response = logged_in(cast.stranger).post(url("send", cast.inquiry.pk), {"body": "やあ"})
    assert response.status_code == 404 and stored() == 0


def test_replying_to_a_message_of_another_room_is_refused(cast: Cast, group: Group) -> None:
    elsewhere = message_send(room=group.room, sender=group.client, body="別の部屋")
    before = stored()
    response = logged_in(cast.worker).post(
        url("send", cast.inquiry.pk), {"body": "返信", "reply_to": elsewhere.pk}, **HTMX
    )
    assert "このルームにありません" in response.content.decode()
    assert stored() == before


def test_solicitation_notice_shows_to_both_sides(cast: Cast) -> None:
    message_send(
        room=cast.inquiry, sender=cast.client, body="手数料がもったいないので直接取引しませんか？"
    )
    for user in (cast.client, cast.worker):
        html = logged_in(user).get(url("room", cast.inquiry.pk)).content.decode()
        assert 'data-notice="solicit"' in html and "Tsunagu の外" in html


def test_after_funding_contact_details_arrive_with_a_reminder() -> None:
    contract = offer()
    milestone = contract.milestones.get()
    give_balance(contract.client, milestone.gross)
    milestone_fund_from_wallet(milestone=milestone, by=contract.client)
    worker = logged_in(contract.worker)
    room_url = worker.get(url("contract_room", contract.pk))["Location"]
    room = Room.objects.get(contract=contract)
    worker.post(url("send", room.pk), {"body": KANJI_PHONE}, **HTMX)
    assert Message.objects.get(room=room).guard_notice == "reminder"
    html = logged_in(contract.client).get(room_url).content.decode()
    assert 'data-notice="reminder"' in html


# --- polling and older messages -----------------------------------------------------------------


def test_poll_returns_new_messages_and_replaces_edited_ones(cast: Cast) -> None:
    first = message_send(room=cast.inquiry, sender=cast.client, body="初稿")
    me = logged_in(cast.worker)
    assert me.get(url("poll", cast.inquiry.pk) + "?after=1").status_code == 204
    message_send(room=cast.inquiry, sender=cast.client, body="追伸")
    message_edit(message=first, by=cast.client, body="改訂版")
    html = me.get(url("poll", cast.inquiry.pk) + "?after=1").content.decode()
    assert "追伸" in html and 'id="m2"' in html
    assert 'id="m1"' in html and 'hx-swap-oob="outerHTML"' in html and "改訂版" in html
    assert "?after=3" in html  # the next poll starts after the edit
    assert RoomMember.objects.get(room=cast.inquiry, user=cast.worker).last_read_seq == 3
    assert (
        logged_in(cast.stranger).get(url("poll", cast.inquiry.pk) + "?after=0").status_code == 404
    )


def test_poll_query_count_is_constant(cast: Cast, django_assert_num_queries: Any) -> None:
    me = logged_in(cast.worker)
    message_send(room=cast.inquiry, sender=cast.client, body="一")
    with CaptureQueriesContext(connection) as few:
        me.get(url("poll", cast.inquiry.pk) + "?after=0")
    for i in range(10):
        sent = message_send(room=cast.inquiry, sender=cast.client, body=f"@ワーカー {i}")
        message_edit(message=sent, by=cast.client, body=f"修正 {i}")
    with django_assert_num_queries(len(few.captured_queries)):
        me.get(url("poll", cast.inquiry.pk) + "?after=0")


def test_room_page_query_count_is_constant(cast: Cast, django_assert_num_queries: Any) -> None:
    me = logged_in(cast.worker)
    first = message_send(room=cast.inquiry, sender=cast.client, body="一")
    pin_add(message=first, by=cast.client)
    task_create(room=cast.inquiry, by=cast.client, title="最初の作業", assignee=cast.worker)
    me.get(url("room", cast.inquiry.pk))
    with CaptureQueriesContext(connection) as few:
        me.get(url("room", cast.inquiry.pk))
    for i in range(10):
        sent = message_send(
            room=cast.inquiry,
            sender=cast.client,
            body=f"{i}",
            attachments=[SimpleUploadedFile(f"{i}.txt", b"memo")],
        )
        pin_add(message=sent, by=cast.client)
        task_create(room=cast.inquiry, by=cast.client, title=f"作業 {i}", assignee=cast.worker)
    message_delete(message=sent, by=cast.client)
    with django_assert_num_queries(len(few.captured_queries)):
        me.get(url("room", cast.inquiry.pk))


def test_older_messages_are_loaded_on_demand(cast: Cast) -> None:
    for i in range(55):
        message_send(room=cast.inquiry, sender=cast.client, body=f"メッセージ{i:02d}")
    me = logged_in(cast.worker)
    html = me.get(url("room", cast.inquiry.pk)).content.decode()
    assert "メッセージ54" in html and "メッセージ04" not in html and "?before=6" in html
    older = me.get(url("older", cast.inquiry.pk) + "?before=6").content.decode()
    assert "メッセージ00" in older and "メッセージ04" in older and "メッセージ05" not in older
    assert 'id="older"' not in older
    assert (
        logged_in(cast.stranger).get(url("older", cast.inquiry.pk) + "?before=6").status_code == 404
    )


# --- edit, delete, revisions ------------------------------------------------------------------


def test_only_the_sender_edits_and_everyone_sees_edited(cast: Cast) -> None:
    sent = message_send(room=cast.inquiry, sender=cast.client, body="納期は10日です")
    other = logged_in(cast.worker)
    assert (
        other.post(url("edit", cast.inquiry.pk, sent.pk), {"body": "乗っ取り"}).status_code == 403
    )
    assert other.get(url("edit", cast.inquiry.pk, sent.pk)).status_code == 403
    me = logged_in(cast.client)
    assert me.get(url("edit", cast.inquiry.pk, sent.pk)).status_code == 200
    response = me.post(url("edit", cast.inquiry.pk, sent.pk), {"body": "納期は12日です"})
    assert response.status_code == 302
    html = other.get(url("room", cast.inquiry.pk)).content.decode()
    assert "納期は12日です" in html and "編集済み" in html
    versions = other.get(url("revisions", cast.inquiry.pk, sent.pk)).content.decode()
    assert "納期は10日です" in versions and "納期は12日です" in versions
    assert (
        logged_in(cast.stranger).get(url("revisions", cast.inquiry.pk, sent.pk)).status_code == 404
    )


def test_edit_that_adds_contact_details_is_blocked(cast: Cast) -> None:
    sent = message_send(room=cast.inquiry, sender=cast.worker, body="よろしくお願いします")
    response = logged_in(cast.worker).post(
        url("edit", cast.inquiry.pk, sent.pk), {"body": KANJI_PHONE}
    )
    assert response.status_code == 400 and '<mark class="guard-mark">' in response.content.decode()
    assert Message.objects.filter(kind="edit").count() == 0


def test_delete_leaves_a_tombstone_and_hides_the_text(cast: Cast) -> None:
    sent = message_send(room=cast.inquiry, sender=cast.client, body="間違えました")
    assert logged_in(cast.worker).post(url("delete", cast.inquiry.pk, sent.pk)).status_code == 302
    assert Message.objects.filter(kind="delete").count() == 0  # not the sender: refused
    logged_in(cast.client).post(url("delete", cast.inquiry.pk, sent.pk))
    html = logged_in(cast.worker).get(url("room", cast.inquiry.pk)).content.decode()
    assert "このメッセージは削除されました" in html and "間違えました" not in html
    versions = logged_in(cast.worker).get(url("revisions", cast.inquiry.pk, sent.pk))
    assert "間違えました" not in versions.content.decode()
    staff = logged_in(UserFactory(is_staff=True))
    assert "間違えました" in staff.get(url("revisions", cast.inquiry.pk, sent.pk)).content.decode()


# --- pins, tasks, members -----------------------------------------------------------------------


def test_pin_and_unpin(group: Group) -> None:
    manual = message_send(
        room=group.room, sender=group.client, body="作業マニュアル：必ず読んでください"
    )
    alice = logged_in(group.alice)
    alice.post(url("pin", group.room.pk, manual.pk))
    pin = Pin.objects.get(unpinned_at__isnull=True)
    html = logged_in(group.bob).get(url("room", group.room.pk)).content.decode()
    assert 'id="pins"' in html and html.count("作業マニュアル") == 2
    assert logged_in(UserFactory()).post(url("unpin", group.room.pk, pin.pk)).status_code == 404
    alice.post(url("unpin", group.room.pk, pin.pk))
    assert not Pin.objects.filter(unpinned_at__isnull=True).exists()


def test_task_with_due_time_shown_in_the_assignee_zone(group: Group) -> None:
    client = logged_in(group.client)
    response = client.post(
        url("task_add", group.room.pk),
        {
            "title": "用語集の確認",
            "assignee": group.alice.pk,
            "due_date": "2030-03-10",
            "due_time": "18:00",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.due_at == datetime.datetime(2030, 3, 10, 18, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    room_html = client.get(url("room", group.room.pk)).content.decode()
    assert "Europe/Berlin" in room_html  # the client (Tokyo) is told the zone differs
    mine = logged_in(group.alice).get(url("tasks")).content.decode()
    assert "用語集の確認" in mine and "10:00" in mine and "Europe/Berlin" in mine
    assert "担当者のタイムゾーン" not in mine  # the assignee reads it in their own zone
    # someone outside the room cannot tick it; the assignee can, and undo it
    assert (
        logged_in(UserFactory()).post(url("task_done", task.pk), {"done": "1"}).status_code == 404
    )
    logged_in(group.alice).post(url("task_done", task.pk), {"done": "1"})
    task.refresh_from_db()
    assert task.done_at is not None
    assert "用語集の確認" not in logged_in(group.alice).get(url("tasks")).content.decode()
    logged_in(group.alice).post(url("task_done", task.pk), {"done": "0"})
    task.refresh_from_db()
    assert task.done_at is None


def test_a_member_who_may_not_tick_a_task_is_told_why(group: Group) -> None:
    task = task_create(room=group.room, by=group.client, title="構成案", assignee=group.alice)
    response = logged_in(group.bob).post(url("task_done", task.pk), {"done": "1"}, follow=True)
    assert response.status_code == 200
    assert "このタスクを変更できるのは" in response.content.decode()
    task.refresh_from_db()
    assert task.done_at is None


def test_task_for_someone_outside_the_room_is_refused(group: Group) -> None:
    outsider = UserFactory()
    response = logged_in(group.client).post(
        url("task_add", group.room.pk), {"title": "x", "assignee": outsider.pk}
    )
    assert response.status_code == 400 and Task.objects.count() == 0


def test_my_tasks_query_count_is_constant(group: Group, django_assert_num_queries: Any) -> None:
    alice = logged_in(group.alice)
    task_create(room=group.room, by=group.client, title="一", assignee=group.alice)
    with CaptureQueriesContext(connection) as few:
        alice.get(url("tasks"))
    for i in range(10):
        task_create(room=group.room, by=group.client, title=f"作業{i}", assignee=group.alice)
    with django_assert_num_queries(len(few.captured_queries)):
        alice.get(url("tasks"))


def test_owner_adds_and_removes_workers_by_email_or_profile(group: Group) -> None:
    newcomer = person("Carol")
    owner = logged_in(group.client)
    response = owner.post(url("member_add", group.room.pk), {"person": newcomer.email.upper()})
    assert response.status_code == 302
    assert RoomMember.objects.filter(room=group.room, user=newcomer).exists()
    fourth = person("Dave")
    profile_url = f"http://testserver/profiles/{fourth.profile.pk}/"
    owner.post(url("member_add", group.room.pk), {"person": profile_url})
    assert RoomMember.objects.filter(room=group.room, user=fourth).exists()
    owner.post(url("member_remove", group.room.pk, newcomer.pk))
    assert RoomMember.objects.get(room=group.room, user=newcomer).removed_at is not None


def test_members_cannot_manage_members_and_unknown_people_are_explained(group: Group) -> None:
    newcomer = person("Carol")
    response = logged_in(group.alice).post(
        url("member_add", group.room.pk), {"person": newcomer.email}, follow=True
    )
    assert "クライアントだけ" in response.content.decode()
    assert not RoomMember.objects.filter(user=newcomer).exists()
    logged_in(group.alice).post(url("member_remove", group.room.pk, group.bob.pk))
    assert RoomMember.objects.get(user=group.bob, room=group.room).removed_at is None
    response = logged_in(group.client).post(
        url("member_add", group.room.pk), {"person": "nobody@example.com"}
    )
    assert response.status_code == 400 and "見つかりません" in response.content.decode()


# --- evidence, staff record -------------------------------------------------------------------


def test_evidence_for_members_removed_members_and_staff_only(group: Group) -> None:
    message_send(room=group.room, sender=group.client, body="記録")
    room_member_remove(room=group.room, user=group.bob, by=group.client)
    for user in (group.client, group.bob, UserFactory(is_staff=True)):
        response = logged_in(user).get(url("evidence", group.room.pk))
        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        assert "messages.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert logged_in(UserFactory()).get(url("evidence", group.room.pk)).status_code == 404


def test_staff_record_shows_originals_and_the_chain_check(cast: Cast) -> None:
    sent = message_send(room=cast.inquiry, sender=cast.client, body="原文")
    message_edit(message=sent, by=cast.client, body="改訂")
    message_delete(message=sent, by=cast.client)
    staff = logged_in(UserFactory(is_staff=True))
    html = staff.get(url("staff_history", cast.inquiry.pk)).content.decode()
    assert "原文" in html and "改訂" in html and "alert-success" in html
    Message.objects.filter(pk=sent.pk).update(body="改ざん")
    html = staff.get(url("staff_history", cast.inquiry.pk)).content.decode()
    assert "alert-error" in html and "#1" in html
    for user in (cast.client, cast.stranger):
        assert logged_in(user).get(url("staff_history", cast.inquiry.pk)).status_code == 404


# --- starting rooms ---------------------------------------------------------------------------


def test_inquiry_from_a_profile_is_opened_once(cast: Cast) -> None:
    asker = logged_in(cast.stranger)
    first = asker.post(url("inquiry_start"), {"profile": cast.worker.profile.pk})
    second = asker.post(url("inquiry_start"), {"worker": cast.worker.pk})
    assert first.status_code == 302 and first["Location"] == second["Location"]
    room = Room.objects.get(kind="inquiry", client=cast.stranger)
    assert set(room.members.values_list("user_id", flat=True)) == {cast.stranger.pk, cast.worker.pk}
    assert asker.get(url("inquiry_start")).status_code == 405


def test_inquiry_with_oneself_or_nobody_is_refused(cast: Cast) -> None:
    before = Room.objects.count()
    me = logged_in(cast.worker)
    response = me.post(url("inquiry_start"), {"profile": cast.worker.profile.pk}, follow=True)
    assert "自分" in response.content.decode()
    me.post(url("inquiry_start"), {"profile": 999_999})
    assert Room.objects.count() == before


def test_contract_room_for_the_parties_only() -> None:
    contract = offer()
    response = logged_in(contract.client).get(url("contract_room", contract.pk))
    assert response.status_code == 302
    assert logged_in(UserFactory()).get(url("contract_room", contract.pk)).status_code == 404
    assert Room.objects.filter(contract=contract).count() == 1
    room = room_for_contract(contract=contract)
    staff = logged_in(UserFactory(is_staff=True))
    assert staff.get(url("contract_room", contract.pk))["Location"] == url("room", room.pk)


def test_group_creation_with_workers(cast: Cast) -> None:
    me = logged_in(cast.client)
    assert me.get(url("group_create")).status_code == 200
    response = me.post(
        url("group_create"), {"title": "記事チーム", "people": f"{cast.worker.email}\n"}
    )
    room = Room.objects.get(kind="group")
    assert response["Location"] == url("room", room.pk)
    assert room.members.filter(user=cast.worker, role="worker").exists()


def test_group_creation_with_unknown_people_changes_nothing(cast: Cast) -> None:
    response = logged_in(cast.client).post(
        url("group_create"), {"title": "記事チーム", "people": "ghost@example.com"}
    )
    assert response.status_code == 400 and "ghost@example.com" in response.content.decode()
    assert not Room.objects.filter(kind="group").exists()
