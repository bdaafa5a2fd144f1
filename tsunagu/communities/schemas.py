"""API schemas for communities: what is sent (…In, strict) and what is answered (…Out)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from tsunagu.api.schemas import StrictSchema
from tsunagu.core.fields import Id, Int, Line, Moment, Text


class CommunityIn(StrictSchema):
    name: Line
    mission: Text
    rules: Text = ""
    join_policy: Line = Field("open", description="open, approval or invitation.")
    requires_real_name: bool = False
    requires_face_photo: bool = False


class CommunityOut(Schema):
    slug: str
    name: str
    mission: str
    rules: str
    join_policy: str
    requires_real_name: bool
    requires_face_photo: bool
    cover_url: str | None
    member_count: int
    my_state: str | None = Field(
        None, description="The caller's membership: pending, active, invited, left, removed."
    )
    my_role: str | None = None


class MembershipOut(Schema):
    community: str
    state: str
    role: str


class StandingOut(Schema):
    activities: int
    endorsements: int
    endorsers: int


class MemberOut(Schema):
    user_id: int
    membership_id: int = Field(description="What the moderation endpoints take.")
    profile_id: int
    display_name: str
    real_name: str = Field("", description="Only when the member chose to show it here.")
    headline: str
    role: str
    skills: list[str]
    trust_score: int | None
    standing: StandingOut


class ActivityOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    place: str
    is_online: bool
    capacity: int | None
    signed_up: int
    organiser_id: int


class ActivityDetailOut(ActivityOut):
    me_signed_up: bool
    me_took_part: bool
    participants: list[int]
    endorsed_by_me: list[int]


class SignUpOut(Schema):
    activity_id: int
    user_id: int
    active: bool


class EndorseIn(StrictSchema):
    endorsee_id: Id


class EndorsementOut(Schema):
    activity_id: int
    endorser_id: int
    endorsee_id: int
    created_at: datetime.datetime


class PostIn(StrictSchema):
    body: Text


class PostOut(Schema):
    id: int
    author_id: int
    author_name: str
    body: str
    pinned: bool
    hidden: bool
    guard_notice: str = Field("", description='"solicit" when the post asks to deal off Tsunagu.')
    created_at: datetime.datetime
    replies: list[PostOut] = Field(default_factory=list)


class ActivityIn(StrictSchema):
    kind: Line = Field("event", description="event or project.")
    title: Line
    description: Text = ""
    starts_at: Moment | None = Field(
        None,
        description="ISO 8601; without an offset, in your time zone. Required for an event, "
        "which must start in the future.",
    )
    ends_at: Moment | None = None
    place: Line = ""
    is_online: bool = False
    capacity: Int | None = Field(None, description="1 to 10,000, or null for no limit.")

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _aware(cls, value: datetime.datetime | None) -> datetime.datetime | None:
        """A time without an offset is read in the sender's time zone, as the page's form does;
        one that cannot be stored (beyond the calendar once in UTC) is refused here."""
        if value is None:
            return None
        try:
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise ValueError(_("Enter a date and time in ISO 8601 format.")) from None
        return value


class InviteIn(StrictSchema):
    email: Line = Field(max_length=254, description="The e-mail address of the person's account.")


class RoleIn(StrictSchema):
    role: Line = Field(description="owner, moderator or member.")


class ReasonIn(StrictSchema):
    reason: Text = ""


class AttendanceIn(StrictSchema):
    user_ids: list[Id] = Field(
        max_length=10_000, description="Everyone who took part; the others are unmarked."
    )


class AttendanceOut(Schema):
    activity_id: int
    took_part: list[int]


class ModerationOut(Schema):
    """A membership as a moderator sees it after acting on it."""

    membership_id: int
    user_id: int
    state: str
    role: str


class RequestOut(Schema):
    membership_id: int
    user_id: int
    display_name: str
    requested_at: datetime.datetime
