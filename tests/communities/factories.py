from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.jobs.factories import published_job
from tsunagu.accounts.models import User
from tsunagu.communities import services
from tsunagu.communities.models import (
    Activity,
    ActivityKind,
    Community,
    JoinPolicy,
    Membership,
    SignUp,
)
from tsunagu.jobs.models import Job, Visibility


def person(name: str = "") -> User:
    user: User = UserFactory()
    if name:
        user.profile.display_name = name
        user.profile.save()
    return user


def community(owner: User | None = None, **overrides: Any) -> Community:
    values: dict[str, Any] = {
        "name": "翻訳者の会",
        "mission": "地方の翻訳者が仕事を分け合う。",
        "rules": "互いに敬意を。",
        "join_policy": JoinPolicy.OPEN,
    }
    values.update(overrides)
    return services.community_create(by=owner or person("オーナー"), **values)


def member(c: Community, user: User | None = None) -> User:
    """A user who is an active member of the (open) community."""
    user = user or person()
    membership = Membership.objects.filter(community=c, user=user).first()
    if membership is None or not membership.is_active:
        policy = c.join_policy
        if policy != JoinPolicy.OPEN:
            Community.objects.filter(pk=c.pk).update(join_policy=JoinPolicy.OPEN)
        services.membership_join(community=c, user=user)
        if policy != JoinPolicy.OPEN:
            Community.objects.filter(pk=c.pk).update(join_policy=policy)
            c.refresh_from_db()
    return user


def moderator(c: Community) -> User:
    user = member(c)
    services.membership_role_set(
        membership=Membership.objects.get(community=c, user=user),
        by=c.created_by,
        role="moderator",
    )
    return user


def event(c: Community, **overrides: Any) -> Activity:
    values: dict[str, Any] = {
        "kind": ActivityKind.EVENT,
        "title": "無料相談会",
        "description": "個人事業主向けの無料相談。",
        "starts_at": timezone.now() + datetime.timedelta(days=7),
        "place": "オンライン",
        "is_online": True,
        "capacity": 10,
    }
    values.update(overrides)
    return services.activity_create(community=c, by=c.created_by, **values)


def held(activity: Activity, *users: User) -> Activity:
    """Sign these people up, move the event into the past and mark them as having taken part."""
    for user in users:
        services.activity_sign_up(activity=activity, user=user)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    activity.refresh_from_db()
    services.activity_record_attendance(
        activity=activity, by=activity.organiser, user_ids=[u.pk for u in users]
    )
    return activity


def community_job(c: Community, client: User | None = None, **overrides: Any) -> Job:
    client = client or member(c)
    return published_job(
        client=client,
        visibility=Visibility.COMMUNITY,
        community=c,
        title=overrides.pop("title", "会員限定の翻訳案件"),
        **overrides,
    )


def signed_up(activity: Activity) -> int:
    return SignUp.objects.filter(activity=activity, cancelled_at__isnull=True).count()
