"""API schemas for reviews: what is sent (…In, strict) and what is answered (…Out).

No answer to anyone but the author carries private feedback, and none carries an unpublished
review of someone else or a contract's exact amount.
"""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from tsunagu.api.schemas import StrictSchema
from tsunagu.core.fields import Int, Line, Text

Role = Literal["worker", "client"]


class ReviewIn(StrictSchema):
    # Ranges and lengths are the services' to check, so every refusal says the same in both
    # front ends.
    stars: Int = Field(description="1 to 5.")
    tags: list[Line] = Field(default_factory=list, description="Codes from GET /reviews/tags.")
    text: Text = Field(description="Shown once both sides have reviewed, or after 14 days.")
    private_feedback: Text = Field(default="", description="Read by staff only.")


class ReplyIn(StrictSchema):
    text: Text


class ReportIn(StrictSchema):
    reason: Text


class TagOut(Schema):
    code: str
    label: str


class TagsOut(Schema):
    worker: list[TagOut] = Field(description="Tags for reviewing a worker.")
    client: list[TagOut] = Field(description="Tags for reviewing a client.")


class MyReviewOut(Schema):
    """The caller's own review, private feedback included."""

    id: int
    contract_id: int
    role: Role = Field(description="The role of the person reviewed.")
    stars: int
    tags: list[TagOut]
    text: str
    private_feedback: str
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    revealed_at: datetime.datetime | None
    text_hidden: bool
    reply: str | None


class PublicReviewOut(Schema):
    """A published review as anyone may see it."""

    id: int
    contract_id: int
    role: Role
    author_name: str
    author_profile_id: int | None
    stars: int
    tags: list[TagOut]
    text: str | None = Field(description="None when staff hid it for abuse.")
    text_hidden: bool
    reply: str | None
    replied_at: datetime.datetime | None
    revealed_at: datetime.datetime
    category: str | None
    value_band: str = Field(description="The contract's value as a band, never the amount.")


class ContractReviewsOut(Schema):
    contract_id: int
    role: Role = Field(description="The role of the person the caller reviews.")
    completed_at: datetime.datetime | None = Field(
        description="The first payment out of escrow; None when nothing was paid yet."
    )
    reveal_at: datetime.datetime | None = Field(
        description="When the reviews are published even if only one side wrote."
    )
    can_write: bool
    can_edit: bool
    mine: MyReviewOut | None
    theirs: PublicReviewOut | None = Field(description="The other side's review, once published.")
    theirs_written: bool


class PendingOut(Schema):
    contract_id: int
    title: str
    role: Role = Field(description="The role of the person to review.")
    other_name: str
    completed_at: datetime.datetime
    reveal_at: datetime.datetime


class SummaryOut(Schema):
    count: int
    average: float | None


class ReviewListOut(Schema):
    count: int
    page: int
    pages: int
    summary: SummaryOut
    items: list[PublicReviewOut]


class ReportOut(Schema):
    id: int
    review_id: int
    created_at: datetime.datetime
