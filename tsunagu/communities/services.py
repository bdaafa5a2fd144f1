"""Writes to communities: create, join, invite, approve, leave, remove, roles, display choices,
activities with sign-up, attendance and endorsements, and the feed with replies, pins and hiding.

Each function is one transaction and refuses with a :class:`CommunityError` that changes
nothing. Moderator actions write an audit row in the same transaction. Leaving or being removed
changes only the membership's state: the person's contracts, reviews and jobs are untouched.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from tsunagu.accounts.models import User
from tsunagu.accounts.selectors import verified_levels
from tsunagu.audit.services import audit_record
from tsunagu.communities.errors import CommunityError, PostBlocked
from tsunagu.communities.models import (
    Activity,
    ActivityKind,
    Community,
    Endorsement,
    JoinPolicy,
    Membership,
    MemberState,
    Post,
    Role,
    SignUp,
)
from tsunagu.core.uploads import IMAGE_KINDS, check_upload
from tsunagu.guard.engine import scan_with_context

MAX_NAME = 80
MAX_MISSION = 2000
MAX_RULES = 5000
MAX_POST = 5000
MAX_TITLE = 120
MAX_DESCRIPTION = 5000
MAX_PLACE = 200
MAX_CAPACITY = 10_000
MAX_COVER_BYTES = 5 * 1024 * 1024
GUARD_HISTORY = 4

__all__ = [
    "activity_cancel_sign_up",
    "activity_create",
    "activity_record_attendance",
    "activity_sign_up",
    "community_create",
    "community_update",
    "endorsement_give",
    "membership_approve",
    "membership_decline",
    "membership_display_set",
    "membership_invite",
    "membership_join",
    "membership_leave",
    "membership_remove",
    "membership_role_set",
    "post_create",
    "post_hide",
    "post_pin",
]


# --- helpers --------------------------------------------------------------------------------


def _membership(community: Community, user: User, *, lock: bool = False) -> Membership | None:
    qs = Membership.objects.filter(community=community, user=user)
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def _active(community: Community, user: User, *, lock: bool = False) -> Membership:
    """The user's active membership, or not found: outsiders are not told what is inside."""
    membership = _membership(community, user, lock=lock)
    if membership is None or not membership.is_active:
        raise CommunityError.refuse("not_a_member")
    return membership


def _moderator(community: Community, user: User) -> Membership:
    membership = _active(community, user)
    if not membership.is_moderator:
        raise CommunityError.refuse("not_a_moderator")
    return membership


def _text(value: str, *, field: str, limit: int, required: str | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise CommunityError.refuse(required, field=field)
    if len(text) > limit:
        raise CommunityError.refuse("too_long", field=field, limit=limit)
    return text


def _check_identity(community: Community, user: User) -> None:
    if not (community.requires_real_name or community.requires_face_photo):
        return
    levels = verified_levels(user=user)
    if community.requires_real_name and "real_name" not in levels:
        raise CommunityError.refuse("real_name_required")
    if community.requires_face_photo and "face_photo" not in levels:
        raise CommunityError.refuse("face_photo_required")


def _snapshot(membership: Membership) -> dict[str, Any]:
    return {"user": membership.user_id, "role": membership.role, "state": membership.state}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:40].strip("-") or "community"
    slug = base
    while Community.objects.filter(slug=slug).exists():
        slug = f"{base}-{uuid.uuid4().hex[:6]}"
    return slug


def _guard(community: Community, author: User, body: str) -> str:
    """Community posts are guarded as messages before funding: contact details are blocked."""
    previous = list(
        Post.objects.filter(community=community, author=author)
        .order_by("-created_at", "-id")
        .values_list("body", flat=True)[:GUARD_HISTORY]
    )
    result = scan_with_context(body, previous[::-1])
    if result.verdict == "contact":
        raise PostBlocked([asdict(f) for f in result.findings])
    return "solicit" if result.verdict == "solicit" else ""


# --- communities ----------------------------------------------------------------------------


def community_create(
    *,
    by: User,
    name: str,
    mission: str,
    rules: str = "",
    join_policy: str = JoinPolicy.OPEN,
    requires_real_name: bool = False,
    requires_face_photo: bool = False,
    cover: UploadedFile | None = None,
    slug: str = "",
) -> Community:
    """A new community; its creator is its owner and first member."""
    name = _text(name, field="name", limit=MAX_NAME, required="name_required")
    mission = _text(mission, field="mission", limit=MAX_MISSION, required="mission_required")
    rules = _text(rules, field="rules", limit=MAX_RULES)
    if join_policy not in JoinPolicy.values:
        raise CommunityError.refuse("bad_choice", field="join_policy")
    for text in (name, mission, rules):
        if scan_with_context(text, []).verdict == "contact":
            raise PostBlocked([])
    if cover is not None:
        try:
            check_upload(cover, allowed_kinds=IMAGE_KINDS, max_bytes=MAX_COVER_BYTES)
        except ValidationError:
            raise CommunityError.refuse("cover_invalid", field="cover") from None
    stored = ""
    try:
        with transaction.atomic():
            community = Community(
                name=name,
                slug=_unique_slug(slug or name),
                mission=mission,
                rules=rules,
                join_policy=join_policy,
                requires_real_name=requires_real_name,
                requires_face_photo=requires_face_photo,
                created_by=by,
            )
            _check_identity(community, by)
            if cover is not None:
                extension = PurePath(cover.name or "").suffix.lower()
                community.cover.save(f"{uuid.uuid4().hex}{extension}", cover, save=False)
                stored = community.cover.name or ""
            community.save()
            Membership.objects.create(
                community=community,
                user=by,
                role=Role.OWNER,
                state=MemberState.ACTIVE,
                joined_at=timezone.now(),
            )
            audit_record(
                actor=by,
                subject=community,
                event="community.created",
                after={"name": name, "join_policy": join_policy},
            )
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return community


def community_update(
    *,
    community: Community,
    by: User,
    name: str,
    mission: str,
    rules: str = "",
    join_policy: str = JoinPolicy.OPEN,
    requires_real_name: bool = False,
    requires_face_photo: bool = False,
    cover: UploadedFile | None = None,
) -> Community:
    """The owner changes the community's description, policy or cover. Members who joined
    before a new identity requirement stay; it applies to those who join from now on."""
    name = _text(name, field="name", limit=MAX_NAME, required="name_required")
    mission = _text(mission, field="mission", limit=MAX_MISSION, required="mission_required")
    rules = _text(rules, field="rules", limit=MAX_RULES)
    if join_policy not in JoinPolicy.values:
        raise CommunityError.refuse("bad_choice", field="join_policy")
    for text in (name, mission, rules):
        if scan_with_context(text, []).verdict == "contact":
            raise PostBlocked([])
    if cover is not None:
        try:
            check_upload(cover, allowed_kinds=IMAGE_KINDS, max_bytes=MAX_COVER_BYTES)
        except ValidationError:
            raise CommunityError.refuse("cover_invalid", field="cover") from None
    stored = ""
    old_cover = ""
    try:
        with transaction.atomic():
            locked = Community.objects.select_for_update().get(pk=community.pk)
            actor = _active(locked, by)
            if actor.role != Role.OWNER:
                raise CommunityError.refuse(
                    "not_the_owner" if actor.is_moderator else "not_a_moderator"
                )
            fields = ("name", "mission", "rules", "join_policy")
            flags = ("requires_real_name", "requires_face_photo")
            before = {f: getattr(locked, f) for f in (*fields, *flags)}
            locked.name, locked.mission, locked.rules = name, mission, rules
            locked.join_policy = join_policy
            locked.requires_real_name = requires_real_name
            locked.requires_face_photo = requires_face_photo
            if cover is not None:
                old_cover = locked.cover.name or ""
                extension = PurePath(cover.name or "").suffix.lower()
                locked.cover.save(f"{uuid.uuid4().hex}{extension}", cover, save=False)
                stored = locked.cover.name or ""
            locked.save()
            after = {f: getattr(locked, f) for f in (*fields, *flags)}
            audit_record(
                actor=by,
                subject=locked,
                event="community.updated",
                before={**before, "cover": old_cover or None},
                after={**after, "cover": stored or old_cover or None},
            )
            if old_cover:
                transaction.on_commit(lambda: default_storage.delete(old_cover))
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return locked


# --- membership -----------------------------------------------------------------------------


def membership_join(*, community: Community, user: User) -> Membership:
    """Join: open → member at once; approval → waiting for a moderator; invitation → only with
    an invitation (which this accepts)."""
    with transaction.atomic():
        community = Community.objects.select_for_update().get(pk=community.pk)
        membership = _membership(community, user, lock=True)
        state = membership.state if membership else None
        if state == MemberState.ACTIVE:
            raise CommunityError.refuse("already_member")
        if state == MemberState.PENDING:
            raise CommunityError.refuse("already_pending")
        if state == MemberState.REMOVED:
            raise CommunityError.refuse("removed")
        if community.join_policy == JoinPolicy.INVITATION and state != MemberState.INVITED:
            raise CommunityError.refuse("invitation_only")
        _check_identity(community, user)
        if state == MemberState.INVITED or community.join_policy == JoinPolicy.OPEN:
            new_state = MemberState.ACTIVE
        else:
            new_state = MemberState.PENDING
        if membership is None:
            membership = Membership(community=community, user=user, role=Role.MEMBER)
        membership.state = new_state
        membership.role = Role.MEMBER
        membership.joined_at = timezone.now() if new_state == MemberState.ACTIVE else None
        membership.save()
    return membership


def membership_invite(*, community: Community, by: User, user: User) -> Membership:
    """A moderator invites someone; they become a member when they accept (join)."""
    with transaction.atomic():
        _moderator(community, by)
        membership = _membership(community, user, lock=True)
        if membership is not None:
            if membership.state == MemberState.ACTIVE:
                raise CommunityError.refuse("already_member")
            if membership.state == MemberState.INVITED:
                raise CommunityError.refuse("already_invited")
        else:
            membership = Membership(community=community, user=user, role=Role.MEMBER)
        before = _snapshot(membership) if membership.pk else None
        membership.state = MemberState.INVITED
        membership.role = Role.MEMBER
        membership.invited_by = by
        membership.save()
        audit_record(
            actor=by,
            subject=membership,
            event="community.member_invited",
            before=before,
            after=_snapshot(membership),
        )
    return membership


def _pending_decide(*, membership: Membership, by: User, approve: bool) -> Membership:
    with transaction.atomic():
        _moderator(membership.community, by)
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.state != MemberState.PENDING:
            raise CommunityError.refuse("not_pending")
        before = _snapshot(locked)
        locked.state = MemberState.ACTIVE if approve else MemberState.DECLINED
        locked.joined_at = timezone.now() if approve else None
        locked.save()
        audit_record(
            actor=by,
            subject=locked,
            event="community.request_approved" if approve else "community.request_declined",
            before=before,
            after=_snapshot(locked),
        )
    return locked


def membership_approve(*, membership: Membership, by: User) -> Membership:
    return _pending_decide(membership=membership, by=by, approve=True)


def membership_decline(*, membership: Membership, by: User) -> Membership:
    return _pending_decide(membership=membership, by=by, approve=False)


def _other_owners(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            community_id=membership.community_id, role=Role.OWNER, state=MemberState.ACTIVE
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def _cancel_future_signups(membership: Membership) -> None:
    now = timezone.now()
    SignUp.objects.filter(
        activity__community_id=membership.community_id,
        user_id=membership.user_id,
        cancelled_at__isnull=True,
        took_part=False,
        activity__starts_at__gt=now,
    ).update(cancelled_at=now)


def _leave(membership: Membership) -> None:
    """The member leaves (a locked row): no longer a member, future sign-ups cancelled."""
    membership.state = MemberState.LEFT
    membership.role = Role.MEMBER
    membership.save()
    _cancel_future_signups(membership)


def membership_leave(*, community: Community, user: User) -> Membership:
    """Leave the community. Future sign-ups are cancelled; everything else stays."""
    with transaction.atomic():
        Community.objects.select_for_update().get(pk=community.pk)
        membership = _active(community, user, lock=True)
        if membership.role == Role.OWNER and not _other_owners(membership):
            raise CommunityError.refuse("last_owner")
        _leave(membership)
    return membership


def last_owner_of(*, user_id: int) -> list[Community]:
    """The communities ``user_id`` alone owns while others belong to them."""
    owned = Membership.objects.filter(
        user_id=user_id, role=Role.OWNER, state=MemberState.ACTIVE
    ).select_related("community")
    return [
        m.community
        for m in owned.order_by("community__name")
        if not _other_owners(m)
        and Membership.objects.filter(community_id=m.community_id, state=MemberState.ACTIVE)
        .exclude(pk=m.pk)
        .exists()
    ]


def memberships_end(*, user_id: int) -> tuple[int, int]:
    """For a closing account: leave every community (its own services' refusal of a last owner
    is the closing's blocker, see ``last_owner_of``) and withdraw every request or invitation.
    Returns (communities left, requests withdrawn)."""
    belongs = Membership.objects.filter(
        user_id=user_id, state__in=(MemberState.ACTIVE, MemberState.PENDING, MemberState.INVITED)
    )
    # the community first, then the membership, as the other services lock them
    ids = sorted(set(belongs.values_list("community_id", flat=True)))
    list(Community.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    left = withdrawn = 0
    for membership in belongs.select_for_update().order_by("pk"):
        if membership.state == MemberState.ACTIVE:
            _leave(membership)
            left += 1
        else:
            membership.state, membership.role = MemberState.DECLINED, Role.MEMBER
            membership.save()
            withdrawn += 1
    return left, withdrawn


def membership_remove(*, membership: Membership, by: User, reason: str = "") -> Membership:
    """A moderator removes a member (the owner alone removes moderators)."""
    reason = _text(reason, field="reason", limit=500)
    with transaction.atomic():
        Community.objects.select_for_update().get(pk=membership.community_id)
        actor = _moderator(membership.community, by)
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.user_id == by.pk:
            raise CommunityError.refuse("not_oneself")
        if not locked.is_active:
            raise CommunityError.refuse("not_active")
        if locked.role != Role.MEMBER and actor.role != Role.OWNER:
            raise CommunityError.refuse("owner_protected")
        before = _snapshot(locked)
        locked.state = MemberState.REMOVED
        locked.role = Role.MEMBER
        locked.save()
        _cancel_future_signups(locked)
        audit_record(
            actor=by,
            subject=locked,
            event="community.member_removed",
            before=before,
            after={**_snapshot(locked), "reason": reason},
        )
    return locked


def membership_role_set(*, membership: Membership, by: User, role: str) -> Membership:
    """The owner makes a member a moderator or an owner, or back."""
    if role not in Role.values:
        raise CommunityError.refuse("bad_choice", field="role")
    with transaction.atomic():
        Community.objects.select_for_update().get(pk=membership.community_id)
        actor = _active(membership.community, by)
        if actor.role != Role.OWNER:
            raise CommunityError.refuse(
                "not_the_owner" if actor.is_moderator else "not_a_moderator"
            )
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if not locked.is_active:
            raise CommunityError.refuse("not_active")
        if locked.role == Role.OWNER and role != Role.OWNER and not _other_owners(locked):
            raise CommunityError.refuse("last_owner")
        before = _snapshot(locked)
        locked.role = role
        locked.save()
        audit_record(
            actor=by,
            subject=locked,
            event="community.role_changed",
            before=before,
            after=_snapshot(locked),
        )
    return locked


def membership_display_set(
    *, community: Community, user: User, show_real_name: bool, show_face_photo: bool
) -> Membership:
    """Choose whether this community's members see one's verified real name and face photo.
    A community that requires them always shows them."""
    with transaction.atomic():
        membership = _active(community, user, lock=True)
        membership.show_real_name = show_real_name or community.requires_real_name
        membership.show_face_photo = show_face_photo or community.requires_face_photo
        membership.save()
    return membership


# --- feed -----------------------------------------------------------------------------------


def post_create(
    *, community: Community, author: User, body: str, parent: Post | None = None
) -> Post:
    """A post (or a reply) by an active member; outside contact details are blocked."""
    body = _text(body, field="body", limit=MAX_POST, required="body_required")
    _active(community, author)
    if parent is not None and (
        parent.community_id != community.pk or parent.parent_id is not None or parent.is_hidden
    ):
        raise CommunityError.refuse("bad_parent")
    notice = _guard(community, author, body)
    with transaction.atomic():
        _active(community, author, lock=True)
        return Post.objects.create(
            community=community, author=author, body=body, parent=parent, guard_notice=notice
        )


def post_hide(*, post: Post, by: User, reason: str) -> Post:
    """A moderator (or staff, from the admin) hides a post from members; it is kept, audited."""
    reason = _text(reason, field="reason", limit=500, required="reason_required")
    with transaction.atomic():
        if not by.is_staff:
            _moderator(post.community, by)
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.is_hidden:
            raise CommunityError.refuse("already_hidden")
        locked.hidden_at = timezone.now()
        locked.hidden_by = by
        locked.hidden_reason = reason
        locked.pinned_at = None
        locked.save()
        audit_record(
            actor=by,
            subject=locked,
            event="community.post_hidden",
            before={"author": locked.author_id, "body": locked.body},
            after={"reason": reason},
        )
    return locked


def post_pin(*, post: Post, by: User, pinned: bool = True) -> Post:
    """Pin a post as an announcement at the top of the feed (or unpin it)."""
    with transaction.atomic():
        _moderator(post.community, by)
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.parent_id is not None:
            raise CommunityError.refuse("reply_not_pinnable")
        if locked.is_hidden:
            raise CommunityError.refuse("bad_parent")
        before = {"pinned": locked.is_pinned}
        locked.pinned_at = timezone.now() if pinned else None
        locked.save()
        audit_record(
            actor=by,
            subject=locked,
            event="community.post_pinned" if pinned else "community.post_unpinned",
            before=before,
            after={"pinned": pinned},
        )
    return locked


# --- activities -----------------------------------------------------------------------------


def activity_create(
    *,
    community: Community,
    by: User,
    kind: str,
    title: str,
    description: str = "",
    starts_at: Any = None,
    ends_at: Any = None,
    place: str = "",
    is_online: bool = False,
    capacity: int | None = None,
) -> Activity:
    """A moderator organises an event (start, place or online, capacity) or a project."""
    if kind not in ActivityKind.values:
        raise CommunityError.refuse("bad_choice", field="kind")
    title = _text(title, field="title", limit=MAX_TITLE, required="title_required")
    description = _text(description, field="description", limit=MAX_DESCRIPTION)
    place = _text(place, field="place", limit=MAX_PLACE)
    if kind == ActivityKind.EVENT:
        if starts_at is None:
            raise CommunityError.refuse("starts_required", field="starts_at")
        if starts_at <= timezone.now():
            raise CommunityError.refuse("starts_in_past", field="starts_at")
        if not place and not is_online:
            raise CommunityError.refuse("place_required", field="place")
    if starts_at is not None and ends_at is not None and ends_at < starts_at:
        raise CommunityError.refuse("ends_before_start", field="ends_at")
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise CommunityError.refuse("capacity_range", field="capacity")
    for text in (title, description, place):
        if text and scan_with_context(text, []).verdict == "contact":
            raise PostBlocked([])
    with transaction.atomic():
        _moderator(community, by)
        activity = Activity.objects.create(
            community=community,
            organiser=by,
            kind=kind,
            title=title,
            description=description,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            is_online=is_online,
            capacity=capacity,
        )
        audit_record(
            actor=by,
            subject=activity,
            event="community.activity_created",
            after={"title": title, "kind": kind, "capacity": capacity},
        )
    return activity


def _started(activity: Activity) -> bool:
    return activity.starts_at is not None and activity.starts_at <= timezone.now()


def activity_sign_up(*, activity: Activity, user: User) -> SignUp:
    """Sign up, if there is room. The activity's row lock serialises sign-ups, so two people
    can never take the last place together."""
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        _active(locked.community, user)
        if locked.kind == ActivityKind.EVENT and _started(locked):
            raise CommunityError.refuse("activity_over")
        signup = SignUp.objects.select_for_update().filter(activity=locked, user=user).first()
        if signup is not None and signup.is_active:
            raise CommunityError.refuse("already_signed_up")
        if locked.capacity is not None:
            taken = SignUp.objects.filter(activity=locked, cancelled_at__isnull=True).count()
            if taken >= locked.capacity:
                raise CommunityError.refuse("capacity_full")
        if signup is None:
            signup = SignUp.objects.create(activity=locked, user=user)
        else:
            signup.cancelled_at = None
            signup.save(update_fields=["cancelled_at"])
    return signup


def activity_cancel_sign_up(*, activity: Activity, user: User) -> SignUp:
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        signup = SignUp.objects.select_for_update().filter(activity=locked, user=user).first()
        if signup is None or not signup.is_active:
            raise CommunityError.refuse("not_signed_up")
        if locked.kind == ActivityKind.EVENT and _started(locked):
            raise CommunityError.refuse("activity_over")
        signup.cancelled_at = timezone.now()
        signup.save(update_fields=["cancelled_at"])
    return signup


def activity_record_attendance(
    *, activity: Activity, by: User, user_ids: Iterable[int]
) -> list[int]:
    """The organiser (or a moderator) marks who took part, once the event has started (a
    project at any time). Returns the ids now marked as having taken part."""
    wanted = {int(pk) for pk in user_ids}
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        membership = _active(locked.community, by)
        if locked.organiser_id != by.pk and not membership.is_moderator:
            raise CommunityError.refuse("not_the_organiser")
        if locked.kind == ActivityKind.EVENT and not _started(locked):
            raise CommunityError.refuse("not_started")
        signups = {s.user_id: s for s in SignUp.objects.select_for_update().filter(activity=locked)}
        eligible = {pk for pk, s in signups.items() if s.is_active or s.took_part}
        if wanted - eligible:
            raise CommunityError.refuse("not_signed_up_people", field="user_ids")
        before = sorted(pk for pk, s in signups.items() if s.took_part)
        unmarked = set(before) - wanted
        if unmarked:
            endorsed = set()
            for src, dst in Endorsement.objects.filter(
                Q(endorser_id__in=unmarked) | Q(endorsee_id__in=unmarked), activity=locked
            ).values_list("endorser_id", "endorsee_id"):
                endorsed |= {src, dst} & unmarked
            stuck = sorted(set(endorsed))
            if stuck:
                names = ", ".join(
                    u.profile.display_name if hasattr(u, "profile") else str(u)
                    for u in User.objects.filter(pk__in=stuck).select_related("profile")
                )
                raise CommunityError.refuse("has_endorsements", names=names)
        for pk, signup in signups.items():
            took_part = pk in wanted
            if signup.took_part != took_part:
                signup.took_part = took_part
                signup.save(update_fields=["took_part"])
        locked.attendance_recorded_at = timezone.now()
        locked.save(update_fields=["attendance_recorded_at"])
        audit_record(
            actor=by,
            subject=locked,
            event="community.attendance_recorded",
            before={"took_part": before},
            after={"took_part": sorted(wanted)},
        )
    return sorted(wanted)


def endorsement_give(*, activity: Activity, by: User, endorsee: User) -> Endorsement:
    """ "一緒に活動した": both must have taken part; once per pair and activity; never oneself."""
    if by.pk == endorsee.pk:
        raise CommunityError.refuse("not_oneself")
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        _active(locked.community, by)
        took_part = set(
            SignUp.objects.filter(
                activity=locked, user_id__in=[by.pk, endorsee.pk], took_part=True
            ).values_list("user_id", flat=True)
        )
        if by.pk not in took_part:
            raise CommunityError.refuse("you_did_not_take_part")
        if endorsee.pk not in took_part:
            raise CommunityError.refuse("they_did_not_take_part")
        if Endorsement.objects.filter(activity=locked, endorser=by, endorsee=endorsee).exists():
            raise CommunityError.refuse("already_endorsed")
        try:
            with transaction.atomic():
                return Endorsement.objects.create(activity=locked, endorser=by, endorsee=endorsee)
        except IntegrityError:
            raise CommunityError.refuse("already_endorsed") from None
