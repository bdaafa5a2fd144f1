from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.accounts.factories import UserFactory
from tests.contracts.factories import give_balance, offer
from tests.messaging.conftest import person
from tsunagu.contracts.services import milestone_fund_from_wallet
from tsunagu.messaging.errors import ContactBlocked, MessagingError
from tsunagu.messaging.evidence import verify_bundle
from tsunagu.messaging.export import evidence_export, platform_fingerprint
from tsunagu.messaging.models import GuardEvent, GuardNotice, Message, Room
from tsunagu.messaging.services import (
    group_room_create,
    message_delete,
    message_edit,
    message_send,
    pin_add,
    room_for_contract,
    room_member_add,
    room_member_remove,
    room_open_inquiry,
    task_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evidence_key(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_KEY_PATH = tmp_path / "evidence.pem"


def inquiry() -> tuple[Room, Any, Any]:
    client, worker = UserFactory(), UserFactory()
    return room_open_inquiry(client=client, worker=worker, by=client), client, worker


def test_phone_number_in_kanji_is_blocked_before_funding_and_logged_for_staff() -> None:
    room, _client, worker = inquiry()
    with pytest.raises(ContactBlocked) as exc:
        message_send(room=room, sender=worker, body="電話ください 〇九〇・一二三四・五六七八")
    assert exc.value.findings and exc.value.findings[0]["kind"]
    assert Message.objects.filter(room=room).count() == 0
    event = GuardEvent.objects.get()
    assert event.blocked and event.sender == worker and "〇九〇" in event.text


def test_number_split_over_messages_is_caught() -> None:
    room, _client, worker = inquiry()
    message_send(room=room, sender=worker, body="090")
    message_send(room=room, sender=worker, body="1234")
    with pytest.raises(ContactBlocked):
        message_send(room=room, sender=worker, body="5678")


def test_solicitation_is_delivered_with_a_notice() -> None:
    room, client, _worker = inquiry()
    message = message_send(
        room=room, sender=client, body="手数料がもったいないので直接取引しませんか？"
    )
    assert message.guard_notice == GuardNotice.SOLICIT


def test_after_funding_contact_details_are_delivered_with_a_reminder() -> None:
    contract = offer()
    room = room_for_contract(contract=contract)
    with pytest.raises(ContactBlocked):
        message_send(room=room, sender=contract.worker, body="メールは yamada.taro@gmail.com です")
    milestone = contract.milestones.get()
    give_balance(contract.client, milestone.gross)
    milestone_fund_from_wallet(milestone=milestone, by=contract.client)
    message = message_send(
        room=room, sender=contract.worker, body="メールは yamada.taro@gmail.com です"
    )
    assert message.guard_notice == GuardNotice.REMINDER


def test_ordinary_business_talk_passes() -> None:
    room, client, _worker = inquiry()
    message = message_send(
        room=room, sender=client, body="予算は5万円、納期は12月10日でお願いします。"
    )
    assert message.guard_notice == ""


def test_non_members_cannot_send_and_bad_text_is_refused() -> None:
    room, _client, _worker = inquiry()
    stranger = UserFactory()
    with pytest.raises(MessagingError) as exc:
        message_send(room=room, sender=stranger, body="こんにちは")
    assert exc.value.code == "not_a_member"
    member = room.members.first().user  # type: ignore[union-attr]
    for body, code in [("", "empty"), ("x" * 10_001, "too_long"), ("a\x00b", "binary")]:
        with pytest.raises(MessagingError) as exc:
            message_send(room=room, sender=member, body=body)
        assert exc.value.code == code
    assert Message.objects.count() == 0


def test_edits_and_deletions_are_new_entries_and_keep_the_original() -> None:
    room, client, worker = inquiry()
    original = message_send(room=room, sender=client, body="初稿")
    with pytest.raises(MessagingError):
        message_edit(message=original, by=worker, body="乗っ取り")
    message_edit(message=original, by=client, body="修正版")
    message_delete(message=original, by=client)
    with pytest.raises(MessagingError):
        message_delete(message=original, by=client)
    original.refresh_from_db()
    assert original.body == "初稿"
    assert list(Message.objects.filter(room=room).values_list("kind", flat=True)) == [
        "message",
        "edit",
        "delete",
    ]


def test_attachments_are_checked_and_hashed() -> None:
    room, client, _worker = inquiry()
    message = message_send(
        room=room,
        sender=client,
        body="資料です",
        attachments=[SimpleUploadedFile("manual.txt", "手順書".encode())],
    )
    attachment = message.attachments.get()
    assert len(attachment.sha256) == 64
    with pytest.raises(Exception):  # noqa: B017 - the upload check's ValidationError
        message_send(
            room=room,
            sender=client,
            body="x",
            attachments=[SimpleUploadedFile("a.pdf", b"MZ\x90\x00binary")],
        )
    assert Message.objects.count() == 1


def test_group_room_members_pins_tasks_and_removal() -> None:
    client, writer_a, writer_b = UserFactory(), UserFactory(), UserFactory()
    room = group_room_create(client=client, title="記事チーム", workers=[writer_a])
    manual = message_send(room=room, sender=client, body="マニュアルを必ず読んでください")
    pin_add(message=manual, by=client)
    room_member_add(room=room, user=writer_b, by=client)
    with pytest.raises(MessagingError):
        room_member_add(room=room, user=UserFactory(), by=writer_a)
    task = task_create(room=room, by=client, title="1本目の構成案", assignee=writer_b)
    assert task.assignee == writer_b
    room_member_remove(room=room, user=writer_a, by=client)
    with pytest.raises(MessagingError):
        message_send(room=room, sender=writer_a, body="まだいますか")


def test_evidence_bundle_verifies_and_names_the_altered_message(tmp_path: Path) -> None:
    room, client, worker = inquiry()
    message_send(room=room, sender=client, body="よろしくお願いします")
    second = message_send(
        room=room,
        sender=worker,
        body="承知しました",
        attachments=[SimpleUploadedFile("a.txt", b"hello")],
    )
    message_edit(message=second, by=worker, body="承知しました！")
    data = evidence_export(room=room, by=client)
    result = verify_bundle(data, trusted_fingerprint=platform_fingerprint())
    assert result.ok, result.problems
    assert result.entries == 3

    # Change one message's text inside the bundle (re-zipped so the ZIP itself is valid).
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        contents = {n: archive.read(n) for n in archive.namelist()}
    payload = json.loads(contents["messages.json"])
    payload["entries"][1]["body"] = "承知しません"
    contents["messages.json"] = json.dumps(payload, ensure_ascii=False).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in contents.items():
            archive.writestr(name, content)
    tampered = verify_bundle(buffer.getvalue())
    assert not tampered.ok
    assert tampered.first_altered_seq == 2


def test_one_changed_byte_anywhere_fails_verification() -> None:
    room, client, _worker = inquiry()
    message_send(room=room, sender=client, body="証拠")
    data = bytearray(evidence_export(room=room, by=client))
    for position in (len(data) // 3, len(data) // 2, len(data) - 30):
        altered = bytearray(data)
        altered[position] ^= 0x01
        assert not verify_bundle(bytes(altered)).ok


def test_outsiders_cannot_export_and_removed_members_get_history_until_removal() -> None:
    client, writer = UserFactory(), UserFactory()
    room = group_room_create(client=client, title="チーム", workers=[writer])
    message_send(room=room, sender=client, body="一通目")
    room_member_remove(room=room, user=writer, by=client)
    message_send(room=room, sender=client, body="二通目")
    with pytest.raises(MessagingError):
        evidence_export(room=room, by=UserFactory())
    assert verify_bundle(evidence_export(room=room, by=writer)).entries == 1
    assert verify_bundle(evidence_export(room=room, by=client)).entries == 2


def test_evidence_command_exports_and_verifies(tmp_path: Path, capsys: Any) -> None:
    room, client, _worker = inquiry()
    message_send(room=room, sender=client, body="コマンドのテスト")
    target = tmp_path / "bundle.zip"
    call_command("evidence", "export", "--room", str(room.pk), "--output", str(target))
    call_command("evidence", "verify", str(target))
    assert "OK" in capsys.readouterr().out
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(CommandError):
        call_command("evidence", "verify", str(target))


def test_reply_to_a_message_in_another_room_is_refused() -> None:
    room, client, _worker = inquiry()
    other_room, other_client, _other = inquiry()
    elsewhere = message_send(room=other_room, sender=other_client, body="別の部屋")
    with pytest.raises(MessagingError) as exc:
        message_send(room=room, sender=client, body="返信", reply_to=elsewhere)
    assert exc.value.code == "wrong_reply"


def test_mark_read_works_with_a_stale_room_object() -> None:
    from tsunagu.messaging.models import RoomMember
    from tsunagu.messaging.services import room_mark_read

    room, client, worker = inquiry()
    stale = Room.objects.get(pk=room.pk)
    message_send(room=room, sender=client, body="一通目")
    room_mark_read(room=stale, user=worker, seq=1)
    assert RoomMember.objects.get(room=room, user=worker).last_read_seq == 1


def test_only_the_assignee_creator_or_client_can_tick_a_task() -> None:
    from tsunagu.messaging.services import task_set_done

    client, writer_a, writer_b = UserFactory(), UserFactory(), UserFactory()
    room = group_room_create(client=client, title="チーム", workers=[writer_a, writer_b])
    task = task_create(room=room, by=client, title="構成案", assignee=writer_a)
    with pytest.raises(MessagingError) as exc:
        task_set_done(task=task, by=writer_b, done=True)
    assert exc.value.code == "not_task_owner"
    assert task_set_done(task=task, by=writer_a, done=True).done_at is not None


def test_mentions_find_display_names_with_spaces(db: None) -> None:
    client = person("発注者")
    taro = person("Taro Yamada")
    short = person("Taro")
    hanako = person("山田 花子")
    room = group_room_create(client=client, title="チーム", workers=[taro, short, hanako])
    message = message_send(
        room=room, sender=client, body="@Taro Yamada さん、@山田 花子さん、確認お願いします"
    )
    # the longest name the text goes on with: "@Taro Yamada" is not "@Taro"
    assert set(message.mentions.all()) == {taro, hanako}
    assert set(message_send(room=room, sender=client, body="@Taro よろしく").mentions.all()) == {
        short
    }
    # a name must end where a word ends, and a stranger or the sender is never mentioned
    outsider = person("Outsider")
    for body in ("@Tarou 違う人", "@Outsider", "@発注者", "mail taro@Taro Yamada"):
        assert not message_send(room=room, sender=client, body=body).mentions.exists(), body
    assert not outsider.mentioned_in.exists()


def test_an_edit_that_names_someone_new_tells_them_once(db: None) -> None:
    from tsunagu.notifications.models import Notification

    client = person("発注者")
    taro, hanako = person("Taro Yamada"), person("山田 花子")
    room = group_room_create(client=client, title="チーム", workers=[taro, hanako])
    message = message_send(room=room, sender=client, body="@Taro Yamada さん、確認お願いします")

    def told(user: Any) -> int:
        return Notification.objects.filter(user=user, kind="message.mention").count()

    assert (told(taro), told(hanako)) == (1, 0)
    message_edit(
        message=message, by=client, body="@Taro Yamada さん、@山田 花子さん、確認お願いします"
    )
    assert set(message.mentions.all()) == {taro, hanako}
    assert (told(taro), told(hanako)) == (1, 1)  # the one named again is not told twice
    message_edit(message=message, by=client, body="@山田 花子さん、確認お願いします")
    assert (told(taro), told(hanako)) == (1, 1)
    link = Notification.objects.get(user=hanako, kind="message.mention").url
    assert link.endswith(f"#m{message.seq}")  # the message, not its revision
