"""Demo communities: two communities with a mission, members and moderators, a pinned
announcement and replies, an activity held in the past with who took part and endorsements, an
activity still open for sign-up, a pending request and a job only members see
(``data/communities.toml``). Everything goes through the communities' and jobs' services.
Safe to run again: a community whose slug exists is left as it is."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.communities import services
from tsunagu.communities.models import Activity, Community, Membership
from tsunagu.demo.datafiles import data_read
from tsunagu.jobs import services as job_services
from tsunagu.jobs.models import Category, Visibility

COMMUNITIES: list[dict[str, Any]] = data_read("communities")["community"]


def _join(community: Community, user: User) -> None:
    """Members join as on the site; a closed community lets them in through its owner."""
    if community.join_policy == "open":
        services.membership_join(community=community, user=user)
        return
    membership = services.membership_join(community=community, user=user)
    services.membership_approve(membership=membership, by=community.created_by)


def _community_load(spec: dict[str, Any], users: dict[str, User]) -> bool:
    owner = users.get(spec["owner"])
    if owner is None or Community.objects.filter(slug=spec["slug"]).exists():
        return False
    with transaction.atomic():
        community = services.community_create(
            by=owner,
            name=spec["name"],
            mission=spec["mission"],
            rules=spec.get("rules", ""),
            join_policy=spec.get("join_policy", "open"),
            slug=spec["slug"],
        )
        people = [*spec.get("moderators", []), *spec.get("members", [])]
        for email in people:
            if email in users and email != spec["owner"]:
                _join(community, users[email])
        for email in spec.get("moderators", []):
            if email in users:
                services.membership_role_set(
                    membership=Membership.objects.get(community=community, user=users[email]),
                    by=owner,
                    role="moderator",
                )
        for email in spec.get("pending", []):
            if email in users:
                services.membership_join(community=community, user=users[email])
        for post_spec in spec.get("post", []):
            post = services.post_create(
                community=community, author=users[post_spec["author"]], body=post_spec["body"]
            )
            for author, body in post_spec.get("replies", []):
                services.post_create(
                    community=community, author=users[author], body=body, parent=post
                )
            if post_spec.get("pinned"):
                services.post_pin(post=post, by=owner)
        for activity_spec in spec.get("activity", []):
            _activity_load(community, owner, activity_spec, users)
        for job_spec in spec.get("job", []):
            _job_load(community, job_spec, users)
    return True


def _activity_load(
    community: Community, owner: User, spec: dict[str, Any], users: dict[str, User]
) -> None:
    now = timezone.now()
    event = spec["kind"] == "event"
    activity = services.activity_create(
        community=community,
        by=owner,
        kind=spec["kind"],
        title=spec["title"],
        description=spec.get("description", ""),
        starts_at=now + dt.timedelta(days=spec.get("days_from_now", 1)) if event else None,
        place=spec.get("place", ""),
        is_online=spec.get("online", False),
        capacity=spec.get("capacity"),
    )
    for email in [*spec.get("took_part", []), *spec.get("signed_up", [])]:
        services.activity_sign_up(activity=activity, user=users[email])
    if "days_ago" in spec:
        if event:
            # a past event: the sign-ups above happened before it started
            Activity.objects.filter(pk=activity.pk).update(
                starts_at=now - dt.timedelta(days=spec["days_ago"]),
                ends_at=now - dt.timedelta(days=spec["days_ago"], hours=-2),
            )
            activity.refresh_from_db()
        services.activity_record_attendance(
            activity=activity, by=owner, user_ids=[users[e].pk for e in spec["took_part"]]
        )
        for src, dst in spec.get("endorsements", []):
            services.endorsement_give(activity=activity, by=users[src], endorsee=users[dst])


def _job_load(community: Community, spec: dict[str, Any], users: dict[str, User]) -> None:
    client = users[spec["client"]]
    low, high = spec["budget"]
    job_services.job_publish(
        client=client,
        job=None,
        values={
            "title": spec["title"],
            "description": spec["description"],
            "category": Category.objects.get(slug=spec["category"]),
            "kind": "fixed",
            "budget_min": low,
            "budget_max": high,
            "deadline": job_services.client_today(client) + dt.timedelta(days=21),
            "workers_wanted": 1,
            "visibility": Visibility.COMMUNITY,
            "community": community,
        },
    )


def demo_communities_load() -> int:
    """Create the demo communities that do not exist yet; returns how many were created."""
    emails: set[str] = set()
    for spec in COMMUNITIES:
        emails |= {spec["owner"], *spec.get("moderators", []), *spec.get("members", [])}
        emails |= set(spec.get("pending", []))
        for activity in spec.get("activity", []):
            emails |= set(activity.get("took_part", [])) | set(activity.get("signed_up", []))
    users = {u.email: u for u in User.objects.filter(email__in=emails).select_related("profile")}
    return sum(_community_load(spec, users) for spec in COMMUNITIES)
