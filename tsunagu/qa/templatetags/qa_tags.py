"""What other apps' pages include with one line, so that those apps never import this one: the
expert standing box (``{% load qa_tags %}{% qa_profile_standing profile %}`` on the profile page)
and the link from a community to its questions (``{% qa_community_link community %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from tsunagu.qa import selectors

register = template.Library()


@register.inclusion_tag("qa/_profile_standing.html", takes_context=True)
def qa_profile_standing(context: dict[str, Any], profile: Any) -> dict[str, Any]:
    """The person's answers and best answers, with their latest few answers."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    return {
        "profile": profile,
        "standing": selectors.expert_standing(user_id=profile.user_id),
        "can_ask": viewer is not None and viewer.is_authenticated and viewer.pk != profile.user_id,
    }


@register.inclusion_tag("qa/_community_link.html")
def qa_community_link(community: Any) -> dict[str, Any]:
    """The link from a community's pages to its members-only questions (shown to members):
    ``{% load qa_tags %}{% qa_community_link community %}``."""
    return {"community": community}
