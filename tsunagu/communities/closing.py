"""Closing an account: refused while the person is the last owner of a community that has other
members (someone must be made owner first); otherwise they leave every community they belong to,
are no longer invited or waiting, and their future sign-ups are cancelled. What they posted stays,
under the closed account's name, as do past attendance and endorsements (others' trust reads them).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from tsunagu.communities.models import Community, Membership, MemberState, Role
from tsunagu.communities.services import cancel_future_signups
from tsunagu.core.closing import closing_blocker_register, closing_eraser_register

_BELONGS = (MemberState.ACTIVE, MemberState.PENDING, MemberState.INVITED)


def last_owner_of(user_id: int) -> Iterator[str]:
    owned = Membership.objects.filter(user_id=user_id, role=Role.OWNER, state=MemberState.ACTIVE)
    for membership in owned.select_related("community").order_by("community__name"):
        others = Membership.objects.filter(
            community_id=membership.community_id, state=MemberState.ACTIVE
        ).exclude(pk=membership.pk)
        if others.exists() and not others.filter(role=Role.OWNER).exists():
            yield _("the only owner of 「%(name)s」 (make another member owner first)") % {
                "name": membership.community.name
            }


def leave_communities(user_id: int) -> dict[str, int]:
    belongs = Membership.objects.filter(user_id=user_id, state__in=_BELONGS)
    # the community first, then the membership, as the communities' own services lock them
    ids = sorted(set(belongs.values_list("community_id", flat=True)))
    list(Community.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    memberships = list(belongs.select_for_update().order_by("pk"))
    left = 0
    for membership in memberships:
        if membership.state == MemberState.ACTIVE:
            left += 1
            cancel_future_signups(membership)
        membership.state = (
            MemberState.LEFT if membership.state == MemberState.ACTIVE else MemberState.DECLINED
        )
        membership.role = Role.MEMBER
        membership.save()
    return {"communities_left": left, "community_requests_withdrawn": len(memberships) - left}


closing_blocker_register("communities", last_owner_of)
closing_eraser_register("communities", leave_communities)
