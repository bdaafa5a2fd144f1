"""Reads of rooms for the pages and the API: room lists, history as display items, tasks.

Every function here runs a fixed number of queries whatever the number of rows, and shows a
viewer only what they may read: members everything, removed members the record as it stood
when they were removed, staff everything including originals and every revision.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from tsunagu.accounts.models import User
from tsunagu.messaging import chain
from tsunagu.messaging.errors import MessagingError
from tsunagu.messaging.export import visible_until
from tsunagu.messaging.models import (
    Attachment,
    EntryKind,
    GuardEvent,
    GuardNotice,
    Message,
    Pin,
    Room,
    RoomKind,
    RoomMember,
    Task,
)

PAGE_SIZE = 50
PREVIEW_CHARS = 80
REPLY_CHARS = 120


# --- access ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What one viewer may do in one room."""

    room: Room
    viewer: User
    last_seq: int  # the last entry the viewer may read
    member: RoomMember | None  # None for staff who are not members
    is_staff: bool

    @property
    def active(self) -> bool:
        """A current member: may write, pin, create tasks."""
        return self.member is not None and self.member.removed_at is None

    @property
    def removed(self) -> bool:
        return self.member is not None and self.member.removed_at is not None

    @property
    def is_owner(self) -> bool:
        return self.active and self.room.client_id == self.viewer.pk


def room_access(*, room_id: int, viewer: User) -> Access:
    """The viewer's access to a room, or Http404 when they may not see it at all."""
    room = Room.objects.filter(pk=room_id).select_related("contract").first()
    if room is None:
        raise Http404
    member = RoomMember.objects.filter(room=room, user=viewer).first()
    if member is None and not viewer.is_staff:
        raise Http404
    try:
        last = visible_until(room=room, user=viewer)
    except MessagingError as exc:
        raise Http404 from exc
    if viewer.is_staff and member is not None and member.removed_at is not None:
        last = room.last_seq
    return Access(room=room, viewer=viewer, last_seq=last, member=member, is_staff=viewer.is_staff)


# --- room list ------------------------------------------------------------------------------


@dataclass
class RoomRow:
    room: Room
    member: RoomMember
    unread: int
    preview: str = ""
    preview_deleted: bool = False
    preview_sender: str = ""
    preview_at: datetime.datetime | None = None

    @property
    def removed(self) -> bool:
        return self.member.removed_at is not None


def _unread(messages: QuerySet[Message], *, user_id: int | OuterRef) -> QuerySet[Message]:
    """What counts as unread among ``messages`` past the read marker: messages from others that
    are still there. An edit or a deletion is an entry of its own (``kind``), never a message to
    read, and a message deleted before it was read leaves nothing to read."""
    return (
        messages.filter(kind=EntryKind.MESSAGE)
        .exclude(Q(sender_id=user_id))
        .exclude(Exists(Message.objects.filter(target=OuterRef("pk"), kind=EntryKind.DELETE)))
    )


def _unread_subquery() -> Subquery:
    """The unread count of the room member in the outer query."""
    return Subquery(
        _unread(
            Message.objects.filter(room=OuterRef("room"), seq__gt=OuterRef("last_read_seq")),
            user_id=OuterRef("user_id"),
        )
        .order_by()
        .values("room")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def rooms_for_user(*, user: User) -> list[RoomRow]:
    """The user's rooms, newest activity first, with unread counts and the last message.

    Three queries: memberships (with the count and the last message's id), the last messages,
    and the edits and deletions of those messages.
    """
    visible = Coalesce(F("removed_after_seq"), F("room__last_seq"))
    last_message = Subquery(
        Message.objects.filter(
            room=OuterRef("room"), kind=EntryKind.MESSAGE, seq__lte=OuterRef("visible_seq")
        )
        .order_by("-seq")
        .values("pk")[:1]
    )
    members = list(
        RoomMember.objects.filter(user=user)
        .select_related("room")
        .annotate(
            visible_seq=visible,
            unread_count=Coalesce(_unread_subquery(), 0),
            last_message_id=last_message,
        )
        .order_by(F("room__last_message_at").desc(nulls_last=True), "-room_id")
    )
    ids = [m.last_message_id for m in members if m.last_message_id]
    messages = {
        m.pk: m for m in Message.objects.filter(pk__in=ids).select_related("sender__profile")
    }
    changes = _changes_of(ids)
    rows = []
    for member in members:
        removed = member.removed_at is not None
        row = RoomRow(
            room=member.room,
            member=member,
            unread=0 if removed else member.unread_count,
        )
        message = messages.get(member.last_message_id)
        if message is not None:
            text, deleted, _revisions, _at = _current(
                message,
                changes.get(message.pk, []),
                member.visible_seq,
            )
            row.preview = _shorten(text, PREVIEW_CHARS)
            row.preview_deleted = deleted
            row.preview_sender = message.sender.profile.display_name
            row.preview_at = message.created_at
        rows.append(row)
    return rows


def unread_total(*, user_id: int) -> int:
    """Messages from others the user has not read, over all rooms they are still in (1 query)."""
    return _unread(
        Message.objects.filter(
            room__members__user_id=user_id,
            room__members__removed_at__isnull=True,
            seq__gt=F("room__members__last_read_seq"),
        ),
        user_id=user_id,
    ).count()


def unread_counts(*, members: Sequence[RoomMember]) -> dict[int, int]:
    """For each of ``members`` (by its id), the messages it has not read (1 query)."""
    if not members:
        return {}
    return dict(
        RoomMember.objects.filter(pk__in=[m.pk for m in members])
        .annotate(n=Coalesce(_unread_subquery(), 0))
        .values_list("pk", "n")
    )


# --- history --------------------------------------------------------------------------------


@dataclass
class Revision:
    seq: int
    text: str
    at: datetime.datetime
    kind: str = EntryKind.MESSAGE

    @property
    def is_original(self) -> bool:
        return self.kind == EntryKind.MESSAGE

    @property
    def is_edit(self) -> bool:
        return self.kind == EntryKind.EDIT

    @property
    def is_deletion(self) -> bool:
        return self.kind == EntryKind.DELETE


@dataclass
class ReplyPreview:
    seq: int
    sender_name: str
    text: str
    deleted: bool


@dataclass
class Item:
    """One message as a viewer sees it: its current text, and what became of it."""

    message: Message
    text: str
    deleted: bool
    revisions: int  # number of edits
    changed_at: datetime.datetime | None
    guard_notice: str
    attachments: list[Attachment] = field(default_factory=list)
    reply: ReplyPreview | None = None
    mentions: list[str] = field(default_factory=list)
    mine: bool = False

    @property
    def seq(self) -> int:
        return self.message.seq

    @property
    def edited(self) -> bool:
        return self.revisions > 0 and not self.deleted

    @property
    def warns_of_solicitation(self) -> bool:
        return self.guard_notice == GuardNotice.SOLICIT

    @property
    def reminds_to_stay(self) -> bool:
        return self.guard_notice == GuardNotice.REMINDER


@dataclass
class HistoryPage:
    items: list[Item]
    has_older: bool
    last_seq: int  # the viewer's last readable entry when the page was read

    @property
    def first_seq(self) -> int | None:
        return self.items[0].seq if self.items else None


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _changes_of(message_ids: Iterable[int]) -> dict[int, list[Message]]:
    """Edits and deletions of these messages, oldest first, keyed by the message's id."""
    found: dict[int, list[Message]] = defaultdict(list)
    ids = list(set(message_ids))
    if not ids:
        return found
    for change in Message.objects.filter(target_id__in=ids).order_by("seq"):
        assert change.target_id is not None
        found[change.target_id].append(change)
    return found


def _current(
    message: Message, changes: Sequence[Message], last_seq: int
) -> tuple[str, bool, int, datetime.datetime | None]:
    """Text, deleted, number of edits and time of the last change, as of entry ``last_seq``."""
    text, deleted, edits, at = message.body, False, 0, None
    for change in changes:
        if change.seq > last_seq:
            break
        at = change.created_at
        if change.kind == EntryKind.DELETE:
            deleted = True
        else:
            edits += 1
            text = change.body
    return ("" if deleted else text), deleted, edits, at


def _items(
    messages: Sequence[Message], *, viewer: User, last_seq: int, changes: dict[int, list[Message]]
) -> list[Item]:
    items = []
    for message in messages:
        own = changes.get(message.pk, [])
        text, deleted, edits, at = _current(message, own, last_seq)
        notice = message.guard_notice
        for change in own:
            if change.seq <= last_seq and change.kind == EntryKind.EDIT:
                notice = change.guard_notice
        reply = None
        if message.reply_to is not None:
            r_text, r_deleted, _n, _at = _current(
                message.reply_to, changes.get(message.reply_to_id or 0, []), last_seq
            )
            reply = ReplyPreview(
                seq=message.reply_to.seq,
                sender_name=message.reply_to.sender.profile.display_name,
                text=_shorten(r_text, REPLY_CHARS),
                deleted=r_deleted,
            )
        items.append(
            Item(
                message=message,
                text=text,
                deleted=deleted,
                revisions=edits,
                changed_at=at,
                guard_notice="" if deleted else notice,
                attachments=[] if deleted else list(message.attachments.all()),
                reply=reply,
                mentions=[u.profile.display_name for u in message.mentions.all()],
                mine=message.sender_id == viewer.pk,
            )
        )
    return items


def _message_queryset(room: Room) -> QuerySet[Message]:
    return (
        Message.objects.filter(room=room, kind=EntryKind.MESSAGE)
        .select_related("sender__profile", "reply_to__sender__profile")
        .prefetch_related(
            "attachments",
            Prefetch("mentions", queryset=User.objects.select_related("profile")),
        )
    )


def _build(messages: list[Message], access: Access) -> list[Item]:
    ids = [m.pk for m in messages] + [m.reply_to_id for m in messages if m.reply_to_id]
    return _items(
        messages, viewer=access.viewer, last_seq=access.last_seq, changes=_changes_of(ids)
    )


def room_history(
    *, access: Access, before: int | None = None, size: int = PAGE_SIZE
) -> HistoryPage:
    """The newest ``size`` messages the viewer may read (older than ``before`` if given),
    oldest first. Five queries whatever the size."""
    qs = _message_queryset(access.room).filter(seq__lte=access.last_seq)
    if before is not None:
        qs = qs.filter(seq__lt=before)
    newest_first = list(qs.order_by("-seq")[: size + 1])
    has_older = len(newest_first) > size
    messages = newest_first[:size][::-1]
    return HistoryPage(
        items=_build(messages, access), has_older=has_older, last_seq=access.last_seq
    )


@dataclass
class Update:
    """What happened after entry ``after``: new messages, and older ones edited or deleted."""

    new: list[Item]
    changed: list[Item]
    last_seq: int


def room_updates(*, access: Access, after: int) -> Update:
    """Entries after seq ``after`` up to what the viewer may read, for polling. Six queries."""
    after = max(after, 0)
    if after >= access.last_seq:
        return Update(new=[], changed=[], last_seq=access.last_seq)
    entries = list(
        Message.objects.filter(
            room=access.room, seq__gt=after, seq__lte=access.last_seq
        ).values_list("kind", "pk", "target_id")
    )
    wanted = {pk for kind, pk, _t in entries if kind == EntryKind.MESSAGE}
    wanted |= {t for kind, _pk, t in entries if kind != EntryKind.MESSAGE and t is not None}
    messages = list(_message_queryset(access.room).filter(pk__in=wanted).order_by("seq"))
    items = _build(messages, access)
    return Update(
        new=[i for i in items if i.seq > after],
        changed=[i for i in items if i.seq <= after],
        last_seq=access.last_seq,
    )


def message_for_viewer(*, access: Access, message_id: int) -> Message:
    """A message (not an edit or deletion) of the room the viewer may read, or Http404."""
    message = (
        Message.objects.filter(
            pk=message_id, room=access.room, kind=EntryKind.MESSAGE, seq__lte=access.last_seq
        )
        .select_related("sender__profile", "room")
        .first()
    )
    if message is None:
        raise Http404
    return message


def message_item(*, access: Access, message_id: int) -> Item:
    message = message_for_viewer(access=access, message_id=message_id)
    messages = list(_message_queryset(access.room).filter(pk=message.pk))
    return _build(messages, access)[0]


def message_revisions(*, access: Access, message: Message) -> tuple[list[Revision], bool]:
    """Every version of a message with its time, oldest first, and whether it was deleted.

    A deleted message's versions are shown to staff only: members see the tombstone (the
    original stays in the record and in the evidence bundle).
    """
    versions = [Revision(seq=message.seq, text=message.body, at=message.created_at)]
    deleted = False
    for change in Message.objects.filter(target=message, seq__lte=access.last_seq).order_by("seq"):
        if change.kind == EntryKind.DELETE:
            deleted = True
            versions.append(
                Revision(seq=change.seq, text="", at=change.created_at, kind=EntryKind.DELETE)
            )
        else:
            versions.append(
                Revision(seq=change.seq, text=change.body, at=change.created_at, kind=change.kind)
            )
    if deleted and not access.is_staff:
        versions = [
            Revision(seq=v.seq, text="", at=v.at, kind=v.kind)
            for v in versions
            if v.kind == EntryKind.DELETE
        ]
    return versions, deleted


# --- pins, tasks, members -------------------------------------------------------------------


@dataclass
class PinRow:
    pin: Pin
    item: Item


def room_pins(*, access: Access) -> list[PinRow]:
    """Pinned messages the viewer may read, newest pin first. Five queries."""
    pins = list(
        Pin.objects.filter(
            room=access.room, unpinned_at__isnull=True, message__seq__lte=access.last_seq
        )
        .select_related("pinned_by__profile")
        .order_by("-created_at", "-id")
    )
    if not pins:
        return []
    messages = list(_message_queryset(access.room).filter(pk__in=[p.message_id for p in pins]))
    items = {i.message.pk: i for i in _build(messages, access)}
    return [PinRow(pin=p, item=items[p.message_id]) for p in pins if p.message_id in items]


def room_tasks(*, room: Room) -> list[Task]:
    """The room's tasks, open ones first by due time (one query)."""
    return list(
        Task.objects.filter(room=room)
        .select_related("room", "assignee__profile", "created_by__profile")
        .order_by(F("done_at").asc(nulls_first=True), F("due_at").asc(nulls_last=True), "id")
    )


def tasks_for_user(*, user: User, include_done: bool = False) -> list[Task]:
    """Tasks assigned to the user in rooms they are still in, across rooms (one query)."""
    qs = Task.objects.filter(
        assignee=user,
        room__members__user=user,
        room__members__removed_at__isnull=True,
    )
    if not include_done:
        qs = qs.filter(done_at__isnull=True)
    return list(
        qs.select_related("room", "assignee__profile", "created_by__profile").order_by(
            F("done_at").asc(nulls_first=True), F("due_at").asc(nulls_last=True), "id"
        )
    )


def task_for_member(*, task_id: int, user: User) -> Task:
    """A task of a room the user is an active member of, or Http404."""
    task = (
        Task.objects.filter(
            pk=task_id,
            room__members__user=user,
            room__members__removed_at__isnull=True,
        )
        .select_related("room")
        .first()
    )
    if task is None:
        raise Http404
    return task


def room_members(*, room: Room) -> list[RoomMember]:
    """Members, current ones first (one query)."""
    return list(
        RoomMember.objects.filter(room=room)
        .select_related("user__profile")
        .order_by(F("removed_at").asc(nulls_first=True), "role", "joined_at", "id")
    )


def group_rooms_owned(*, user: User) -> list[Room]:
    return list(Room.objects.filter(kind=RoomKind.GROUP, client=user).order_by("-created_at"))


# --- staff ----------------------------------------------------------------------------------


@dataclass
class StaffRecord:
    entries: list[Message]
    first_broken: int | None


def staff_record(*, room: Room) -> StaffRecord:
    """Every entry of the room in order, originals and revisions included, and the chain check
    over the stored entries, and against the room's head (three queries)."""
    entries = list(
        Message.objects.filter(room=room)
        .select_related("sender__profile", "target")
        .prefetch_related("attachments")
        .order_by("seq")
    )
    chained = [
        chain.Entry(
            seq=e.seq,
            kind=e.kind,
            sender_id=e.sender_id,
            created_at=chain.timestamp(e.created_at),
            body=e.body,
            target_seq=e.target.seq if e.target else None,
            attachment_hashes=tuple(a.sha256 for a in e.attachments.all()),
            prev_hash=e.prev_hash,
            hash=e.hash,
        )
        for e in entries
    ]
    broken = chain.first_broken(chained)
    last_seq, head = Room.objects.values_list("last_seq", "head_hash").get(pk=room.pk)
    if broken is None and (last_seq != len(entries) or (entries and entries[-1].hash != head)):
        # Entries missing at the end leave a whole chain that stops short of the room's head.
        broken = len(entries) + 1 if last_seq > len(entries) else len(entries)
    return StaffRecord(entries=entries, first_broken=broken)


def blocked_counts(*, sender_ids: Iterable[int], since: datetime.datetime) -> dict[int, int]:
    rows = (
        GuardEvent.objects.filter(
            sender_id__in=set(sender_ids), blocked=True, created_at__gte=since
        )
        .values("sender_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["sender_id"]: r["n"] for r in rows}


__all__ = [
    "Access",
    "HistoryPage",
    "Item",
    "blocked_counts",
    "group_rooms_owned",
    "message_for_viewer",
    "message_item",
    "message_revisions",
    "room_access",
    "room_history",
    "room_members",
    "room_pins",
    "room_tasks",
    "room_updates",
    "rooms_for_user",
    "staff_record",
    "task_for_member",
    "tasks_for_user",
    "unread_counts",
    "unread_total",
]
