from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from tests.accounts.factories import UserFactory
from tests.messaging.conftest import Cast, Group
from tsunagu.messaging import selectors
from tsunagu.messaging.display import highlight
from tsunagu.messaging.models import Message
from tsunagu.messaging.services import (
    message_delete,
    message_edit,
    message_send,
    room_mark_read,
    room_member_remove,
    task_create,
)

pytestmark = pytest.mark.django_db


def access(room: Any, user: Any) -> selectors.Access:
    return selectors.room_access(room_id=room.pk, viewer=user)


def test_access_for_members_removed_members_staff_and_strangers(group: Group) -> None:
    message_send(room=group.room, sender=group.client, body="一")
    room_member_remove(room=group.room, user=group.bob, by=group.client)
    message_send(room=group.room, sender=group.client, body="二")
    assert access(group.room, group.alice).last_seq == 2
    bob = access(group.room, group.bob)
    assert bob.last_seq == 1 and bob.removed and not bob.active
    staff = access(group.room, UserFactory(is_staff=True))
    assert staff.last_seq == 2 and not staff.active and staff.is_staff
    with pytest.raises(Http404):
        access(group.room, UserFactory())


def test_history_shows_current_text_edits_tombstones_and_replies(cast: Cast) -> None:
    first = message_send(room=cast.inquiry, sender=cast.client, body="初稿")
    message_edit(message=first, by=cast.client, body="第二稿")
    message_edit(message=first, by=cast.client, body="第三稿")
    gone = message_send(room=cast.inquiry, sender=cast.worker, body="消す")
    message_send(room=cast.inquiry, sender=cast.worker, body="返信", reply_to=gone)
    message_delete(message=gone, by=cast.worker)
    page = selectors.room_history(access=access(cast.inquiry, cast.worker))
    one, two, three = page.items
    assert (one.text, one.revisions, one.edited, one.mine) == ("第三稿", 2, True, False)
    assert two.deleted and two.text == "" and not two.edited and two.mine
    assert three.reply is not None and three.reply.deleted and three.reply.text == ""
    assert not page.has_older and page.last_seq == 6


def test_removed_member_sees_the_text_as_it_was_at_removal(group: Group) -> None:
    sent = message_send(room=group.room, sender=group.client, body="当初の指示")
    room_member_remove(room=group.room, user=group.bob, by=group.client)
    message_edit(message=sent, by=group.client, body="変更後の指示")
    item = selectors.room_history(access=access(group.room, group.bob)).items[0]
    assert item.text == "当初の指示" and item.revisions == 0
    assert selectors.room_updates(access=access(group.room, group.bob), after=1).changed == []


def test_backwards_pages_and_incremental_updates(cast: Cast) -> None:
    for i in range(7):
        message_send(room=cast.inquiry, sender=cast.client, body=str(i))
    viewer = access(cast.inquiry, cast.worker)
    newest = selectors.room_history(access=viewer, size=3)
    assert [i.text for i in newest.items] == ["4", "5", "6"] and newest.has_older
    older = selectors.room_history(access=viewer, before=newest.first_seq, size=3)
    assert [i.text for i in older.items] == ["1", "2", "3"] and older.has_older
    oldest = selectors.room_history(access=viewer, before=older.first_seq, size=3)
    assert [i.text for i in oldest.items] == ["0"] and not oldest.has_older
    update = selectors.room_updates(access=viewer, after=6)
    assert [i.text for i in update.new] == ["6"] and update.changed == []
    assert selectors.room_updates(access=viewer, after=7).new == []


def test_revisions_hide_a_deleted_text_from_members_but_not_staff(cast: Cast) -> None:
    sent = message_send(room=cast.inquiry, sender=cast.client, body="秘密")
    message_edit(message=sent, by=cast.client, body="秘密2")
    message_delete(message=sent, by=cast.client)
    member_versions, deleted = selectors.message_revisions(
        access=access(cast.inquiry, cast.worker), message=sent
    )
    assert deleted and all(v.text == "" for v in member_versions)
    staff_versions, _ = selectors.message_revisions(
        access=access(cast.inquiry, UserFactory(is_staff=True)), message=sent
    )
    assert [v.text for v in staff_versions] == ["秘密", "秘密2", ""]


def test_room_list_unread_preview_and_total(cast: Cast, group: Group) -> None:
    message_send(room=cast.inquiry, sender=cast.client, body="一")
    gone = message_send(room=cast.inquiry, sender=cast.client, body="二")
    message_delete(message=gone, by=cast.client)
    rows = selectors.rooms_for_user(user=cast.worker)
    assert len(rows) == 1
    # the deleted message leaves nothing to read: one unread, not two
    assert rows[0].unread == 1 and rows[0].preview_deleted and rows[0].preview == ""
    assert selectors.unread_total(user_id=cast.worker.pk) == 1
    cast.inquiry.refresh_from_db()
    room_mark_read(room=cast.inquiry, user=cast.worker, seq=3)
    assert selectors.unread_total(user_id=cast.worker.pk) == 0
    assert selectors.unread_total(user_id=cast.client.pk) == 0  # own messages never count


def test_my_tasks_skip_rooms_i_left_and_done_ones(group: Group) -> None:
    open_task = task_create(room=group.room, by=group.client, title="開", assignee=group.bob)
    task_create(room=group.room, by=group.client, title="別", assignee=group.alice)
    assert selectors.tasks_for_user(user=group.bob) == [open_task]
    room_member_remove(room=group.room, user=group.bob, by=group.client)
    assert selectors.tasks_for_user(user=group.bob) == []


def test_staff_record_names_the_first_altered_entry(cast: Cast) -> None:
    for body in ("一", "二", "三"):
        message_send(room=cast.inquiry, sender=cast.client, body=body)
    assert selectors.staff_record(room=cast.inquiry).first_broken is None
    Message.objects.filter(room=cast.inquiry, seq=2).update(body="改ざん")
    assert selectors.staff_record(room=cast.inquiry).first_broken == 2


def test_highlight_escapes_and_merges_overlapping_spans() -> None:
    text = "<i>090-1234-5678</i>"
    findings = [{"start": 3, "end": 10}, {"start": 8, "end": 16}]
    assert str(highlight(text, findings)) == (
        '&lt;i&gt;<mark class="guard-mark">090-1234-5678</mark>&lt;/i&gt;'
    )
    assert str(highlight("abc", [{"start": 5, "end": 9}])) == "abc"


def test_edits_and_deletions_are_not_unread(cast: Cast, group: Group) -> None:
    first = message_send(room=cast.inquiry, sender=cast.client, body="一")
    second = message_send(room=cast.inquiry, sender=cast.client, body="二")
    room_mark_read(room=cast.inquiry, user=cast.worker, seq=second.seq)
    assert selectors.unread_total(user_id=cast.worker.pk) == 0
    # the client edits one message already read and deletes the other: entries of the room,
    # nothing new to read
    message_edit(message=first, by=cast.client, body="一（直し）")
    message_delete(message=second, by=cast.client)
    (row,) = selectors.rooms_for_user(user=cast.worker)
    assert row.unread == 0
    assert selectors.unread_total(user_id=cast.worker.pk) == 0
    member = cast.inquiry.members.get(user=cast.worker)
    assert selectors.unread_counts(members=[member]) == {member.pk: 0}
    # a new message counts once, even after it is edited twice
    third = message_send(room=cast.inquiry, sender=cast.client, body="三")
    message_edit(message=third, by=cast.client, body="三'")
    message_edit(message=third, by=cast.client, body="三''")
    assert selectors.rooms_for_user(user=cast.worker)[0].unread == 1
    assert selectors.unread_total(user_id=cast.worker.pk) == 1
    assert selectors.unread_counts(members=[member]) == {member.pk: 1}
    # the sender's own messages and changes are never unread for them
    assert selectors.unread_total(user_id=cast.client.pk) == 0
    assert selectors.unread_total(user_id=group.bob.pk) == 0
