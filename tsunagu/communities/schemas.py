"""API schemas for communities: what is sent (…In, strict) and what is answered (…Out)."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from tsunagu.api.schemas import StrictSchema


class CommunityIn(StrictSchema):
    name: str
    mission: str
    rules: str = ""
    join_policy: str = Field("open", description="open, approval or invitation.")
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
    endorsee_id: int


class EndorsementOut(Schema):
    activity_id: int
    endorser_id: int
    endorsee_id: int
    created_at: datetime.datetime


class PostIn(StrictSchema):
    body: str


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
