"""``tsunagu demo`` loads two communities with members, activities, endorsements and a job only
members see; running it again adds nothing."""

from __future__ import annotations

import pytest

from tsunagu.communities.models import Community, Endorsement, Membership, MemberState, SignUp
from tsunagu.demo.communities import demo_communities_load
from tsunagu.jobs.models import Job, Visibility

pytestmark = pytest.mark.django_db


def test_demo_communities_load_once() -> None:
    assert Community.objects.count() == 2
    assert Membership.objects.filter(state=MemberState.ACTIVE).count() >= 8
    assert Membership.objects.filter(state=MemberState.PENDING).count() == 1
    assert SignUp.objects.filter(took_part=True).count() == 6
    assert Endorsement.objects.count() == 5
    job = Job.objects.get(visibility=Visibility.COMMUNITY)
    assert job.community is not None and job.community.slug == "regional-translators"
    counts = (Community.objects.count(), Endorsement.objects.count(), Job.objects.count())
    assert demo_communities_load() == 0
    assert (Community.objects.count(), Endorsement.objects.count(), Job.objects.count()) == counts
