"""/api/v1/rooms and /api/v1/me/tasks: the same selectors and services as the pages.

A room the caller may not see answers 404 (whether it exists is not told). A message the
contact guard stops answers ``422 {"code": "contact_blocked", "message", "findings"}`` with
each finding's span in the text as sent; nothing is stored but the guard's record for staff.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from tsunagu.accounts.request import signed_in_user
from tsunagu.api.errors import ApiError
from tsunagu.api.schemas import ErrorOut
from tsunagu.core.fields import Id
from tsunagu.messaging import display, selectors, services
from tsunagu.messaging.errors import ContactBlocked, MessagingError
from tsunagu.messaging.export import evidence_export
from tsunagu.messaging.models import Pin, RoomMember
from tsunagu.messaging.schemas import (
    AttachmentOut,
    ContactBlockedOut,
    EditIn,
    FindingOut,
    MessageIn,
    MessageListOut,
    MessageOut,
    PinIn,
    PinOut,
    ReplyOut,
    RoomOut,
    TaskDoneIn,
    TaskIn,
    TaskOut,
)
from tsunagu.messaging.selectors import Access, Item

router = Router(tags=["messages"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 409, 429): ErrorOut}


def _access(request: HttpRequest, room_id: int, *, write: bool = False) -> Access:
    access = selectors.room_access(room_id=room_id, viewer=signed_in_user(request))
    if write and not access.active:
        raise ApiError(
            "read_only", _("You can read this room but no longer write in it."), status=403
        )
    return access


def _message_out(item: Item) -> MessageOut:
    message = item.message
    return MessageOut(
        id=message.pk,
        seq=message.seq,
        sender_id=message.sender_id,
        sender_name=message.sender.profile.display_name,
        created_at=message.created_at,
        text=item.text,
        deleted=item.deleted,
        revisions=item.revisions,
        changed_at=item.changed_at,
        guard_notice=item.guard_notice,
        reply_to=ReplyOut(**vars(item.reply)) if item.reply else None,
        mentions=item.mentions,
        attachments=[
            AttachmentOut(id=a.pk, name=a.name, size=a.size, sha256=a.sha256)
            for a in item.attachments
        ],
    )


def _task_out(row: display.TaskRow) -> TaskOut:
    task = row.task
    return TaskOut(
        id=task.pk,
        room_id=task.room_id,
        room_title=task.room.title,
        title=task.title,
        assignee_id=task.assignee_id,
        assignee_name=task.assignee.profile.display_name,
        assignee_time_zone=row.zone,
        due_at=task.due_at,
        due_local=row.due_local,
        done=task.done_at is not None,
        done_at=task.done_at,
    )


def _blocked(exc: ContactBlocked) -> ContactBlockedOut:
    return ContactBlockedOut(
        code=exc.code,
        message=str(exc.message),
        findings=[
            FindingOut(
                kind=f["kind"],
                label=display.kind_label(f["kind"]),
                start=f["start"],
                end=f["end"],
                text=f["text"],
            )
            for f in exc.findings
        ],
    )


# --- rooms and messages -----------------------------------------------------------------------


@router.get("/rooms", response={200: list[RoomOut], **ERRORS}, summary="My rooms")
def room_list(request: HttpRequest) -> Any:
    return [
        RoomOut(
            id=row.room.pk,
            kind=row.room.kind,
            title=row.room.title,
            contract_id=row.room.contract_id,
            unread=row.unread,
            removed=row.removed,
            last_seq=(row.member.removed_after_seq or 0) if row.removed else row.room.last_seq,
            last_message_at=row.preview_at,
            preview=row.preview,
            preview_deleted=row.preview_deleted,
        )
        for row in selectors.rooms_for_user(user=signed_in_user(request))
    ]


class HistoryQuery(Schema):
    after: Id | None = None
    before: Id | None = None


@router.get(
    "/rooms/{room_id}/messages",
    response={200: MessageListOut, **ERRORS, 422: ErrorOut},
    summary="Messages of a room",
    description=(
        "Without parameters: the newest 50 messages. `before=N`: the 50 before entry N. "
        "`after=N`: messages after entry N, and older ones edited or deleted since (polling)."
    ),
)
def message_list(request: HttpRequest, room_id: int, query: Query[HistoryQuery]) -> Any:
    access = _access(request, room_id)
    if query.after is not None:
        update = selectors.room_updates(access=access, after=query.after)
        return MessageListOut(
            items=[_message_out(i) for i in update.new],
            changed=[_message_out(i) for i in update.changed],
            has_older=False,
            last_seq=update.last_seq,
        )
    page = selectors.room_history(access=access, before=query.before)
    return MessageListOut(
        items=[_message_out(i) for i in page.items],
        changed=[],
        has_older=page.has_older,
        last_seq=page.last_seq,
    )


@router.post(
    "/rooms/{room_id}/messages",
    response={201: MessageOut, **ERRORS, 422: ContactBlockedOut | ErrorOut},
    summary="Send a message",
)
def message_create(request: HttpRequest, room_id: int, payload: MessageIn) -> Any:
    access = _access(request, room_id, write=True)
    reply_to = None
    if payload.reply_to is not None:
        try:
            reply_to = selectors.message_for_viewer(access=access, message_id=payload.reply_to)
        except Http404 as exc:
            raise ApiError(
                "invalid",
                _("The message you replied to is not in this room."),
                status=422,
                field="reply_to",
            ) from exc
    try:
        message = services.message_send(
            room=access.room, sender=access.viewer, body=payload.text, reply_to=reply_to
        )
    except ContactBlocked as exc:
        return Status(422, _blocked(exc))
    if access.active:
        services.room_mark_read(room=access.room, user=access.viewer, seq=message.seq)
    return Status(
        201,
        _message_out(
            selectors.message_item(access=_access(request, room_id), message_id=message.pk)
        ),
    )


def _change(request: HttpRequest, room_id: int, message_id: int, text: str | None) -> Any:
    access = _access(request, room_id, write=True)
    message = selectors.message_for_viewer(access=access, message_id=message_id)
    try:
        if text is None:
            services.message_delete(message=message, by=access.viewer)
        else:
            services.message_edit(message=message, by=access.viewer, body=text)
    except ContactBlocked as exc:
        return Status(422, _blocked(exc))
    fresh = _access(request, room_id)
    return Status(200, _message_out(selectors.message_item(access=fresh, message_id=message.pk)))


@router.post(
    "/rooms/{room_id}/messages/{message_id}/edit",
    response={200: MessageOut, **ERRORS, 422: ContactBlockedOut | ErrorOut},
    summary="Edit my message (a new revision; earlier ones are kept)",
)
def message_edit(request: HttpRequest, room_id: int, message_id: int, payload: EditIn) -> Any:
    return _change(request, room_id, message_id, payload.text)


@router.post(
    "/rooms/{room_id}/messages/{message_id}/delete",
    response={200: MessageOut, **ERRORS, 422: ErrorOut},
    summary="Delete my message (a tombstone; the original stays in the record)",
)
def message_delete(request: HttpRequest, room_id: int, message_id: int) -> Any:
    return _change(request, room_id, message_id, None)


# --- pins and tasks ---------------------------------------------------------------------------


@router.get("/rooms/{room_id}/pins", response={200: list[PinOut], **ERRORS}, summary="Pins")
def pin_list(request: HttpRequest, room_id: int) -> Any:
    access = _access(request, room_id)
    return [
        PinOut(
            id=row.pin.pk,
            message_id=row.pin.message_id,
            pinned_by=row.pin.pinned_by.profile.display_name,
            created_at=row.pin.created_at,
            message=_message_out(row.item),
        )
        for row in selectors.room_pins(access=access)
    ]


@router.post(
    "/rooms/{room_id}/pins",
    response={201: PinOut, **ERRORS, 422: ErrorOut},
    summary="Pin a message",
)
def pin_create(request: HttpRequest, room_id: int, payload: PinIn) -> Any:
    access = _access(request, room_id, write=True)
    message = selectors.message_for_viewer(access=access, message_id=payload.message_id)
    pin = services.pin_add(message=message, by=access.viewer)
    pin = Pin.objects.select_related("pinned_by__profile").get(pk=pin.pk)
    return Status(
        201,
        PinOut(
            id=pin.pk,
            message_id=pin.message_id,
            pinned_by=pin.pinned_by.profile.display_name,
            created_at=pin.created_at,
            message=_message_out(selectors.message_item(access=access, message_id=message.pk)),
        ),
    )


@router.post(
    "/rooms/{room_id}/pins/{pin_id}/remove",
    response={204: None, **ERRORS},
    summary="Unpin",
)
def pin_delete(request: HttpRequest, room_id: int, pin_id: int) -> Any:
    access = _access(request, room_id, write=True)
    pin = get_object_or_404(Pin, pk=pin_id, room=access.room)
    services.pin_remove(pin=pin, by=access.viewer)
    return Status(204, None)


@router.get("/rooms/{room_id}/tasks", response={200: list[TaskOut], **ERRORS}, summary="Tasks")
def task_list(request: HttpRequest, room_id: int) -> Any:
    access = _access(request, room_id)
    return [_task_out(r) for r in display.task_rows(selectors.room_tasks(room=access.room))]


@router.post(
    "/rooms/{room_id}/tasks",
    response={201: TaskOut, **ERRORS, 422: ErrorOut},
    summary="Create a task",
)
def task_create(request: HttpRequest, room_id: int, payload: TaskIn) -> Any:
    access = _access(request, room_id, write=True)
    member = (
        RoomMember.objects.filter(
            room=access.room, user_id=payload.assignee_id, removed_at__isnull=True
        )
        .select_related("user")
        .first()
    )
    if member is None:
        raise MessagingError.refuse("not_in_room", field="assignee_id")
    task = services.task_create(
        room=access.room,
        by=access.viewer,
        title=payload.title,
        assignee=member.user,
        due_at=payload.due_at,
    )
    fresh = [t for t in selectors.room_tasks(room=access.room) if t.pk == task.pk]
    return Status(201, _task_out(display.task_rows(fresh)[0]))


@router.post(
    "/tasks/{task_id}/done",
    response={200: TaskOut, **ERRORS, 422: ErrorOut},
    summary="Mark a task done or not done",
)
def task_done(request: HttpRequest, task_id: int, payload: TaskDoneIn) -> Any:
    task = selectors.task_for_member(task_id=task_id, user=signed_in_user(request))
    services.task_set_done(task=task, by=signed_in_user(request), done=payload.done)
    fresh = [t for t in selectors.room_tasks(room=task.room) if t.pk == task.pk]
    return Status(200, _task_out(display.task_rows(fresh)[0]))


@router.get("/me/tasks", response={200: list[TaskOut], **ERRORS}, summary="My tasks")
def my_tasks(request: HttpRequest, done: bool = False) -> Any:
    tasks = selectors.tasks_for_user(user=signed_in_user(request), include_done=done)
    return [_task_out(r) for r in display.task_rows(tasks)]


# --- evidence ---------------------------------------------------------------------------------


@router.get(
    "/rooms/{room_id}/evidence",
    response={200: None, **ERRORS},
    summary="The evidence bundle (ZIP)",
    description="Every entry I may read, signed by the platform; check it with `tsunagu evidence verify FILE`.",
)
def evidence(request: HttpRequest, room_id: int) -> HttpResponse:
    access = _access(request, room_id)
    bundle = evidence_export(room=access.room, by=access.viewer)
    response = HttpResponse(bundle, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="tsunagu-room-{room_id}-evidence.zip"'
    return response
