"""Template helpers: response time in words, and the proposal / scout boxes other apps' pages
include with one line (the job page and the profile page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tsunagu.proposals import selectors

register = template.Library()


@register.filter
def response_time(seconds: int | None) -> str:
    """A median reply time in plain words: "within an hour", "about 5 hours", "about 2 days"."""
    if seconds is None:
        return _("not enough replies yet")
    hours = seconds / 3600
    if hours < 1:
        return _("within an hour")
    if hours < 24:
        count = round(hours)
        return ngettext("about %(count)d hour", "about %(count)d hours", count) % {"count": count}
    days = round(hours / 24)
    return ngettext("about %(count)d day", "about %(count)d days", days) % {"count": days}


@register.inclusion_tag("proposals/_job_box.html", takes_context=True)
def proposal_job_box(context: dict[str, Any], job: Any) -> dict[str, Any]:
    """On a job page: the client's link to the proposals, or the worker's proposal button."""
    request = context["request"]
    user = request.user
    is_owner = user.is_authenticated and job.client_id == user.pk
    return {
        "job": job,
        "user": user,
        "is_owner": is_owner,
        "count": selectors.proposal_count(job=job) if is_owner else 0,
        "mine": None if is_owner else selectors.proposal_of(job=job, worker=user),
        "request": request,
    }


@register.inclusion_tag("proposals/_profile_box.html", takes_context=True)
def proposal_profile_box(context: dict[str, Any], profile: Any) -> dict[str, Any]:
    """On a profile page: the typical response time, and a scout form for the viewer's open
    jobs (not on one's own profile, and only for people who take on work)."""
    request = context["request"]
    user = request.user
    is_self = user.is_authenticated and user.pk == profile.user_id
    jobs = selectors.open_jobs_of(client=user) if profile.is_worker and not is_self else []
    return {
        "profile": profile,
        "user": user,
        "is_self": is_self,
        "response_seconds": selectors.response_time_for(user_id=profile.user_id),
        "jobs": jobs,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
