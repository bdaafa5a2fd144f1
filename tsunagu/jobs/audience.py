"""Who belongs to which community, as far as jobs need to know, without importing communities.

A job whose visibility is "members of community X" is shown only to its client and to the active
members of X. The communities app sits above jobs, so it registers the one function that answers
"which communities is this person an active member of" from its ``AppConfig.ready``; with none
registered, nobody is a member of anything and community jobs are seen by their client only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q

CommunityIds = Callable[[int], Iterable[int]]

_provider: CommunityIds | None = None


def audience_register(provider: CommunityIds) -> None:
    """Register (or replace) the function giving the ids of a user's active communities."""
    global _provider
    _provider = provider


def community_ids_for(user_id: int | None) -> list[int]:
    """Ids of the communities the user is an active member of (none for anonymous)."""
    if user_id is None or _provider is None:
        return []
    return sorted(set(_provider(user_id)))


def community_jobs_q(user_id: int | None, prefix: str = "") -> Q:
    """The condition "a community job of one of the user's communities" (matches nothing when
    the user is in no community)."""
    ids = community_ids_for(user_id)
    if not ids:
        return Q(pk__in=[])
    return Q(**{f"{prefix}visibility": "community", f"{prefix}community_id__in": ids})
