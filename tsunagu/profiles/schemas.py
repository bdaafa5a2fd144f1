"""API schemas for profiles: what is sent (ProfilePatchIn) and what is answered (…Out)."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from tsunagu.api.schemas import StrictSchema
from tsunagu.core.fields import Int, Line, Text


class SkillOut(Schema):
    slug: str
    category: str
    name_ja: str
    name_en: str


class PortfolioItemOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    url: str = Field(description="The link, or the address of the uploaded file.")
    file_name: str
    size: int
    sha256: str


class ProfileSummaryOut(Schema):
    id: int
    display_name: str
    real_name: str | None = Field(None, description="Only when the person chose to show it.")
    headline: str
    skills: list[SkillOut]
    tags: list[str]
    hourly_rate: int | None = Field(
        description="In the currency's smallest unit (yen for JPY, cents for USD and EUR)."
    )
    currency: str
    availability: str
    languages: list[str]
    time_zone: str
    verified: list[str] = Field(description="Verification levels passed, e.g. email, phone.")
    worker_trust_score: int | None = Field(
        description="Trust score as a worker (0–100); null while new as a worker."
    )
    client_trust_score: int | None = Field(
        description="Trust score as a client (0–100); null while new as a client."
    )


class ProfileOut(ProfileSummaryOut):
    bio: str
    bio_html: str = Field(description="The bio rendered from markdown and sanitised.")
    is_worker: bool
    is_client: bool
    show_real_name: bool
    working_hours_start: datetime.time
    working_hours_end: datetime.time
    working_days: list[int] = Field(description="0 = Monday … 6 = Sunday")
    weekly_capacity_hours: int
    portfolio: list[PortfolioItemOut]


class ProfileListOut(Schema):
    count: int
    page: int
    pages: int
    items: list[ProfileSummaryOut]


class ProfilePatchIn(StrictSchema):
    """Only the fields sent change. The same rules as the edit page apply.

    ``null`` is a value only for ``hourly_rate`` (no rate); for any other field it is refused.
    """

    display_name: Line | None = Field(None, max_length=50)
    show_real_name: bool | None = None
    headline: Line | None = Field(None, max_length=120)
    bio: Text | None = Field(None, max_length=5000, description="Markdown.")
    is_worker: bool | None = None
    is_client: bool | None = None
    skills: list[Line] | None = Field(None, description="Skill slugs.", max_length=100)
    tags: list[Line] | None = Field(None, max_length=100)
    hourly_rate: int | None = Field(
        None, ge=0, le=10_000_000, description="Smallest currency unit; null for none."
    )
    currency: Literal["JPY", "USD", "EUR"] | None = None
    working_hours_start: datetime.time | None = None
    working_hours_end: datetime.time | None = None
    working_days: list[Int] | None = Field(None, max_length=7, description="0 = Monday")
    weekly_capacity_hours: int | None = Field(None, ge=0, le=112)
    languages: list[Line] | None = Field(None, max_length=20, description="ISO 639-1 codes")
    availability: Literal["available", "limited", "unavailable"] | None = None

    @field_validator(
        "display_name",
        "show_real_name",
        "headline",
        "bio",
        "is_worker",
        "is_client",
        "skills",
        "tags",
        "currency",
        "working_hours_start",
        "working_hours_end",
        "working_days",
        "weekly_capacity_hours",
        "languages",
        "availability",
        mode="before",
    )
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError(_("This field may not be null."))
        return value
