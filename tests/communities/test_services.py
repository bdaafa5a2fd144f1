"""Every rule of the community services, each refusal with a second and a third user, and a
check that a refusal changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.accounts import files
from tests.accounts.factories import UserFactory
from tests.communities.factories import (
    community,
    event,
    held,
    member,
    moderator,
    person,
    signed_up,
)
from tests.profiles.factories import png_upload
from tsunagu.accounts import services as account_services
from tsunagu.accounts.models import DocumentKind, User
from tsunagu.audit.models import AuditEvent
from tsunagu.communities import selectors, services
from tsunagu.communities.errors import CommunityError, PostBlocked
from tsunagu.communities.models import (
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
from tsunagu.core.errors import ErrorKind
from tsunagu.profiles.models import Skill

pytestmark = pytest.mark.django_db


def state(c: Community, user: User) -> str | None:
    m = Membership.objects.filter(community=c, user=user).first()
    return m.state if m else None


# --- create ---------------------------------------------------------------------------------


def test_the_creator_is_the_owner_and_an_audit_row_is_written() -> None:
    owner = person("オーナー")
    c = community(owner, cover=png_upload("cover.png"))
    m = Membership.objects.get(community=c, user=owner)
    assert (m.role, m.state) == (Role.OWNER, MemberState.ACTIVE)
    assert c.slug and c.cover.name.endswith(".png")
    assert AuditEvent.objects.filter(event="community.created", subject_id=str(c.pk)).exists()


def test_a_cover_that_is_not_an_image_is_refused_and_nothing_is_created() -> None:
    with pytest.raises(CommunityError) as caught:
        community(cover=files.pdf())
    assert caught.value.code == "cover_invalid"
    assert caught.value.kind == ErrorKind.INVALID
    assert not Community.objects.exists()


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"name": "  "}, "name_required"),
        ({"mission": ""}, "mission_required"),
        ({"name": "x" * 81}, "too_long"),
        ({"join_policy": "secret"}, "bad_choice"),
        ({"mission": "連絡は taro.yamada@gmail.com まで"}, "contact_blocked"),
    ],
)
def test_bad_community_values_are_refused(values: dict[str, Any], code: str) -> None:
    with pytest.raises(CommunityError) as caught:
        community(**values)
    assert caught.value.code == code
    assert not Community.objects.exists()


# --- join -----------------------------------------------------------------------------------


def test_an_open_community_is_joined_at_once() -> None:
    c = community()
    user = person()
    services.membership_join(community=c, user=user)
    assert state(c, user) == MemberState.ACTIVE
    with pytest.raises(CommunityError) as caught:
        services.membership_join(community=c, user=user)
    assert caught.value.code == "already_member"


def test_joining_an_approval_community_waits_for_a_moderator() -> None:
    c = community(join_policy=JoinPolicy.APPROVAL)
    mod = moderator(c)
    applicant, outsider = person(), person()
    m = services.membership_join(community=c, user=applicant)
    assert m.state == MemberState.PENDING
    # a pending applicant is not a member: the feed is not theirs to see
    with pytest.raises(CommunityError) as caught:
        selectors.feed(community=c, viewer=applicant)
    assert caught.value.kind == ErrorKind.NOT_FOUND
    # an ordinary member (third user) cannot approve
    plain = member(c)
    with pytest.raises(CommunityError) as caught:
        services.membership_approve(membership=m, by=plain)
    assert caught.value.code == "not_a_moderator"
    with pytest.raises(CommunityError) as caught:
        services.membership_approve(membership=m, by=outsider)
    assert caught.value.code == "not_a_member"
    assert state(c, applicant) == MemberState.PENDING
    services.membership_approve(membership=m, by=mod)
    assert state(c, applicant) == MemberState.ACTIVE
    assert AuditEvent.objects.filter(event="community.request_approved", actor=mod).exists()


def test_a_declined_request_can_be_made_again() -> None:
    c = community(join_policy=JoinPolicy.APPROVAL)
    applicant = person()
    m = services.membership_join(community=c, user=applicant)
    services.membership_decline(membership=m, by=c.created_by)
    assert state(c, applicant) == MemberState.DECLINED
    with pytest.raises(CommunityError) as caught:
        services.membership_decline(membership=m, by=c.created_by)
    assert caught.value.code == "not_pending"
    services.membership_join(community=c, user=applicant)
    assert state(c, applicant) == MemberState.PENDING


def test_an_invitation_only_community_refuses_those_not_invited() -> None:
    c = community(join_policy=JoinPolicy.INVITATION)
    invited, stranger = person(), person()
    with pytest.raises(CommunityError) as caught:
        services.membership_join(community=c, user=stranger)
    assert (caught.value.code, caught.value.kind) == ("invitation_only", ErrorKind.FORBIDDEN)
    assert state(c, stranger) is None
    # a plain member cannot invite
    plain = member(c)
    with pytest.raises(CommunityError):
        services.membership_invite(community=c, by=plain, user=stranger)
    services.membership_invite(community=c, by=c.created_by, user=invited)
    assert state(c, invited) == MemberState.INVITED
    with pytest.raises(CommunityError) as caught:
        services.membership_invite(community=c, by=c.created_by, user=invited)
    assert caught.value.code == "already_invited"
    services.membership_join(community=c, user=invited)
    assert state(c, invited) == MemberState.ACTIVE
    assert AuditEvent.objects.filter(event="community.member_invited").count() == 1


def test_a_community_can_require_a_verified_real_name_and_face_photo() -> None:
    c = community(requires_real_name=True, owner=_verified_person())
    plain = person()
    with pytest.raises(CommunityError) as caught:
        services.membership_join(community=c, user=plain)
    assert caught.value.code == "real_name_required"
    assert state(c, plain) is None
    c2 = community(requires_face_photo=True, owner=_verified_person(), name="顔写真必須")
    with pytest.raises(CommunityError) as caught:
        services.membership_join(community=c2, user=plain)
    assert caught.value.code == "face_photo_required"
    verified = _verified_person()
    services.membership_join(community=c2, user=verified)
    m = Membership.objects.get(community=c2, user=verified)
    services.membership_display_set(
        community=c2, user=verified, show_real_name=False, show_face_photo=False
    )
    m.refresh_from_db()
    assert m.show_face_photo  # required here, so always shown
    row = selectors.member_get(community=c2, user_id=verified.pk, viewer=c2.created_by)
    assert row.shows_face_photo
    assert selectors.face_photo_for(community=c2, user_id=verified.pk, viewer=c2.created_by)


def _verified_person() -> User:
    staff = UserFactory(is_staff=True)
    user = UserFactory(
        legal_family_name="山田",
        legal_given_name="花子",
        real_name_verified_at=timezone.now() - datetime.timedelta(days=1),
    )
    face = account_services.verification_document_submit(
        user=user, kind=DocumentKind.FACE_PHOTO, upload=files.jpeg()
    )
    account_services.verification_document_approve(document=face, reviewer=staff)
    return user


def test_a_member_shows_the_verified_real_name_only_when_they_choose() -> None:
    owner = _verified_person()
    c = community(owner)
    other = member(c)
    row = selectors.member_get(community=c, user_id=owner.pk, viewer=other)
    assert row.real_name == ""
    services.membership_display_set(
        community=c,
        user=owner,
        show_real_name=True,
        show_face_photo=False,
    )
    row = selectors.member_get(community=c, user_id=owner.pk, viewer=other)
    assert row.real_name == "山田 花子"
    assert not row.shows_face_photo
    with pytest.raises(CommunityError):
        selectors.face_photo_for(community=c, user_id=owner.pk, viewer=other)
    # an outsider sees no member at all
    with pytest.raises(CommunityError) as caught:
        selectors.member_get(community=c, user_id=owner.pk, viewer=person())
    assert caught.value.kind == ErrorKind.NOT_FOUND


# --- leave, remove, roles -------------------------------------------------------------------


def test_leaving_keeps_everything_but_the_membership_and_cancels_future_sign_ups() -> None:
    c = community()
    user = member(c)
    activity = event(c)
    services.activity_sign_up(activity=activity, user=user)
    services.membership_leave(community=c, user=user)
    assert state(c, user) == MemberState.LEFT
    assert signed_up(activity) == 0
    assert SignUp.objects.filter(activity=activity, user=user).exists()  # kept, cancelled
    # a person who left can join again
    services.membership_join(community=c, user=user)
    assert state(c, user) == MemberState.ACTIVE


def test_the_last_owner_cannot_leave() -> None:
    c = community()
    with pytest.raises(CommunityError) as caught:
        services.membership_leave(community=c, user=c.created_by)
    assert caught.value.code == "last_owner"
    assert state(c, c.created_by) == MemberState.ACTIVE


def test_a_moderator_removes_a_member_who_cannot_rejoin() -> None:
    c = community()
    mod, target, plain = moderator(c), member(c), member(c)
    target_m = Membership.objects.get(community=c, user=target)
    with pytest.raises(CommunityError) as caught:
        services.membership_remove(membership=target_m, by=plain)
    assert caught.value.code == "not_a_moderator"
    assert state(c, target) == MemberState.ACTIVE
    with pytest.raises(CommunityError) as caught:
        services.membership_remove(membership=target_m, by=person())
    assert caught.value.code == "not_a_member"
    services.membership_remove(membership=target_m, by=mod, reason="規約違反")
    assert state(c, target) == MemberState.REMOVED
    audit = AuditEvent.objects.get(event="community.member_removed")
    assert audit.actor == mod
    assert audit.after is not None and audit.after["reason"] == "規約違反"
    with pytest.raises(CommunityError) as caught:
        services.membership_join(community=c, user=target)
    assert caught.value.code == "removed"


def test_a_moderator_cannot_remove_another_moderator_or_the_owner() -> None:
    c = community()
    mod, other_mod = moderator(c), moderator(c)
    for victim in (other_mod, c.created_by):
        with pytest.raises(CommunityError) as caught:
            services.membership_remove(
                membership=Membership.objects.get(community=c, user=victim), by=mod
            )
        assert caught.value.code == "owner_protected"
    with pytest.raises(CommunityError) as caught:
        services.membership_remove(membership=Membership.objects.get(community=c, user=mod), by=mod)
    assert caught.value.code == "not_oneself"


def test_only_the_owner_changes_roles_and_an_owner_must_remain() -> None:
    c = community()
    mod, plain = moderator(c), member(c)
    plain_m = Membership.objects.get(community=c, user=plain)
    with pytest.raises(CommunityError) as caught:
        services.membership_role_set(membership=plain_m, by=mod, role=Role.MODERATOR)
    assert caught.value.code == "not_the_owner"
    with pytest.raises(CommunityError) as caught:
        services.membership_role_set(membership=plain_m, by=plain, role=Role.OWNER)
    assert caught.value.code == "not_a_moderator"
    assert Membership.objects.get(pk=plain_m.pk).role == Role.MEMBER
    owner_m = Membership.objects.get(community=c, user=c.created_by)
    with pytest.raises(CommunityError) as caught:
        services.membership_role_set(membership=owner_m, by=c.created_by, role=Role.MEMBER)
    assert caught.value.code == "last_owner"
    with pytest.raises(CommunityError) as caught:
        services.membership_role_set(membership=plain_m, by=c.created_by, role="king")
    assert caught.value.code == "bad_choice"
    services.membership_role_set(membership=plain_m, by=c.created_by, role=Role.MODERATOR)
    assert Membership.objects.get(pk=plain_m.pk).role == Role.MODERATOR
    assert (
        AuditEvent.objects.filter(event="community.role_changed", actor=c.created_by).count() == 2
    )


def test_leaving_and_removal_keep_contracts_reviews_and_jobs() -> None:
    from tests.communities.factories import community_job

    c = community()
    client = member(c)
    job = community_job(c, client)
    services.membership_remove(
        membership=Membership.objects.get(community=c, user=client), by=c.created_by
    )
    job.refresh_from_db()
    assert job.community_id == c.pk
    assert Membership.objects.filter(community=c, user=client).exists()


# --- feed -----------------------------------------------------------------------------------


def test_members_post_and_reply_and_outsiders_see_nothing() -> None:
    c = community()
    author, reader, outsider = member(c), member(c), person()
    post = services.post_create(community=c, author=author, body="勉強会を開きます")
    services.post_create(community=c, author=reader, body="参加します", parent=post)
    pinned, posts = selectors.feed(community=c, viewer=reader)
    assert pinned == [] and [p.pk for p in posts] == [post.pk]
    assert [r.body for r in posts[0].replies.all()] == ["参加します"]
    with pytest.raises(CommunityError) as caught:
        selectors.feed(community=c, viewer=outsider)
    assert caught.value.kind == ErrorKind.NOT_FOUND
    with pytest.raises(CommunityError) as caught:
        selectors.post_get(community=c, pk=post.pk, viewer=outsider)
    assert caught.value.kind == ErrorKind.NOT_FOUND
    with pytest.raises(CommunityError) as caught:
        services.post_create(community=c, author=outsider, body="こんにちは")
    assert caught.value.code == "not_a_member"
    assert Post.objects.count() == 2


@pytest.mark.parametrize(
    "body",
    [
        "メールは taro.yamada@gmail.com です",
        "電話は〇九〇ー一二三四ー五六七八へ",
        "LINE ID: taro_1234",
    ],
)
def test_contact_details_in_a_post_are_blocked_as_before_funding(body: str) -> None:
    c = community()
    author = member(c)
    with pytest.raises(PostBlocked) as caught:
        services.post_create(community=c, author=author, body=body)
    assert caught.value.code == "contact_blocked"
    assert not Post.objects.exists()


def test_a_reply_must_answer_a_visible_top_level_post_of_the_same_community() -> None:
    c, other = community(), community(name="別の会")
    author = member(c)
    elsewhere = services.post_create(community=other, author=other.created_by, body="別の会の投稿")
    with pytest.raises(CommunityError) as caught:
        services.post_create(community=c, author=author, body="返信", parent=elsewhere)
    assert caught.value.code == "bad_parent"
    with pytest.raises(CommunityError) as caught:
        services.post_create(community=c, author=author, body=" ")
    assert caught.value.code == "body_required"


def test_moderators_pin_and_hide_and_members_cannot() -> None:
    c = community()
    mod, author, plain = moderator(c), member(c), member(c)
    post = services.post_create(community=c, author=author, body="お知らせ: 来週は休み")
    for who in (plain, person()):
        with pytest.raises(CommunityError):
            services.post_pin(post=post, by=who)
        with pytest.raises(CommunityError):
            services.post_hide(post=post, by=who, reason="spam")
    assert not Post.objects.get(pk=post.pk).is_pinned
    services.post_pin(post=post, by=mod)
    pinned, _rest = selectors.feed(community=c, viewer=plain)
    assert [p.pk for p in pinned] == [post.pk]
    with pytest.raises(CommunityError) as caught:
        services.post_hide(post=post, by=mod, reason="")
    assert caught.value.code == "reason_required"
    services.post_hide(post=post, by=mod, reason="重複")
    pinned, rest = selectors.feed(community=c, viewer=plain)
    assert pinned == [] and rest == []
    # moderators still see it, marked hidden
    _p, rest = selectors.feed(community=c, viewer=mod)
    assert rest[0].is_hidden
    events = set(AuditEvent.objects.filter(actor=mod).values_list("event", flat=True))
    assert {"community.post_pinned", "community.post_hidden"} <= events


# --- activities -----------------------------------------------------------------------------


def test_only_moderators_create_activities_and_bad_values_are_refused() -> None:
    c = community()
    plain = member(c)
    with pytest.raises(CommunityError) as caught:
        services.activity_create(
            community=c, by=plain, kind=ActivityKind.PROJECT, title="翻訳プロジェクト"
        )
    assert caught.value.code == "not_a_moderator"
    past = timezone.now() - datetime.timedelta(hours=1)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"starts_at": None}, "starts_required"),
        ({"starts_at": past}, "starts_in_past"),
        ({"place": "", "is_online": False}, "place_required"),
        ({"capacity": 0}, "capacity_range"),
        ({"title": ""}, "title_required"),
        ({"ends_at": timezone.now() + datetime.timedelta(days=1)}, "ends_before_start"),
    ]
    for values, code in cases:
        with pytest.raises(CommunityError) as caught:
            event(c, **values)
        assert caught.value.code == code
    assert not c.activities.exists()
    project = services.activity_create(
        community=c, by=c.created_by, kind=ActivityKind.PROJECT, title="用語集づくり"
    )
    assert project.starts_at is None


def test_sign_up_respects_capacity_and_can_be_cancelled() -> None:
    c = community()
    activity = event(c, capacity=1)
    first, second, outsider = member(c), member(c), person()
    services.activity_sign_up(activity=activity, user=first)
    with pytest.raises(CommunityError) as caught:
        services.activity_sign_up(activity=activity, user=first)
    assert caught.value.code == "already_signed_up"
    with pytest.raises(CommunityError) as caught:
        services.activity_sign_up(activity=activity, user=second)
    assert caught.value.code == "capacity_full"
    with pytest.raises(CommunityError) as caught:
        services.activity_sign_up(activity=activity, user=outsider)
    assert caught.value.code == "not_a_member"
    assert signed_up(activity) == 1
    services.activity_cancel_sign_up(activity=activity, user=first)
    services.activity_sign_up(activity=activity, user=second)
    assert signed_up(activity) == 1
    with pytest.raises(CommunityError) as caught:
        services.activity_cancel_sign_up(activity=activity, user=first)
    assert caught.value.code == "not_signed_up"


def test_attendance_is_recorded_by_the_organiser_after_the_start() -> None:
    c = community()
    activity = event(c)
    a, b, plain = member(c), member(c), member(c)
    for user in (a, b):
        services.activity_sign_up(activity=activity, user=user)
    with pytest.raises(CommunityError) as caught:
        services.activity_record_attendance(activity=activity, by=c.created_by, user_ids=[a.pk])
    assert caught.value.code == "not_started"
    activity.starts_at = timezone.now() - datetime.timedelta(hours=1)
    activity.save()
    with pytest.raises(CommunityError) as caught:
        services.activity_record_attendance(activity=activity, by=plain, user_ids=[a.pk])
    assert caught.value.code == "not_the_organiser"
    with pytest.raises(CommunityError) as caught:
        services.activity_record_attendance(
            activity=activity, by=c.created_by, user_ids=[a.pk, plain.pk]
        )
    assert caught.value.code == "not_signed_up_people"
    assert not SignUp.objects.filter(took_part=True).exists()
    services.activity_record_attendance(activity=activity, by=c.created_by, user_ids=[a.pk, b.pk])
    assert set(SignUp.objects.filter(took_part=True).values_list("user_id", flat=True)) == {
        a.pk,
        b.pk,
    }
    assert AuditEvent.objects.filter(event="community.attendance_recorded").exists()
    # sign-up is closed once an event has started
    with pytest.raises(CommunityError) as caught:
        services.activity_sign_up(activity=activity, user=plain)
    assert caught.value.code == "activity_over"


def test_participants_endorse_each_other_once_never_themselves() -> None:
    c = community()
    a, b, absent = member(c), member(c), member(c)
    activity = event(c)
    services.activity_sign_up(activity=activity, user=absent)
    held(activity, a, b)
    services.endorsement_give(activity=activity, by=a, endorsee=b)
    with pytest.raises(CommunityError) as caught:
        services.endorsement_give(activity=activity, by=a, endorsee=b)
    assert caught.value.code == "already_endorsed"
    with pytest.raises(CommunityError) as caught:
        services.endorsement_give(activity=activity, by=a, endorsee=a)
    assert caught.value.code == "not_oneself"
    # signed up but did not take part: neither gives nor receives
    with pytest.raises(CommunityError) as caught:
        services.endorsement_give(activity=activity, by=absent, endorsee=a)
    assert caught.value.code == "you_did_not_take_part"
    with pytest.raises(CommunityError) as caught:
        services.endorsement_give(activity=activity, by=b, endorsee=absent)
    assert caught.value.code == "they_did_not_take_part"
    # an outsider is told nothing
    with pytest.raises(CommunityError) as caught:
        services.endorsement_give(activity=activity, by=person(), endorsee=a)
    assert caught.value.code == "not_a_member"
    services.endorsement_give(activity=activity, by=b, endorsee=a)
    assert Endorsement.objects.count() == 2
    # someone with endorsements cannot be unmarked afterwards
    with pytest.raises(CommunityError) as caught:
        services.activity_record_attendance(activity=activity, by=c.created_by, user_ids=[a.pk])
    assert caught.value.code == "has_endorsements"


def test_standing_and_the_trust_sources_count_endorsements_and_participation() -> None:
    from tsunagu.trust import engine, sources

    c = community()
    a, b, d = member(c), member(c), member(c)
    first = held(event(c), a, b, d)
    services.endorsement_give(activity=first, by=b, endorsee=a)
    services.endorsement_give(activity=first, by=d, endorsee=a)
    second = held(event(c, title="第二回"), a, b)
    services.endorsement_give(activity=second, by=b, endorsee=a)
    row = selectors.member_get(community=c, user_id=a.pk, viewer=b)
    assert (row.standing.activities, row.standing.endorsements, row.standing.endorsers) == (2, 3, 2)
    endorsements, _referrals = sources.edges()
    assert engine.Endorsement(src=str(b.pk), dst=str(a.pk)) in endorsements
    assert len([e for e in endorsements if e.dst == str(a.pk)]) == 3
    contribution = sources.contributions([a.pk, b.pk])
    assert contribution[a.pk].endorsers == frozenset({b.pk, d.pk})
    assert contribution[a.pk].activities == 2
    assert contribution[b.pk].activities == 2 and contribution[b.pk].endorsers == frozenset()


def test_member_directory_filters_by_skill() -> None:
    c = community()
    translator, designer = member(c), member(c)
    first = _any_skill()
    translator.profile.skills.set([first])
    rows = selectors.members(community=c, viewer=designer, skill=first.slug)
    assert [r.user_id for r in rows] == [translator.pk]
    assert len(selectors.members(community=c, viewer=designer)) == 3
    with pytest.raises(CommunityError):
        selectors.members(community=c, viewer=person())


def _any_skill() -> Skill:
    first = Skill.objects.order_by("slug").first()
    assert first is not None
    return first
