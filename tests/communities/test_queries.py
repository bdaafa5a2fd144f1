"""List pages and API lists run a constant number of queries, whatever the number of rows."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.communities.factories import community, community_job, event, held, member
from tsunagu.communities import services
from tsunagu.communities.models import Community
from tsunagu.profiles.models import Skill

pytestmark = pytest.mark.django_db


def grow(c: Community, n: int) -> None:
    skills = list(Skill.objects.order_by("slug")[:2])
    people = [member(c) for _ in range(n)]
    for user in people:
        user.profile.skills.set(skills)
        post = services.post_create(community=c, author=user, body="こんにちは")
        services.post_create(community=c, author=c.created_by, body="ようこそ", parent=post)
        community_job(c, user, title=f"会員向け案件 {user.pk}")
    activity = held(event(c, title=f"活動 {n}"), *people)
    for a, b in itertools.pairwise(people):
        services.endorsement_give(activity=activity, by=a, endorsee=b)


def queries(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def get_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "path",
    ["/", "/members/", "/activities/", "/jobs/", "/members/?skill={skill}"],
)
def test_pages_run_the_same_queries_for_2_and_6_rows(client: Client, path: str) -> None:
    c = community()
    viewer = member(c)
    client.force_login(viewer)
    slug_skill = Skill.objects.order_by("slug").first()
    assert slug_skill is not None
    url = f"/communities/{c.slug}{path.format(skill=slug_skill.slug)}"
    grow(c, 2)
    small = queries(lambda: client.get(url))
    grow(c, 4)
    large = queries(lambda: client.get(url))
    assert small == large, (path, small, large)


def test_api_lists_run_the_same_queries(client: Client) -> None:
    c = community()
    client.force_login(member(c))

    def counts() -> list[int]:
        base = f"/api/v1/communities/{c.slug}"
        return [
            get_queries(client, f"{base}/{part}") for part in ("members", "posts", "activities")
        ]

    grow(c, 2)
    small = counts()
    grow(c, 4)
    assert counts() == small
