"""Members of one's communities are people one knows: introductions and trade suggestions reach
them; people outside, or only asking to join, are not."""

from __future__ import annotations

import pytest

from tests.communities.factories import community, member, person
from tsunagu.communities.models import Membership, MemberState
from tsunagu.referrals.peers import known_ids

pytestmark = pytest.mark.django_db


def test_fellow_active_members_are_known_and_others_are_not() -> None:
    owner = person("オーナー")
    group = community(owner)
    alice, bob = member(group), member(group)
    outsider, pending = person("外部"), person("申請中")
    Membership.objects.create(community=group, user=pending, state=MemberState.PENDING)
    member(community(), outsider)  # a member of another community

    known = known_ids(alice.pk)

    assert bob.pk in known and owner.pk in known
    assert outsider.pk not in known and pending.pk not in known and alice.pk not in known
    assert alice.pk not in known_ids(outsider.pk)
