"""The community box the profile page includes with one line, so that profiles never import
this app: ``{% load communities_tags %}{% communities_profile_box profile %}``."""

from __future__ import annotations

from typing import Any

from django import template

from tsunagu.communities import selectors

register = template.Library()


@register.inclusion_tag("communities/_profile_box.html", takes_context=True)
def communities_profile_box(context: dict[str, Any], profile: Any) -> dict[str, Any]:
    """The communities the person is an active member of that the viewer may know about (an
    invitation-only community only to its own members), with activities and endorsers."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    return {
        "communities": selectors.profile_communities(user_id=profile.user_id, viewer=viewer),
        "contribution": selectors.trust_contributions([profile.user_id]).get(profile.user_id),
    }
