"""Closing an account: refused while the person is the last owner of a community that has other
members (someone must be made owner first); otherwise they leave every community they belong to,
are no longer invited or waiting, and their future sign-ups are cancelled. What they posted stays,
under the closed account's name, as do past attendance and endorsements (others' trust reads them).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from tsunagu.communities.services import last_owner_of, memberships_end
from tsunagu.core.closing import closing_blocker_register, closing_eraser_register


def owned_alone(user_id: int) -> Iterator[str]:
    for community in last_owner_of(user_id=user_id):
        yield _("the only owner of 「%(name)s」 (make another member owner first)") % {
            "name": community.name
        }


def leave_communities(user_id: int) -> dict[str, int]:
    left, withdrawn = memberships_end(user_id=user_id)
    return {"communities_left": left, "community_requests_withdrawn": withdrawn}


closing_blocker_register("communities", owned_alone)
closing_eraser_register("communities", leave_communities)
