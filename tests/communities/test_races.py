"""Sign-ups and endorsements at the same moment, each on its own connection: the activity's row
lock lets only as many people in as there are places, and a double endorsement stores one."""

from __future__ import annotations

import pytest

from tests.communities.factories import community, event, held, member, signed_up
from tests.support.races import race
from tsunagu.communities import services
from tsunagu.communities.errors import CommunityError
from tsunagu.communities.models import Endorsement, SignUp

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_people_for_the_last_place_one_gets_it() -> None:
    c = community()
    activity = event(c, capacity=1)
    first, second = member(c), member(c)
    results = race(
        lambda: services.activity_sign_up(activity=activity, user=first),
        lambda: services.activity_sign_up(activity=activity, user=second),
    )
    won = [r for r in results if isinstance(r, SignUp)]
    lost = [r for r in results if isinstance(r, CommunityError)]
    assert len(won) == 1, results
    assert len(lost) == 1 and lost[0].code == "capacity_full"
    assert signed_up(activity) == 1


def test_a_double_endorsement_is_stored_once() -> None:
    c = community()
    a, b = member(c), member(c)
    activity = held(event(c), a, b)
    results = race(
        lambda: services.endorsement_give(activity=activity, by=a, endorsee=b),
        lambda: services.endorsement_give(activity=activity, by=a, endorsee=b),
    )
    assert sum(isinstance(r, Endorsement) for r in results) == 1, results
    assert [r.code for r in results if isinstance(r, CommunityError)] == ["already_endorsed"]
    assert Endorsement.objects.count() == 1
