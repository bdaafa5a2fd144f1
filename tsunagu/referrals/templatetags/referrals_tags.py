"""The referral box other apps' pages include with one line, so that they never import this
app: ``{% load referrals_tags %}{% referrals_profile profile %}`` on the profile page (thanks
"紹介で3件", the trades the person works with, the connect button and "who can introduce you"),
and ``{% referrals_job_panel job %}`` on a job page (who can introduce you to its client)."""

from __future__ import annotations

from typing import Any

from django import template

from tsunagu.referrals import graph, selectors
from tsunagu.referrals.models import ConnectionStatus

register = template.Library()


def _viewer(context: Any) -> Any:
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@register.inclusion_tag("referrals/_profile_box.html", takes_context=True)
def referrals_profile(context: Any, profile: Any) -> dict[str, Any]:
    viewer = _viewer(context)
    is_owner = viewer is not None and viewer.pk == profile.user_id
    result: dict[str, Any] = {
        "request": context.get("request"),
        "profile": profile,
        "viewer": viewer,
        "is_owner": is_owner,
        "thanks": selectors.thanks_for(worker_id=profile.user_id),
        "trades": selectors.trades_worked_with(user_id=profile.user_id)[:5],
        "csrf_token": context.get("csrf_token"),
    }
    if viewer is not None and not is_owner:
        row = selectors.connection_between(viewer.pk, profile.user_id)
        state = "none"
        if row is not None and row.status == ConnectionStatus.ACCEPTED:
            state = "connected"
        elif row is not None and row.status == ConnectionStatus.PENDING:
            state = "sent" if row.requested_by_id == viewer.pk else "incoming"
        result["connection_state"] = state
        result["knows"] = state == "connected" or selectors.knows(viewer.pk, profile.user_id)
        result["answer"] = graph.who_can_introduce(viewer_id=viewer.pk, target_id=profile.user_id)
    return result


@register.inclusion_tag("referrals/_who_panel.html", takes_context=True)
def referrals_job_panel(context: Any, job: Any) -> dict[str, Any]:
    viewer = _viewer(context)
    if viewer is None or viewer.pk == job.client_id:
        return {"answer": None}
    profile = getattr(job.client, "profile", None)
    return {
        "target": profile,
        "answer": graph.who_can_introduce(viewer_id=viewer.pk, target_id=job.client_id),
    }
