"""Reads of communities: the list and search, one community as a viewer sees it, the feed, the
activities, the member directory and a member's standing, the community job board, and what the
jobs and trust apps ask through their registries.

Who may see what: anyone sees a community's name, mission and rules; only its active members see
its feed, activities, members and jobs (others get "not found", as if there were nothing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from tsunagu.accounts.models import DocumentKind, ReviewStatus, User, VerificationDocument
from tsunagu.accounts.selectors import verified_levels_for
from tsunagu.communities.errors import CommunityError
from tsunagu.communities.models import (
    Activity,
    Community,
    Endorsement,
    Membership,
    MemberState,
    Post,
    Role,
    SignUp,
)
from tsunagu.jobs.models import Job, JobStatus, Visibility
from tsunagu.profiles.models import Profile
from tsunagu.trust import engine
from tsunagu.trust.sources import Contribution

MEMBERS_PER_PAGE = 50
POSTS_IN_FEED = 50


def _uid(viewer: Any) -> int | None:
    return viewer.pk if viewer is not None and getattr(viewer, "is_authenticated", False) else None


# --- communities ----------------------------------------------------------------------------


def communities_list(*, q: str = "") -> QuerySet[Community]:
    """Every community with its number of active members, filtered by words in the name or
    mission."""
    qs = Community.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__state=MemberState.ACTIVE))
    )
    for word in q.split()[:5]:
        qs = qs.filter(Q(name__icontains=word) | Q(mission__icontains=word))
    return qs.order_by("-member_count", "name", "id")


def communities_of(*, user: Any) -> QuerySet[Community]:
    """The communities ``user`` is an active member of."""
    pk = _uid(user)
    if pk is None:
        return Community.objects.none()
    return Community.objects.filter(
        memberships__user_id=pk, memberships__state=MemberState.ACTIVE
    ).order_by("name", "id")


def community_get(*, slug: str) -> Community:
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise CommunityError.refuse("not_found")
    return community


def membership_of(*, community: Community, viewer: Any) -> Membership | None:
    pk = _uid(viewer)
    if pk is None:
        return None
    return Membership.objects.filter(community=community, user_id=pk).first()


def member_required(*, community: Community, viewer: Any) -> Membership:
    """The viewer's active membership, or not found."""
    membership = membership_of(community=community, viewer=viewer)
    if membership is None or not membership.is_active:
        raise CommunityError.refuse("not_a_member")
    return membership


def moderator_required(*, community: Community, viewer: Any) -> Membership:
    membership = member_required(community=community, viewer=viewer)
    if not membership.is_moderator:
        raise CommunityError.refuse("not_a_moderator")
    return membership


def active_member_count(*, community: Community) -> int:
    return Membership.objects.filter(community=community, state=MemberState.ACTIVE).count()


# --- feed -----------------------------------------------------------------------------------


def feed(*, community: Community, viewer: Any) -> tuple[list[Post], list[Post]]:
    """(pinned announcements, other posts), newest first, each with its replies. Hidden posts
    and replies are shown to moderators only (marked as hidden)."""
    membership = member_required(community=community, viewer=viewer)
    visible = Q() if membership.is_moderator else Q(hidden_at__isnull=True)
    replies = (
        Post.objects.filter(visible).select_related("author__profile").order_by("created_at", "id")
    )
    posts = list(
        Post.objects.filter(visible, community=community, parent__isnull=True)
        .select_related("author__profile")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("-created_at", "-id")[:POSTS_IN_FEED]
    )
    pinned = sorted((p for p in posts if p.is_pinned), key=lambda p: p.pinned_at, reverse=True)  # type: ignore[arg-type,return-value]
    return pinned, [p for p in posts if not p.is_pinned]


def post_get(*, community: Community, pk: int, viewer: Any) -> Post:
    """A post of this community the viewer may see, or not found."""
    membership = member_required(community=community, viewer=viewer)
    post = Post.objects.filter(community=community, pk=pk).select_related("community").first()
    if post is None or (post.is_hidden and not membership.is_moderator):
        raise CommunityError.refuse("not_found")
    return post


# --- members --------------------------------------------------------------------------------


@dataclass
class Standing:
    """What a member did in a community: activities taken part in and endorsements received."""

    activities: int = 0
    endorsements: int = 0
    endorsers: int = 0


@dataclass
class MemberRow:
    membership: Membership
    profile: Profile
    real_name: str = ""
    shows_face_photo: bool = False
    standing: Standing = field(default_factory=Standing)

    @property
    def user_id(self) -> int:
        return self.membership.user_id


def _standings(community: Community, user_ids: Sequence[int]) -> dict[int, Standing]:
    out = {pk: Standing() for pk in user_ids}
    for pk, n in (
        SignUp.objects.filter(activity__community=community, user_id__in=user_ids, took_part=True)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    ):
        out[pk].activities = n
    for pk, n, who in (
        Endorsement.objects.filter(activity__community=community, endorsee_id__in=user_ids)
        .values("endorsee_id")
        .annotate(n=Count("id"), who=Count("endorser_id", distinct=True))
        .values_list("endorsee_id", "n", "who")
    ):
        out[pk].endorsements = n
        out[pk].endorsers = who
    return out


def _rows(community: Community, memberships: list[Membership]) -> list[MemberRow]:
    ids = [m.user_id for m in memberships]
    levels = verified_levels_for(user_ids=ids)
    standings = _standings(community, ids)
    rows = []
    for m in memberships:
        user = m.user
        verified = levels.get(m.user_id, set())
        real_name = user.legal_name if m.show_real_name and "real_name" in verified else ""
        rows.append(
            MemberRow(
                membership=m,
                profile=user.profile,
                real_name=real_name,
                shows_face_photo=m.show_face_photo and "face_photo" in verified,
                standing=standings[m.user_id],
            )
        )
    return rows


def members(*, community: Community, viewer: Any, skill: str = "", q: str = "") -> list[MemberRow]:
    """The member directory: active members with their skills, trust and standing; filtered by
    a skill's slug and words in the name or headline. A constant number of queries."""
    member_required(community=community, viewer=viewer)
    qs = (
        Membership.objects.filter(community=community, state=MemberState.ACTIVE)
        .select_related("user__profile")
        .prefetch_related("user__profile__skills")
    )
    if skill:
        qs = qs.filter(user__profile__skills__slug=skill)
    for word in q.split()[:5]:
        qs = qs.filter(
            Q(user__profile__display_name__icontains=word)
            | Q(user__profile__headline__icontains=word)
        )
    role_order: dict[str, int] = {Role.OWNER: 0, Role.MODERATOR: 1, Role.MEMBER: 2}
    memberships = sorted(
        qs.distinct()[: MEMBERS_PER_PAGE * 10],
        key=lambda m: (role_order.get(m.role, 3), m.joined_at or timezone.now(), m.pk),
    )
    return _rows(community, memberships)


def member_get(*, community: Community, user_id: int, viewer: Any) -> MemberRow:
    member_required(community=community, viewer=viewer)
    membership = (
        Membership.objects.filter(community=community, user_id=user_id, state=MemberState.ACTIVE)
        .select_related("user__profile")
        .prefetch_related("user__profile__skills")
        .first()
    )
    if membership is None:
        raise CommunityError.refuse("member_not_found")
    return _rows(community, [membership])[0]


def member_endorsements(*, community: Community, user_id: int) -> list[Endorsement]:
    return list(
        Endorsement.objects.filter(activity__community=community, endorsee_id=user_id)
        .select_related("endorser__profile", "activity")
        .order_by("-created_at", "-id")
    )


def face_photo_for(*, community: Community, user_id: int, viewer: Any) -> VerificationDocument:
    """The approved face photo a member chose to show here, for another active member."""
    row = member_get(community=community, user_id=user_id, viewer=viewer)
    if not row.shows_face_photo:
        raise CommunityError.refuse("not_found")
    document = (
        VerificationDocument.objects.filter(
            user_id=user_id, kind=DocumentKind.FACE_PHOTO, status=ReviewStatus.APPROVED
        )
        .order_by("-id")
        .first()
    )
    if document is None:
        raise CommunityError.refuse("not_found")
    return document


def pending_requests(*, community: Community, viewer: Any) -> list[Membership]:
    moderator_required(community=community, viewer=viewer)
    return list(
        Membership.objects.filter(community=community, state=MemberState.PENDING)
        .select_related("user__profile")
        .order_by("created_at", "id")
    )


def membership_for_moderation(*, community: Community, pk: int) -> Membership:
    membership = (
        Membership.objects.filter(community=community, pk=pk).select_related("community").first()
    )
    if membership is None:
        raise CommunityError.refuse("member_not_found")
    return membership


# --- activities -----------------------------------------------------------------------------


def activities(*, community: Community, viewer: Any) -> list[Activity]:
    member_required(community=community, viewer=viewer)
    return list(
        Activity.objects.filter(community=community)
        .select_related("organiser__profile")
        .annotate(
            signed_up=Count("signups", filter=Q(signups__cancelled_at__isnull=True)),
            took_part=Count("signups", filter=Q(signups__took_part=True)),
        )
        .order_by("-starts_at", "-id")
    )


def activity_get(*, community: Community, pk: int, viewer: Any) -> Activity:
    member_required(community=community, viewer=viewer)
    activity = (
        Activity.objects.filter(community=community, pk=pk)
        .select_related("organiser__profile", "community")
        .first()
    )
    if activity is None:
        raise CommunityError.refuse("not_found")
    return activity


@dataclass
class ActivityState:
    signups: list[SignUp]
    mine: SignUp | None
    participants: list[SignUp]
    endorsed_by_me: set[int]
    endorsements: list[Endorsement]
    can_manage: bool
    started: bool

    @property
    def active_count(self) -> int:
        return sum(1 for s in self.signups if s.is_active)


def activity_state(*, activity: Activity, viewer: Any) -> ActivityState:
    membership = member_required(community=activity.community, viewer=viewer)
    signups = list(
        SignUp.objects.filter(activity=activity)
        .select_related("user__profile")
        .order_by("created_at", "id")
    )
    mine = next((s for s in signups if s.user_id == viewer.pk), None)
    endorsements = list(
        Endorsement.objects.filter(activity=activity).select_related(
            "endorser__profile", "endorsee__profile"
        )
    )
    return ActivityState(
        signups=signups,
        mine=mine,
        participants=[s for s in signups if s.took_part],
        endorsed_by_me={e.endorsee_id for e in endorsements if e.endorser_id == viewer.pk},
        endorsements=endorsements,
        can_manage=membership.is_moderator or activity.organiser_id == viewer.pk,
        started=activity.starts_at is None or activity.starts_at <= timezone.now(),
    )


# --- jobs -----------------------------------------------------------------------------------


def community_jobs(*, community: Community, viewer: Any) -> QuerySet[Job]:
    """The community job board: open jobs only its members see."""
    member_required(community=community, viewer=viewer)
    return (
        Job.objects.filter(
            community=community, visibility=Visibility.COMMUNITY, status=JobStatus.OPEN
        )
        .select_related("client__profile", "category")
        .order_by("-published_at", "-id")
    )


def community_ids_for_user(user_id: int) -> list[int]:
    """For jobs.audience: the communities the user is an active member of."""
    return list(
        Membership.objects.filter(user_id=user_id, state=MemberState.ACTIVE).values_list(
            "community_id", flat=True
        )
    )


def fellow_member_ids(user_id: int) -> list[int]:
    """The people who are active members of a community that ``user_id`` is an active member
    of (for referrals: whom one knows through communities)."""
    return list(
        Membership.objects.filter(
            state=MemberState.ACTIVE,
            community_id__in=Membership.objects.filter(
                user_id=user_id, state=MemberState.ACTIVE
            ).values("community_id"),
        )
        .exclude(user_id=user_id)
        .values_list("user_id", flat=True)
        .distinct()
    )


# --- trust ----------------------------------------------------------------------------------


def trust_edges() -> list[engine.Endorsement]:
    """Every endorsement as a local-trust edge; the engine caps them per pair."""
    return [
        engine.Endorsement(src=str(src), dst=str(dst))
        for src, dst in Endorsement.objects.order_by("id").values_list("endorser_id", "endorsee_id")
    ]


def trust_contributions(user_ids: Sequence[int]) -> Mapping[int, Contribution]:
    """Per user: the distinct people who endorsed them and the activities they took part in,
    over every community, in two queries."""
    ids = list({int(pk) for pk in user_ids})
    endorsers: dict[int, set[int]] = {}
    for dst, src in (
        Endorsement.objects.filter(endorsee_id__in=ids)
        .values_list("endorsee_id", "endorser_id")
        .distinct()
    ):
        endorsers.setdefault(dst, set()).add(src)
    activities = dict(
        SignUp.objects.filter(user_id__in=ids, took_part=True)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    out: dict[int, Contribution] = {}
    for pk in set(endorsers) | set(activities):
        out[pk] = Contribution(
            endorsers=frozenset(endorsers.get(pk, set())), activities=activities.get(pk, 0)
        )
    return out


def user_for_member(*, pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()


def profile_communities(*, user_id: int, viewer: Any) -> list[Community]:
    """For the profile page: the person's communities, invitation-only ones shown only to their
    members."""
    viewer_id = _uid(viewer)
    mine = set(community_ids_for_user(viewer_id)) if viewer_id is not None else set()
    return [
        c
        for c in Community.objects.filter(
            memberships__user_id=user_id, memberships__state=MemberState.ACTIVE
        ).order_by("name", "id")
        if c.join_policy != "invitation" or c.pk in mine
    ]
