"""API schemas for ask-an-expert: what is sent (…In, strict) and what is answered (…Out)."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from tsunagu.api.schemas import ErrorOut, StrictSchema
from tsunagu.contracts.schemas import MilestoneIn
from tsunagu.core.fields import Day, Id, Int, Line, Text


class QuestionIn(StrictSchema):
    # Lengths and the contact guard are the services' to check, so every refusal says the same
    # in both front ends.
    title: Line = Field(description="At most 120 characters.")
    body: Text = Field(description="At most 5,000 characters; outside contact details refused.")
    category: Line = Field(description="A job category's slug.")
    expert_profile_id: Id | None = Field(
        default=None, description="The profile of a person asked directly (told so)."
    )
    community: Line | None = Field(
        default=None,
        description=(
            "A community's slug: the question is seen and answered by its active members only. "
            "The asker (and a named expert) must be active members."
        ),
    )


class AnswerIn(StrictSchema):
    body: Text = Field(description="At most 5,000 characters; outside contact details refused.")


class BestIn(StrictSchema):
    answer_id: Id


class PersonOut(Schema):
    profile_id: int
    display_name: str


class CategoryOut(Schema):
    slug: str
    name: str


class CommunityOut(Schema):
    slug: str
    name: str


class QuestionSummaryOut(Schema):
    id: int
    title: str
    excerpt: str
    category: CategoryOut
    community: CommunityOut | None = Field(description="Set for a members-only question.")
    status: Literal["open", "closed"]
    asker: PersonOut
    expert: PersonOut | None
    answer_count: int
    has_best_answer: bool
    created_at: datetime.datetime


class QuestionListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[QuestionSummaryOut]


class AnswerOut(Schema):
    id: int
    question_id: int
    author: PersonOut
    body: str
    is_best: bool
    helpful: int = Field(description="People who marked it helpful.")
    voted: bool = Field(description="Whether the caller marked it helpful.")
    solicitation_warning: bool
    created_at: datetime.datetime
    edited_at: datetime.datetime | None


class QuestionOut(Schema):
    id: int
    title: str
    body: str
    category: CategoryOut
    community: CommunityOut | None = Field(description="Set for a members-only question.")
    status: Literal["open", "closed"]
    asker: PersonOut
    expert: PersonOut | None
    best_answer_id: int | None
    solicitation_warning: bool
    created_at: datetime.datetime
    closed_at: datetime.datetime | None
    answers: list[AnswerOut]
    offered_contract_ids: list[int] = Field(
        description="Contracts the asker offered from this question's answers (the asker only)."
    )


class VoteOut(Schema):
    answer_id: int
    helpful: int
    voted: bool


class FindingOut(Schema):
    kind: str
    label: str
    start: int
    end: int
    text: str


class ContactBlockedOut(ErrorOut):
    findings: list[FindingOut]


class AnswerOfferIn(StrictSchema):
    """The written terms the asker offers to an answer's author (as POST /contracts, without
    the worker: it is the author of the answer)."""

    title: Line = Field(max_length=120)
    description: Text = Field(max_length=5000)
    deliverables: Text = Field(max_length=2000)
    milestones: list[MilestoneIn] = Field(max_length=20)
    payment_due: Day
    inspection_days: Int = 7
    revision_limit: Int = 2
    withholding_category: bool = False
    weekly_hours: int | None = Field(
        None, ge=1, le=80, description="Estimated hours a week the work takes (not a term)."
    )


class QuestionOfferOut(Schema):
    contract_id: int
    question_id: int
    answer_id: int
    worker: PersonOut
