"""The rules a job must meet to be published, shared by the form, the services and the API."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from tsunagu.jobs.models import MAX_BUDGET, WEEKS_PER_ESTIMATE, JobKind

# Fields a job's client may set; ``skills`` is a list of Skill objects, ``category`` a Category.
JOB_FIELDS = (
    "title",
    "description",
    "category",
    "kind",
    "budget_min",
    "budget_max",
    "weekly_hours_cap",
    "deadline",
    "workers_wanted",
    "visibility",
    "community",
    "trial_description",
    "trial_fee",
)


def publish_errors(values: Mapping[str, Any], *, today: datetime.date) -> dict[str, str]:
    """Field name → message for each rule ``values`` breaks ("" = the whole job); empty = ok.

    ``today`` is the date in the client's own time zone, so "deadline in the past" means the
    same thing to the client as on their calendar.
    """
    errors: dict[str, str] = {}
    title = str(values.get("title") or "").strip()
    if not title:
        errors["title"] = _("Enter a title.")
    elif "\n" in title or "\r" in title:
        errors["title"] = _("The title must be one line.")
    if not str(values.get("description") or "").strip():
        errors["description"] = _("Describe the work.")
    if values.get("category") is None:
        errors["category"] = _("Choose a category.")
    kind = values.get("kind") or JobKind.FIXED
    low, high = values.get("budget_min"), values.get("budget_max")
    if high is None:
        errors["budget_max"] = (
            _("Enter the highest hourly rate you offer.")
            if kind == JobKind.HOURLY
            else _("Enter the most you will pay.")
        )
    elif high < 1 or high > MAX_BUDGET:
        errors["budget_max"] = _("Enter an amount between 1 and 100,000,000 yen.")
    if low is not None and (low < 0 or low > MAX_BUDGET):
        errors["budget_min"] = _("Enter an amount between 0 and 100,000,000 yen.")
    elif low is not None and high is not None and low > high:
        errors["budget_min"] = _("The lowest budget is above the highest.")
    if kind == JobKind.HOURLY and not values.get("weekly_hours_cap"):
        errors["weekly_hours_cap"] = _("An hourly job needs a limit on hours a week.")
    deadline = values.get("deadline")
    if deadline is not None and deadline < today:
        errors["deadline"] = _("The deadline is in the past.")
    workers = values.get("workers_wanted")
    if workers is None or not 1 <= workers <= 100:
        errors["workers_wanted"] = _("Enter a number of workers between 1 and 100.")
    if values.get("visibility") == "community" and values.get("community") is None:
        errors["community"] = _("Choose the community whose members may see the job.")
    has_trial = bool(str(values.get("trial_description") or "").strip())
    fee = values.get("trial_fee")
    if has_trial and not fee:
        errors["trial_fee"] = _("A trial task is paid: enter its fee.")
    elif fee and not has_trial:
        errors["trial_description"] = _("Describe the trial task, or leave its fee empty.")
    return errors


def budget_estimate(values: Mapping[str, Any]) -> int | None:
    """What budget filters and sorting compare: the total, or rate × cap × four weeks."""
    high = values.get("budget_max")
    if high is None:
        return None
    if values.get("kind") == JobKind.HOURLY:
        return int(high) * int(values.get("weekly_hours_cap") or 0) * WEEKS_PER_ESTIMATE
    return int(high)
