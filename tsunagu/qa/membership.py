"""Community-only questions: a question asked inside a community is seen, answered and voted on
by that community's active members only (staff see it too, to moderate it, but do not take
part unless they are members).

:func:`members_only` is the audience rule :class:`~tsunagu.qa.apps.QaConfig` registers in
:mod:`tsunagu.qa.audience`, so every read (list, search on both databases, detail, the API,
profile counts and trust contributions) leaves out the community questions of communities the
viewer is not an active member of. A visitor, a non-member and a member who left or was removed
are all answered "not found". Profile counts and trust contributions are read without a viewer,
so they count public questions only: a community's own standing and trust come from the
communities app, capped there.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tsunagu.communities import selectors as community_selectors
from tsunagu.communities.models import Community, Membership, MemberState
from tsunagu.qa.errors import QAError
from tsunagu.qa.models import Question


def _uid(viewer: Any) -> int | None:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    return int(viewer.pk)


def members_only(questions: QuerySet[Question], viewer: Any) -> QuerySet[Question]:
    """Public questions, and the community questions of the viewer's active memberships (a
    subquery, so a read keeps its number of queries)."""
    if getattr(viewer, "is_staff", False):
        return questions
    pk = _uid(viewer)
    if pk is None:
        return questions.filter(community__isnull=True)
    mine = Membership.objects.filter(user_id=pk, state=MemberState.ACTIVE).values("community_id")
    return questions.filter(Q(community__isnull=True) | Q(community_id__in=mine))


def communities_for_asking(user: Any) -> QuerySet[Community]:
    """The communities ``user`` may ask in: those they are an active member of."""
    return community_selectors.communities_of(user=user)


def is_active_member(user: Any, community_id: int) -> bool:
    pk = _uid(user)
    return pk is not None and community_id in community_selectors.community_ids_for_user(pk)


def community_for_asking(*, user: Any, community_id: int | None) -> Community | None:
    """The community a question is asked in, or ``None`` for a public question; refused unless
    the asker is one of its active members."""
    if community_id is None:
        return None
    community = communities_for_asking(user).filter(pk=community_id).first()
    if community is None:
        raise QAError.refuse("not_a_member", field="community")
    return community


def community_by_slug_for_asking(*, user: Any, slug: str) -> Community | None:
    """As :func:`community_for_asking`, from a community's slug (the API)."""
    if not slug:
        return None
    community = communities_for_asking(user).filter(slug=slug).first()
    if community is None:
        raise QAError.refuse("not_a_member", field="community")
    return community


def member_required(*, question: Question, user: Any) -> None:
    """Taking part in a community question (answering, voting, marking best, offering) needs an
    active membership; anyone else is answered as if it did not exist."""
    if question.community_id is not None and not is_active_member(user, question.community_id):
        raise QAError.refuse("not_found")


def community_for_list(*, slug: str, viewer: Any) -> Community | None:
    """The community whose questions a list shows (``?community=<slug>``): its active members
    (and staff) only; ``None`` for anyone else, who is answered "not found"."""
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        return None
    if getattr(viewer, "is_staff", False) or is_active_member(viewer, community.pk):
        return community
    return None
