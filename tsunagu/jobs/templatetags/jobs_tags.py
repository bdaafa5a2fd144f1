from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from tsunagu.core.templatetags.money import yen
from tsunagu.jobs.models import Job, JobKind

register = template.Library()


register.filter("yen", yen)


@register.filter
def job_budget(job: Job) -> str:
    """The budget as a reader expects it: a range, and for hourly jobs the rate and hour cap."""
    low, high = job.budget_min, job.budget_max
    if high is None:
        return _("Budget not set")
    amount = yen(high) if not low or low == high else f"{yen(low)} – {yen(high)}"
    if job.kind == JobKind.HOURLY:
        text = _("%(amount)s / hour") % {"amount": amount}
        if job.weekly_hours_cap:
            text += " · " + _("up to %(hours)d h a week") % {"hours": job.weekly_hours_cap}
        return text
    return amount
