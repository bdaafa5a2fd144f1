"""Input and output shapes of the messaging API."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from tsunagu.api.schemas import ErrorOut, StrictSchema
from tsunagu.core.fields import Id, Line, Moment, Text


class RoomOut(Schema):
    id: int
    kind: str
    title: str
    contract_id: int | None
    unread: int
    removed: bool = Field(description="True when I was removed: I can read up to my removal.")
    last_seq: int = Field(description="The last entry I may read.")
    last_message_at: datetime.datetime | None
    preview: str
    preview_deleted: bool


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    sha256: str


class ReplyOut(Schema):
    seq: int
    sender_name: str
    text: str
    deleted: bool


class MessageOut(Schema):
    id: int
    seq: int
    sender_id: int
    sender_name: str
    created_at: datetime.datetime
    text: str = Field(description="The current text (the latest edit); empty when deleted.")
    deleted: bool
    revisions: int = Field(description="How many times the message was edited.")
    changed_at: datetime.datetime | None
    guard_notice: str = Field(description='"", "solicit" or "reminder".')
    reply_to: ReplyOut | None
    mentions: list[str]
    attachments: list[AttachmentOut]


class MessageListOut(Schema):
    items: list[MessageOut] = Field(description="New messages, oldest first.")
    changed: list[MessageOut] = Field(
        description="Older messages edited or deleted after `after` (only with `after`)."
    )
    has_older: bool
    last_seq: int = Field(description="Poll again with ?after= this number.")


class MessageIn(StrictSchema):
    text: Text = Field(description="At most 10,000 characters.")
    reply_to: Id | None = Field(None, description="Id of the message answered.")


class EditIn(StrictSchema):
    text: Text


class EntryOut(Schema):
    id: int
    seq: int
    kind: str


class FindingOut(Schema):
    kind: str
    label: str
    start: int
    end: int
    text: str


class ContactBlockedOut(ErrorOut):
    findings: list[FindingOut]


class PinOut(Schema):
    id: int
    message_id: int
    pinned_by: str
    created_at: datetime.datetime
    message: MessageOut


class PinIn(StrictSchema):
    message_id: Id


class TaskOut(Schema):
    id: int
    room_id: int
    room_title: str
    title: str
    assignee_id: int
    assignee_name: str
    assignee_time_zone: str
    due_at: datetime.datetime | None = Field(description="In UTC.")
    due_local: datetime.datetime | None = Field(description="In the assignee's time zone.")
    done: bool
    done_at: datetime.datetime | None


class TaskIn(StrictSchema):
    title: Line = Field(max_length=200)
    assignee_id: Id
    due_at: Moment | None = Field(None, description="ISO 8601 with a time zone.")


class TaskDoneIn(StrictSchema):
    done: bool
