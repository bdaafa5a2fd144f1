"""/api/v1/communities: list, detail, create, join and leave; members; activities with sign-up
and endorsements; posts with replies; and moderation: join requests, invitations, roles,
removing members, hiding and pinning posts, creating activities and recording who took part.

The same services and selectors as the pages. Anyone lists communities and reads their mission
and rules; the feed, activities and members answer 404 to anyone who is not an active member, as
if there were nothing there. Refusals are answered by the API's one error handler with their
stable code.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status

from tsunagu.accounts.models import User
from tsunagu.accounts.request import signed_in_user
from tsunagu.api.errors import ApiError
from tsunagu.api.schemas import ErrorOut
from tsunagu.communities import selectors, services
from tsunagu.communities.errors import CommunityError
from tsunagu.communities.models import Activity, Community, Membership, Post
from tsunagu.communities.schemas import (
    ActivityDetailOut,
    ActivityIn,
    ActivityOut,
    AttendanceIn,
    AttendanceOut,
    CommunityIn,
    CommunityOut,
    EndorseIn,
    EndorsementOut,
    InviteIn,
    MemberOut,
    MembershipOut,
    ModerationOut,
    PostIn,
    PostOut,
    ReasonIn,
    RequestOut,
    RoleIn,
    SignUpOut,
    StandingOut,
)
from tsunagu.core.fields import Line

router = Router(tags=["communities"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 409, 422, 429): ErrorOut}


class ListFilter(Schema):
    q: Line = ""


class MemberFilter(Schema):
    skill: Line = ""
    q: Line = ""


def _viewer(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _community_out(community: Community, viewer: User | None) -> CommunityOut:
    membership = selectors.membership_of(community=community, viewer=viewer)
    return CommunityOut(
        slug=community.slug,
        name=community.name,
        mission=community.mission,
        rules=community.rules,
        join_policy=community.join_policy,
        requires_real_name=community.requires_real_name,
        requires_face_photo=community.requires_face_photo,
        cover_url=community.cover.url if community.cover else None,
        member_count=getattr(community, "member_count", None)
        or selectors.active_member_count(community=community),
        my_state=membership.state if membership else None,
        my_role=membership.role if membership and membership.is_active else None,
    )


def _membership_out(m: Any) -> MembershipOut:
    return MembershipOut(community=m.community.slug, state=m.state, role=m.role)


def _activity_out(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "title": a.title,
        "description": a.description,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "place": a.place,
        "is_online": a.is_online,
        "capacity": a.capacity,
        "signed_up": getattr(a, "signed_up", 0),
        "organiser_id": a.organiser_id,
    }


def _post_out(post: Post, *, with_replies: bool = True) -> PostOut:
    return PostOut(
        id=post.pk,
        author_id=post.author_id,
        author_name=post.author.profile.display_name,
        body=post.body,
        pinned=post.is_pinned,
        hidden=post.is_hidden,
        guard_notice=post.guard_notice,
        created_at=post.created_at,
        replies=[_post_out(r, with_replies=False) for r in post.replies.all()]
        if with_replies
        else [],
    )


def _moderation_out(m: Membership) -> ModerationOut:
    return ModerationOut(membership_id=m.pk, user_id=m.user_id, state=m.state, role=m.role)


def _for_moderation(request: HttpRequest, slug: str, membership_id: int) -> tuple[User, Membership]:
    """The moderator acting and the membership of this community they act on."""
    user = signed_in_user(request)
    community = selectors.community_get(slug=slug)
    selectors.moderator_required(community=community, viewer=user)
    return user, selectors.membership_for_moderation(community=community, pk=membership_id)


def _post(request: HttpRequest, slug: str, post_id: int) -> tuple[User, Post]:
    user = signed_in_user(request)
    community = selectors.community_get(slug=slug)
    return user, selectors.post_get(community=community, pk=post_id, viewer=user)


def _activity(request: HttpRequest, slug: str, activity_id: int) -> Activity:
    community = selectors.community_get(slug=slug)
    return selectors.activity_get(
        community=community, pk=activity_id, viewer=signed_in_user(request)
    )


@router.get("", response={200: list[CommunityOut], **ERRORS}, auth=None, summary="Communities")
def list_communities(request: HttpRequest, filters: Query[ListFilter]) -> Any:
    viewer = _viewer(request)
    return [_community_out(c, viewer) for c in selectors.communities_list(q=filters.q)[:100]]


@router.post("", response={201: CommunityOut, **ERRORS}, summary="Start a community")
def create_community(request: HttpRequest, payload: CommunityIn) -> Any:
    user = signed_in_user(request)
    community = services.community_create(by=user, **payload.model_dump())
    return Status(201, _community_out(community, user))


@router.get("/{slug}", response={200: CommunityOut, **ERRORS}, auth=None, summary="One community")
def get_community(request: HttpRequest, slug: str) -> Any:
    return _community_out(selectors.community_get(slug=slug), _viewer(request))


@router.post("/{slug}/join", response={200: MembershipOut, **ERRORS}, summary="Join")
def join(request: HttpRequest, slug: str) -> Any:
    community = selectors.community_get(slug=slug)
    return _membership_out(
        services.membership_join(community=community, user=signed_in_user(request))
    )


@router.post("/{slug}/leave", response={200: MembershipOut, **ERRORS}, summary="Leave")
def leave(request: HttpRequest, slug: str) -> Any:
    community = selectors.community_get(slug=slug)
    return _membership_out(
        services.membership_leave(community=community, user=signed_in_user(request))
    )


@router.get("/{slug}/members", response={200: list[MemberOut], **ERRORS}, summary="Members")
def members(request: HttpRequest, slug: str, filters: Query[MemberFilter]) -> Any:
    community = selectors.community_get(slug=slug)
    rows = selectors.members(
        community=community, viewer=signed_in_user(request), skill=filters.skill, q=filters.q
    )
    return [
        MemberOut(
            user_id=row.user_id,
            membership_id=row.membership.pk,
            profile_id=row.profile.pk,
            display_name=row.profile.display_name,
            real_name=row.real_name,
            headline=row.profile.headline,
            role=row.membership.role,
            skills=[s.slug for s in row.profile.skills.all()],
            trust_score=row.profile.worker_trust_score,
            standing=StandingOut(
                activities=row.standing.activities,
                endorsements=row.standing.endorsements,
                endorsers=row.standing.endorsers,
            ),
        )
        for row in rows
    ]


@router.get("/{slug}/activities", response={200: list[ActivityOut], **ERRORS}, summary="Activities")
def activities(request: HttpRequest, slug: str) -> Any:
    community = selectors.community_get(slug=slug)
    items = selectors.activities(community=community, viewer=signed_in_user(request))
    return [ActivityOut(**_activity_out(a)) for a in items]


@router.get(
    "/{slug}/activities/{int:activity_id}",
    response={200: ActivityDetailOut, **ERRORS},
    summary="One activity",
)
def activity(request: HttpRequest, slug: str, activity_id: int) -> Any:
    user = signed_in_user(request)
    item = _activity(request, slug, activity_id)
    state = selectors.activity_state(activity=item, viewer=user)
    return ActivityDetailOut(
        **{**_activity_out(item), "signed_up": state.active_count},
        me_signed_up=bool(state.mine and state.mine.is_active),
        me_took_part=bool(state.mine and state.mine.took_part),
        participants=[s.user_id for s in state.participants],
        endorsed_by_me=sorted(state.endorsed_by_me),
    )


@router.post(
    "/{slug}/activities/{int:activity_id}/sign-up",
    response={200: SignUpOut, **ERRORS},
    summary="Sign up for an activity",
)
def sign_up(request: HttpRequest, slug: str, activity_id: int) -> Any:
    item = _activity(request, slug, activity_id)
    signup = services.activity_sign_up(activity=item, user=signed_in_user(request))
    return SignUpOut(activity_id=item.pk, user_id=signup.user_id, active=signup.is_active)


@router.delete(
    "/{slug}/activities/{int:activity_id}/sign-up",
    response={200: SignUpOut, **ERRORS},
    summary="Cancel a sign-up",
)
def cancel_sign_up(request: HttpRequest, slug: str, activity_id: int) -> Any:
    item = _activity(request, slug, activity_id)
    signup = services.activity_cancel_sign_up(activity=item, user=signed_in_user(request))
    return SignUpOut(activity_id=item.pk, user_id=signup.user_id, active=signup.is_active)


@router.post(
    "/{slug}/activities/{int:activity_id}/endorsements",
    response={201: EndorsementOut, **ERRORS},
    summary="Endorse someone who took part with you (一緒に活動した)",
)
def endorse(request: HttpRequest, slug: str, activity_id: int, payload: EndorseIn) -> Any:
    item = _activity(request, slug, activity_id)
    endorsee = User.objects.filter(pk=payload.endorsee_id).first()
    if endorsee is None:
        raise CommunityError.refuse("they_did_not_take_part")
    endorsement = services.endorsement_give(
        activity=item, by=signed_in_user(request), endorsee=endorsee
    )
    return Status(
        201,
        EndorsementOut(
            activity_id=item.pk,
            endorser_id=endorsement.endorser_id,
            endorsee_id=endorsement.endorsee_id,
            created_at=endorsement.created_at,
        ),
    )


@router.get("/{slug}/posts", response={200: list[PostOut], **ERRORS}, summary="The feed")
def posts(request: HttpRequest, slug: str) -> Any:
    community = selectors.community_get(slug=slug)
    pinned, rest = selectors.feed(community=community, viewer=signed_in_user(request))
    return [_post_out(p) for p in [*pinned, *rest]]


@router.post("/{slug}/posts", response={201: PostOut, **ERRORS}, summary="Post in the feed")
def create_post(request: HttpRequest, slug: str, payload: PostIn) -> Any:
    community = selectors.community_get(slug=slug)
    post = services.post_create(
        community=community, author=signed_in_user(request), body=payload.body
    )
    return Status(201, _post_out(post, with_replies=False))


@router.post(
    "/{slug}/posts/{int:post_id}/replies",
    response={201: PostOut, **ERRORS},
    summary="Reply to a post",
)
def reply(request: HttpRequest, slug: str, post_id: int, payload: PostIn) -> Any:
    user = signed_in_user(request)
    community = selectors.community_get(slug=slug)
    parent = selectors.post_get(community=community, pk=post_id, viewer=user)
    post = services.post_create(community=community, author=user, body=payload.body, parent=parent)
    return Status(201, _post_out(post, with_replies=False))


# --- moderation -----------------------------------------------------------------------------


@router.get(
    "/{slug}/requests",
    response={200: list[RequestOut], **ERRORS},
    summary="Join requests waiting for a moderator",
)
def requests(request: HttpRequest, slug: str) -> Any:
    community = selectors.community_get(slug=slug)
    pending = selectors.pending_requests(community=community, viewer=signed_in_user(request))
    return [
        RequestOut(
            membership_id=m.pk,
            user_id=m.user_id,
            display_name=m.user.profile.display_name,
            requested_at=m.created_at,
        )
        for m in pending
    ]


@router.post(
    "/{slug}/requests/{int:membership_id}/approve",
    response={200: ModerationOut, **ERRORS},
    summary="Approve a join request",
)
def request_approve(request: HttpRequest, slug: str, membership_id: int) -> Any:
    user, membership = _for_moderation(request, slug, membership_id)
    return _moderation_out(services.membership_approve(membership=membership, by=user))


@router.post(
    "/{slug}/requests/{int:membership_id}/decline",
    response={200: ModerationOut, **ERRORS},
    summary="Decline a join request",
)
def request_decline(request: HttpRequest, slug: str, membership_id: int) -> Any:
    user, membership = _for_moderation(request, slug, membership_id)
    return _moderation_out(services.membership_decline(membership=membership, by=user))


@router.post(
    "/{slug}/invitations",
    response={201: ModerationOut, **ERRORS},
    summary="Invite someone by the e-mail address of their account",
)
def invite(request: HttpRequest, slug: str, payload: InviteIn) -> Any:
    user = signed_in_user(request)
    community = selectors.community_get(slug=slug)
    selectors.moderator_required(community=community, viewer=user)
    invitee = User.objects.filter(email__iexact=payload.email.strip()).first()
    if invitee is None:
        raise ApiError(
            "no_such_account",
            _("There is no account with this e-mail address."),
            422,
            field="email",
        )
    membership = services.membership_invite(community=community, by=user, user=invitee)
    return Status(201, _moderation_out(membership))


@router.put(
    "/{slug}/memberships/{int:membership_id}/role",
    response={200: ModerationOut, **ERRORS},
    summary="Change a member's role (the owner)",
)
def role_set(request: HttpRequest, slug: str, membership_id: int, payload: RoleIn) -> Any:
    user, membership = _for_moderation(request, slug, membership_id)
    return _moderation_out(
        services.membership_role_set(membership=membership, by=user, role=payload.role)
    )


@router.post(
    "/{slug}/memberships/{int:membership_id}/remove",
    response={200: ModerationOut, **ERRORS},
    summary="Remove a member (their contracts and reviews are unchanged)",
)
def member_remove(
    request: HttpRequest, slug: str, membership_id: int, payload: ReasonIn | None = None
) -> Any:
    user, membership = _for_moderation(request, slug, membership_id)
    reason = payload.reason if payload is not None else ""
    return _moderation_out(
        services.membership_remove(membership=membership, by=user, reason=reason)
    )


@router.post(
    "/{slug}/posts/{int:post_id}/hide",
    response={200: PostOut, **ERRORS},
    summary="Hide a post from members (kept and audited)",
)
def post_hide(request: HttpRequest, slug: str, post_id: int, payload: ReasonIn) -> Any:
    user, post = _post(request, slug, post_id)
    return _post_out(
        services.post_hide(post=post, by=user, reason=payload.reason), with_replies=False
    )


@router.post(
    "/{slug}/posts/{int:post_id}/pin",
    response={200: PostOut, **ERRORS},
    summary="Pin a post as an announcement",
)
def post_pin(request: HttpRequest, slug: str, post_id: int) -> Any:
    user, post = _post(request, slug, post_id)
    return _post_out(services.post_pin(post=post, by=user, pinned=True), with_replies=False)


@router.delete(
    "/{slug}/posts/{int:post_id}/pin",
    response={200: PostOut, **ERRORS},
    summary="Unpin an announcement",
)
def post_unpin(request: HttpRequest, slug: str, post_id: int) -> Any:
    user, post = _post(request, slug, post_id)
    return _post_out(services.post_pin(post=post, by=user, pinned=False), with_replies=False)


@router.post(
    "/{slug}/activities",
    response={201: ActivityOut, **ERRORS},
    summary="Organise an event or a project (moderators)",
)
def create_activity(request: HttpRequest, slug: str, payload: ActivityIn) -> Any:
    user = signed_in_user(request)
    community = selectors.community_get(slug=slug)
    selectors.moderator_required(community=community, viewer=user)
    item = services.activity_create(community=community, by=user, **payload.model_dump())
    return Status(201, ActivityOut(**_activity_out(item)))


@router.put(
    "/{slug}/activities/{int:activity_id}/attendance",
    response={200: AttendanceOut, **ERRORS},
    summary="Record who took part (the organiser or a moderator)",
)
def attendance(request: HttpRequest, slug: str, activity_id: int, payload: AttendanceIn) -> Any:
    item = _activity(request, slug, activity_id)
    took_part = services.activity_record_attendance(
        activity=item, by=signed_in_user(request), user_ids=payload.user_ids
    )
    return AttendanceOut(activity_id=item.pk, took_part=took_part)
