"""API schemas for contracts: what is sent (…In, strict) and what is answered (…Out)."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Field, Schema

from tsunagu.api.schemas import StrictSchema
from tsunagu.core.fields import BigInt, Day, Id, Int, Line, Text


class MilestoneOut(Schema):
    id: int
    position: int
    title: str
    amount: int = Field(description="Fee excluding consumption tax, in yen.")
    tax: int = Field(description="Consumption tax (10%), in yen.")
    gross: int = Field(description="What the client pays into escrow: amount + tax.")
    due_date: datetime.date
    status: str
    revisions_used: int
    funded_at: datetime.datetime | None
    delivered_at: datetime.datetime | None
    inspection_deadline: datetime.datetime | None
    released_amount: int = Field(description="Fee (tax excluded) released to the worker.")


class ContractSummaryOut(Schema):
    id: int
    title: str
    status: str
    role: Literal["client", "worker"] = Field(description="The caller's side of the contract.")
    client_name: str
    worker_name: str
    currency: str
    total: int = Field(description="All milestones with consumption tax, in yen.")
    next_action: str | None = Field(description="What has to happen next, said to the caller.")
    your_turn: bool = Field(description="Whether the next step is the caller's.")
    created_at: datetime.datetime
    milestones: list[MilestoneOut]


class ContractListOut(Schema):
    count: int
    page: int
    pages: int
    items: list[ContractSummaryOut]


class ContractOut(ContractSummaryOut):
    accepted_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    terms: dict[str, Any] = Field(description="The written terms as agreed (immutable).")
    terms_sha256: str


class MilestoneIn(StrictSchema):
    title: Line = Field(max_length=120)
    amount: BigInt = Field(description="Fee excluding tax, whole yen, 1 to 5,000,000.")
    due_date: Day


class OfferIn(StrictSchema):
    """The written terms a client offers to a worker (the worker's profile id)."""

    worker_profile_id: Id
    title: Line = Field(max_length=120)
    description: Text = Field(max_length=5000)
    deliverables: Text = Field(max_length=2000)
    milestones: list[MilestoneIn] = Field(max_length=20)
    payment_due: Day
    inspection_days: Int = 7
    revision_limit: Int = 2
    withholding_category: bool = Field(
        False, description="The work is subject to withholding tax (writing, design, translation…)."
    )
    weekly_hours: int | None = Field(
        None, ge=1, le=80, description="Estimated hours a week the work takes (not a term)."
    )


class FundIn(StrictSchema):
    method: Literal["wallet", "card"]


class PaymentOut(Schema):
    id: int
    status: str = Field(description="processing, succeeded or declined")
    amount: int
    decline_code: str


class FundOut(Schema):
    milestone: MilestoneOut
    payment: PaymentOut | None = Field(None, description="The card payment, when paid by card.")


class MessageIn(StrictSchema):
    message: Text = Field(max_length=5000)


class ReasonIn(StrictSchema):
    reason: Text = Field(max_length=5000)


class DeliveryFileOut(Schema):
    id: int
    name: str
    size: int
    sha256: str
    url: str


class DeliveryOut(Schema):
    id: int
    version: int
    message: str
    created_at: datetime.datetime
    files: list[DeliveryFileOut]


class RevisionOut(Schema):
    id: int
    message: str
    created_at: datetime.datetime


class DisputeOut(Schema):
    id: int
    milestone_id: int
    status: str
    reason: str
    created_at: datetime.datetime
