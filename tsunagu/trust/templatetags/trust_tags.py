"""The review boxes other apps' pages include with one line, so that those apps never import
this one: ``{% load trust_tags %}{% trust_profile_reviews profile %}`` and
``{% trust_profile_score profile %}`` on the profile page and
``{% trust_contract_box contract %}`` on the contract page; ``{% trust_card_link profile %}``
links to the track-record card."""

from __future__ import annotations

from typing import Any

from django import template

from tsunagu.trust import selectors
from tsunagu.trust.explain import breakdown
from tsunagu.trust.models import TrackRecordCard
from tsunagu.trust.rules import ReviewedRole
from tsunagu.trust.scores import trust_scores_shown
from tsunagu.trust.scoring import Role

register = template.Library()

PROFILE_REVIEWS = 3


@register.inclusion_tag("trust/_profile_reviews.html")
def trust_profile_reviews(profile: Any) -> dict[str, Any]:
    """The person's published reviews as a worker and as a client, newest first: the summary of
    each and the latest few, in a constant number of queries."""
    summary = selectors.review_summary(user_id=profile.user_id)
    sections = []
    for role in (ReviewedRole.WORKER, ReviewedRole.CLIENT):
        if not summary[role].count:
            sections.append({"role": role.value, "summary": summary[role], "reviews": []})
            continue
        page = selectors.review_page(user_id=profile.user_id, role=role, per_page=PROFILE_REVIEWS)
        reviews = selectors.public_reviews(page)
        sections.append(
            {
                "role": role.value,
                "summary": summary[role],
                "reviews": reviews,
                "more": summary[role].count > len(reviews),
            }
        )
    return {"profile": profile, "sections": sections}


@register.inclusion_tag("trust/_contract_box.html", takes_context=True)
def trust_contract_box(context: dict[str, Any], contract: Any) -> dict[str, Any]:
    """On a contract page: the review button for a party once money has moved."""
    user = context["request"].user
    if not user.is_authenticated or not contract.is_party(user.pk):
        return {"box": None}
    can_write = selectors.can_review_now(contract=contract, viewer=user)
    if can_write is None:
        return {"box": None}
    return {"contract": contract, "box": {"can_write": can_write}}


@register.inclusion_tag("trust/_profile_score.html")
def trust_profile_score(profile: Any) -> dict[str, Any]:
    """The person's trust score as worker and as client, each with "why this score"."""
    scores = trust_scores_shown(user_id=profile.user_id)
    sections = [
        {
            "role": role.value,
            "as_worker": role is Role.WORKER,
            "score": score,
            "lines": breakdown(score),
        }
        for role, score in scores.items()
    ]
    return {"profile": profile, "sections": sections}


@register.inclusion_tag("trust/_card_link.html", takes_context=True)
def trust_card_link(context: dict[str, Any], profile: Any) -> dict[str, Any]:
    """On a profile: the link to the person's published track-record card, and to the card's
    management page for the person themself: ``{% trust_card_link profile %}``."""
    card = TrackRecordCard.objects.filter(owner_id=profile.user_id, revoked_at__isnull=True).first()
    request = context.get("request")
    user = getattr(request, "user", None)
    is_owner = bool(user is not None and user.is_authenticated and user.pk == profile.user_id)
    return {"card": card, "is_owner": is_owner}
