"""Writes to rooms: messages, edits, deletions, pins, tasks, members, read markers.

Every new entry is appended under the room's row lock, which serialises the chain: the entry
takes the next sequence number and hashes over the head, and the head moves forward in the same
transaction. Before the escrow is funded the contact guard stops messages with outside contact
details (recorded for staff, not delivered) and flags requests to deal off the platform.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract, Milestone
from tsunagu.contracts.states import MilestoneStatus
from tsunagu.core.live import live_enabled, live_publish, live_publish_users, room_group
from tsunagu.core.uploads import atomic_with_files, check_upload, file_written
from tsunagu.guard.engine import scan_with_context
from tsunagu.messaging import chain
from tsunagu.messaging.errors import ContactBlocked, MessagingError
from tsunagu.messaging.models import (
    Attachment,
    EntryKind,
    GuardEvent,
    GuardNotice,
    MemberRole,
    Message,
    Pin,
    Room,
    RoomKind,
    RoomMember,
    Task,
)
from tsunagu.notifications.services import notify

MAX_BODY = 10_000
MAX_FILES = 10
MAX_FILE_BYTES = 20 * 1024 * 1024
ATTACHMENT_KINDS = {"png", "jpeg", "gif", "webp", "pdf", "zip", "text"}
GUARD_HISTORY = 4
_MENTION_AT = re.compile(r"(?<![A-Za-z0-9_.])[@＠]")

__all__ = [
    "ContactBlocked",
    "MessagingError",
    "group_room_create",
    "message_delete",
    "message_edit",
    "message_send",
    "pin_add",
    "pin_remove",
    "room_for_contract",
    "room_is_funded",
    "room_mark_read",
    "room_member_add",
    "room_member_remove",
    "room_open_inquiry",
    "task_create",
    "task_set_done",
]


# --- rooms ----------------------------------------------------------------------------------


def room_open_inquiry(
    *,
    client: User,
    worker: User,
    by: User,
    subject_type: str = "profile",
    subject_id: str = "",
    title: str = "",
) -> Room:
    """The inquiry room between a client and a worker about one subject, opened once."""
    if client.pk == worker.pk:
        raise ValidationError(_("You cannot open an inquiry with yourself."))
    if by.pk not in (client.pk, worker.pk):
        raise MessagingError.refuse("not_a_member")
    with transaction.atomic():
        # Lock the client's row: two first messages at once open one room, not two.
        User.objects.select_for_update().filter(pk=client.pk).first()
        existing = (
            Room.objects.select_for_update()
            .filter(
                kind=RoomKind.INQUIRY,
                client=client,
                subject_type=subject_type,
                subject_id=subject_id,
            )
            .filter(members__user=worker)
            .first()
        )
        if existing is not None:
            return existing
        room = Room.objects.create(
            kind=RoomKind.INQUIRY,
            title=(title or _("Inquiry")).strip()[:120],
            client=client,
            subject_type=subject_type,
            subject_id=subject_id,
            created_by=by,
        )
        RoomMember.objects.bulk_create(
            [
                RoomMember(room=room, user=client, role=MemberRole.CLIENT),
                RoomMember(room=room, user=worker, role=MemberRole.WORKER),
            ]
        )
    return room


def room_for_contract(*, contract: Contract) -> Room:
    """The contract's room, created with it on first use."""
    with transaction.atomic():
        room = Room.objects.select_for_update().filter(contract=contract).first()
        if room is not None:
            return room
        room = Room.objects.create(
            kind=RoomKind.CONTRACT,
            title=contract.title[:120],
            contract=contract,
            client_id=contract.client_id,
            created_by_id=contract.client_id,
        )
        RoomMember.objects.bulk_create(
            [
                RoomMember(room=room, user_id=contract.client_id, role=MemberRole.CLIENT),
                RoomMember(room=room, user_id=contract.worker_id, role=MemberRole.WORKER),
            ]
        )
    return room


def group_room_create(*, client: User, title: str, workers: Sequence[User] = ()) -> Room:
    if not title.strip() or len(title) > 120:
        raise ValidationError({"title": [_("Enter a title of at most 120 characters.")]})
    with transaction.atomic():
        room = Room.objects.create(
            kind=RoomKind.GROUP, title=title.strip(), client=client, created_by=client
        )
        RoomMember.objects.create(room=room, user=client, role=MemberRole.CLIENT)
        for worker in workers:
            if worker.pk != client.pk:
                RoomMember.objects.get_or_create(
                    room=room, user=worker, defaults={"role": MemberRole.WORKER}
                )
    return room


def room_member_add(*, room: Room, user: User, by: User) -> RoomMember:
    """Add a worker to a group room. People who join late see the whole history."""
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=room.pk)
        if room.kind != RoomKind.GROUP:
            raise MessagingError.refuse("wrong_kind")
        if by.pk != room.client_id:
            raise MessagingError.refuse("not_the_owner")
        member, created = RoomMember.objects.get_or_create(
            room=room, user=user, defaults={"role": MemberRole.WORKER}
        )
        if not created and member.removed_at is not None:
            member.removed_at = None
            member.removed_after_seq = None
            member.save(update_fields=["removed_at", "removed_after_seq"])
        notify(
            user=user,
            kind="room.member_added",
            message=lambda: _("You were added to the group %(title)s.") % {"title": room.title},
            url=reverse("messaging:room", args=[room.pk]),
        )
    return member


def room_member_remove(*, room: Room, user: User, by: User) -> RoomMember:
    """Remove a worker from a group room. They keep read access to what was said before."""
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=room.pk)
        if room.kind != RoomKind.GROUP:
            raise MessagingError.refuse("wrong_kind")
        if by.pk != room.client_id or user.pk == room.client_id:
            raise MessagingError.refuse("not_the_owner")
        member = (
            RoomMember.objects.select_for_update()
            .filter(room=room, user=user, removed_at__isnull=True)
            .first()
        )
        if member is None:
            raise MessagingError.refuse("not_in_room")
        member.removed_at = timezone.now()
        member.removed_after_seq = room.last_seq
        member.save(update_fields=["removed_at", "removed_after_seq"])
    return member


def room_is_funded(room: Room) -> bool:
    """True once money is in escrow for the people talking: the guard then only reminds."""
    funded_statuses = [
        s
        for s in MilestoneStatus.values
        if s not in (MilestoneStatus.UNFUNDED, MilestoneStatus.FUNDING, MilestoneStatus.CANCELLED)
    ]
    if room.kind == RoomKind.CONTRACT and room.contract_id is not None:
        return Milestone.objects.filter(
            contract_id=room.contract_id, status__in=funded_statuses
        ).exists()
    if room.kind == RoomKind.GROUP:
        workers = list(
            RoomMember.objects.filter(
                room=room, role=MemberRole.WORKER, removed_at__isnull=True
            ).values_list("user_id", flat=True)
        )
        if not workers:
            return False
        funded_workers = set(
            Milestone.objects.filter(
                contract__client_id=room.client_id,
                contract__worker_id__in=workers,
                status__in=funded_statuses,
            ).values_list("contract__worker_id", flat=True)
        )
        return funded_workers == set(workers)
    return False


# --- messages -------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    if "\x00" in body or any(unicodedata.category(c) == "Cs" for c in body):
        raise MessagingError.refuse("binary")
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if len(body) > MAX_BODY:
        raise MessagingError.refuse("too_long")
    return body


def _guard(room: Room, sender: User, body: str, funded: bool) -> tuple[str, list[dict[str, Any]]]:
    previous = list(
        Message.objects.filter(room=room, sender=sender, kind=EntryKind.MESSAGE)
        .order_by("-seq")
        .values_list("body", flat=True)[:GUARD_HISTORY]
    )
    result = scan_with_context(body, previous[::-1])
    findings = [asdict(f) for f in result.findings]
    if result.verdict == "clean":
        return "", findings
    if funded:
        return GuardNotice.REMINDER, findings
    if result.verdict == "contact":
        GuardEvent.objects.create(
            room=room,
            sender=sender,
            text=body,
            verdict=result.verdict,
            findings=findings,
            blocked=True,
        )
        raise ContactBlocked(findings)
    return GuardNotice.SOLICIT, findings


def _member(room: Room, user: User) -> RoomMember:
    member = RoomMember.objects.filter(room=room, user=user, removed_at__isnull=True).first()
    if member is None:
        raise MessagingError.refuse("not_a_member")
    return member


def _append(
    room: Room,
    *,
    kind: str,
    sender: User,
    body: str,
    target: Message | None = None,
    reply_to: Message | None = None,
    guard_notice: str = "",
    attachments: Sequence[tuple[UploadedFile, str]] = (),
) -> Message:
    """Append one entry to the chain; the caller holds the room's row lock."""
    now = timezone.now()
    seq = room.last_seq + 1
    created_at = chain.timestamp(now)
    digest = chain.entry_hash(
        prev_hash=room.head_hash,
        seq=seq,
        kind=kind,
        sender_id=sender.pk,
        created_at=created_at,
        body=body,
        target_seq=target.seq if target else None,
        attachment_hashes=[sha for _, sha in attachments],
    )
    message = Message.objects.create(
        room=room,
        seq=seq,
        kind=kind,
        sender=sender,
        body=body,
        target=target,
        reply_to=reply_to,
        guard_notice=guard_notice,
        created_at=datetime.datetime.fromisoformat(created_at),
        prev_hash=room.head_hash,
        hash=digest,
    )
    for upload, sha in attachments:
        attachment = Attachment.objects.create(
            message=message,
            file=upload,
            name=(upload.name or "file")[:200],
            size=upload.size or 0,
            sha256=sha,
        )
        file_written(attachment.file)
    room.last_seq = seq
    room.head_hash = digest
    room.last_message_at = now
    room.save(update_fields=["last_seq", "head_hash", "last_message_at"])
    RoomMember.objects.filter(room=room, user=sender).update(last_read_seq=seq)
    return message


def _announce(room: Room, entry: Message, *, new_message: bool) -> None:
    """After the commit, tell the room's open pages about the entry, and the other members'
    headers that their unread count moved (for a new message). Nothing when live updates are off.
    """
    if not live_enabled():
        return
    live_publish(
        group=room_group(room.pk), event={"type": "room.changed", "room": room.pk, "seq": entry.seq}
    )
    if new_message:
        others = RoomMember.objects.filter(room=room, removed_at__isnull=True).exclude(
            user_id=entry.sender_id
        )
        live_publish_users(
            user_ids=list(others.values_list("user_id", flat=True)),
            event={"type": "messages.unread"},
        )


def message_send(
    *,
    room: Room,
    sender: User,
    body: str,
    attachments: Sequence[UploadedFile] = (),
    reply_to: Message | None = None,
) -> Message:
    body = _clean_body(body)
    if not body.strip() and not attachments:
        raise MessagingError.refuse("empty")
    if len(attachments) > MAX_FILES:
        raise MessagingError.refuse("too_many_files")
    checked = []
    for upload in attachments:
        result = check_upload(upload, allowed_kinds=ATTACHMENT_KINDS, max_bytes=MAX_FILE_BYTES)
        checked.append((upload, result.sha256))
    _member(room, sender)
    funded = room_is_funded(room)
    notice, _findings = _guard(room, sender, body, funded)
    with atomic_with_files():
        room = Room.objects.select_for_update().get(pk=room.pk)
        _member(room, sender)
        if reply_to is not None and (
            reply_to.room_id != room.pk or reply_to.kind != EntryKind.MESSAGE
        ):
            raise MessagingError.refuse("wrong_reply")
        message = _append(
            room,
            kind=EntryKind.MESSAGE,
            sender=sender,
            body=body,
            reply_to=reply_to,
            guard_notice=notice,
            attachments=checked,
        )
        _announce(room, message, new_message=True)
        if notice:
            GuardEvent.objects.create(
                room=room,
                sender=sender,
                text=body,
                verdict="solicit" if notice == GuardNotice.SOLICIT else "contact",
                findings=_findings,
                blocked=False,
                message=message,
            )
        _mentions_notify(room, sender, message, _mentions(room, sender, body))
    return message


def _mentions_notify(room: Room, sender: User, message: Message, mentioned: list[User]) -> None:
    """Record the people ``message`` mentions and tell each, once per message: an edit that
    names someone new tells them; one that names the same people again tells nobody twice."""
    if not mentioned:
        return  # most messages name nobody: no query for them
    already = set(message.mentions.values_list("pk", flat=True))
    new = [user for user in mentioned if user.pk not in already]
    if not new:
        return
    message.mentions.add(*new)
    for user in new:
        notify(
            user=user,
            kind="message.mention",
            message=lambda: (
                _("%(name)s mentioned you in %(room)s")
                % {"name": sender.profile.display_name, "room": room.title}
            ),
            url=reverse("messaging:room", args=[room.pk]) + f"#m{message.seq}",
        )


def _mentions(room: Room, sender: User, body: str) -> list[User]:
    """The members named after an "@" in ``body``: "@Taro Yamada" names "Taro Yamada".

    A display name may hold spaces, so each "@" is matched against the members' names rather
    than cut at the first space; the longest name that the text goes on with wins ("@Taro
    Yamada" is not "@Taro" when both are members), and the name must end where a word ends.
    """
    if "@" not in body:
        return []
    members = list(
        User.objects.filter(room_memberships__room=room, room_memberships__removed_at__isnull=True)
        .select_related("profile")
        .exclude(pk=sender.pk)
    )
    by_name = sorted(
        ((user.profile.display_name.strip(), user) for user in members),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    mentioned: dict[int, User] = {}
    for at in _MENTION_AT.finditer(body):
        start = at.end()
        for name, user in by_name:
            end = start + len(name)
            if (
                name
                and body[start:end].casefold() == name.casefold()
                and not _continues_word(body, end)
            ):
                mentioned.setdefault(user.pk, user)
                break
    return list(mentioned.values())


def _continues_word(body: str, end: int) -> bool:
    """Whether the character at ``end`` carries on a Latin word or number ("@Tarou" is not "@Taro")."""
    return end < len(body) and (body[end].isascii() and (body[end].isalnum() or body[end] == "_"))


def _current(message: Message) -> tuple[str, bool]:
    """The message's text now, and whether it was deleted."""
    last = message.changes.order_by("-seq").first()
    if last is None:
        return message.body, False
    if last.kind == EntryKind.DELETE:
        return "", True
    return last.body, False


def message_edit(*, message: Message, by: User, body: str) -> Message:
    """Add a revision. The original and every earlier revision stay in the record."""
    body = _clean_body(body)
    if not body.strip():
        raise MessagingError.refuse("empty")
    if message.kind != EntryKind.MESSAGE or message.sender_id != by.pk:
        raise MessagingError.refuse("not_the_sender")
    room = message.room
    _member(room, by)
    notice, findings = _guard(room, by, body, room_is_funded(room))
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=room.pk)
        _member(room, by)
        _body, deleted = _current(message)
        if deleted:
            raise MessagingError.refuse("already_deleted")
        entry = _append(
            room, kind=EntryKind.EDIT, sender=by, body=body, target=message, guard_notice=notice
        )
        _announce(room, entry, new_message=False)
        if notice:
            GuardEvent.objects.create(
                room=room,
                sender=by,
                text=body,
                verdict="solicit" if notice == GuardNotice.SOLICIT else "contact",
                findings=findings,
                blocked=False,
                message=entry,
            )
        # the mentions belong to the message, which the edit's revision now reads as
        _mentions_notify(room, by, message, _mentions(room, by, body))
    return entry


def message_delete(*, message: Message, by: User) -> Message:
    """Leave a tombstone. The original text stays in the record for evidence."""
    if message.kind != EntryKind.MESSAGE or message.sender_id != by.pk:
        raise MessagingError.refuse("not_the_sender")
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=message.room_id)
        _member(room, by)
        _current_body, deleted = _current(message)
        if deleted:
            raise MessagingError.refuse("already_deleted")
        entry = _append(room, kind=EntryKind.DELETE, sender=by, body="", target=message)
        _announce(room, entry, new_message=False)
    return entry


def room_mark_read(*, room: Room, user: User, seq: int) -> None:
    """Move the read marker forward (never back)."""
    last_seq = Room.objects.values_list("last_seq", flat=True).get(pk=room.pk)
    moved = RoomMember.objects.filter(room=room, user=user, last_read_seq__lt=seq).update(
        last_read_seq=min(seq, last_seq)
    )
    if moved:  # the person's other pages show the lower count
        live_publish_users(user_ids=[user.pk], event={"type": "messages.unread"})


# --- pins and tasks -------------------------------------------------------------------------


def pin_add(*, message: Message, by: User) -> Pin:
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=message.room_id)
        _member(room, by)
        if message.kind != EntryKind.MESSAGE:
            raise MessagingError.refuse("wrong_kind")
        pin, _created = Pin.objects.get_or_create(
            room=room, message=message, unpinned_at=None, defaults={"pinned_by": by}
        )
    return pin


def pin_remove(*, pin: Pin, by: User) -> Pin:
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=pin.room_id)
        _member(room, by)
        Pin.objects.filter(pk=pin.pk, unpinned_at__isnull=True).update(unpinned_at=timezone.now())
    pin.refresh_from_db()
    return pin


def task_create(
    *,
    room: Room,
    by: User,
    title: str,
    assignee: User,
    due_at: datetime.datetime | None = None,
    message: Message | None = None,
) -> Task:
    if not title.strip() or len(title) > 200:
        raise ValidationError({"title": [_("Enter a task of at most 200 characters.")]})
    if due_at is not None and timezone.is_naive(due_at):
        raise ValidationError({"due_at": [_("Give the due time with its time zone.")]})
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=room.pk)
        _member(room, by)
        if not RoomMember.objects.filter(
            room=room, user=assignee, removed_at__isnull=True
        ).exists():
            raise MessagingError.refuse("not_in_room")
        task = Task.objects.create(
            room=room,
            title=title.strip(),
            assignee=assignee,
            due_at=due_at,
            message=message,
            created_by=by,
        )
        if assignee.pk != by.pk:
            notify(
                user=assignee,
                kind="task.assigned",
                message=lambda: (
                    _("New task in %(room)s: %(title)s") % {"room": room.title, "title": task.title}
                ),
                url=reverse("messaging:room", args=[room.pk]),
            )
    return task


def task_set_done(*, task: Task, by: User, done: bool) -> Task:
    with transaction.atomic():
        task = Task.objects.select_for_update().select_related("room").get(pk=task.pk)
        _member(task.room, by)
        if by.pk not in (task.assignee_id, task.created_by_id, task.room.client_id):
            raise MessagingError.refuse("not_task_owner")
        task.done_at = timezone.now() if done else None
        task.save(update_fields=["done_at"])
    return task
