"""The weekly income e-mail: the month against the target, the gap with jobs that would fill it,
the forecast and the pipes as a picture, once a week to each worker with income on Tsunagu.

The week starts on Monday at ``SEND_FROM_HOUR`` in Tsunagu's time zone; the first tick after that
sends. One :class:`WeeklySummary` row per worker and week, written in the transaction that puts the
mail in the outbox, makes a second tick (or a second process) send nothing more.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from tsunagu.accounts.models import User
from tsunagu.core.links import site_url
from tsunagu.income.chart import pipe_chart
from tsunagu.income.chart_png import pipes_png
from tsunagu.income.models import IncomeMonth, IncomeTarget, WeeklySummary, WeeklySummaryOptOut
from tsunagu.income.selectors import Dashboard, income_dashboard
from tsunagu.jobs.models import Job
from tsunagu.notifications.services import Attachment, email_queue, notify
from tsunagu.profiles.money import format_money

logger = logging.getLogger(__name__)

SEND_FROM_HOUR = 8
# Workers paid within this many days (or with a target) get the e-mail; others are left alone.
ACTIVE_DAYS = 400
PIPES_IMAGE_ID = "pipes.png"


def week_of(now: datetime.datetime) -> datetime.date:
    """The Monday of the e-mail week ``now`` falls in (a week starts on Monday at 08:00)."""
    local = timezone.localtime(now) - datetime.timedelta(hours=SEND_FROM_HOUR)
    day = local.date()
    return day - datetime.timedelta(days=day.weekday())


def weekly_due(*, week: datetime.date, today: datetime.date) -> list[int]:
    """The workers who should get this week's e-mail and have not: paid on Tsunagu lately or with
    a target, with an e-mail address and not opted out. One query."""
    recent = IncomeMonth.objects.filter(last_day__gte=today - datetime.timedelta(days=ACTIVE_DAYS))
    return list(
        User.objects.filter(
            Q(pk__in=recent.values("worker_id")) | Q(pk__in=IncomeTarget.objects.values("user_id")),
            is_active=True,
        )
        .exclude(email="")
        .exclude(pk__in=WeeklySummaryOptOut.objects.values("user_id"))
        .exclude(pk__in=WeeklySummary.objects.filter(week=week).values("worker_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def income_weekly_send(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Send this week's e-mail to every worker due (at most ``limit`` a run; the next tick takes
    the rest); returns how many were sent."""
    now = now or timezone.now()
    week = week_of(now)
    today = timezone.localtime(now).date()
    sent = 0
    for worker_id in weekly_due(week=week, today=today)[:limit]:
        worker = User.objects.get(pk=worker_id)
        try:
            if weekly_send_one(worker=worker, week=week, today=today):
                sent += 1
        except Exception:  # one worker's failure must not hold back everyone else's e-mail
            logger.exception("weekly income e-mail for worker %s failed", worker_id)
    return sent


def weekly_send_one(*, worker: User, week: datetime.date, today: datetime.date) -> bool:
    """Write one worker's weekly e-mail to the outbox, once; False when it was already sent."""
    with translation.override(worker.language or settings.LANGUAGE_CODE):
        dashboard = income_dashboard(worker=worker, today=today)
        subject, text, html, image = _compose(dashboard)
    try:
        with transaction.atomic():
            WeeklySummary.objects.create(
                worker=worker,
                week=week,
                gap=dashboard.gap,
                matching_jobs=len(dashboard.matching_jobs),
            )
            email_queue(
                to=worker.email,
                subject=subject,
                body=text,
                html=html,
                attachments=[Attachment(PIPES_IMAGE_ID, image, "image/png", PIPES_IMAGE_ID)],
            )
            if dashboard.gap:
                _gap_notification(worker, dashboard)
    except IntegrityError:
        return False  # sent by another run at the same moment
    return True


def _gap_notification(worker: User, dashboard: Dashboard) -> None:
    gap, jobs = dashboard.gap or 0, len(dashboard.matching_jobs)

    def message() -> str:
        text = gettext("%(gap)s to go to this month’s target.") % {"gap": format_money(gap, "JPY")}
        if jobs:
            text += " " + ngettext(
                "%(n)d open job matches your skills.", "%(n)d open jobs match your skills.", jobs
            ) % {"n": jobs}
        return text

    notify(
        user=worker,
        kind="income.gap",
        message=message,
        url=reverse("income:dashboard"),
        email=False,  # the weekly e-mail says it already
    )


def _compose(dashboard: Dashboard) -> tuple[str, str, str, bytes]:
    base = site_url()
    total = format_money(dashboard.this_month_total, "JPY")
    if dashboard.gap:
        subject = gettext("Your income this week: %(total)s this month, %(gap)s to the target") % {
            "total": total,
            "gap": format_money(dashboard.gap, "JPY"),
        }
    else:
        subject = gettext("Your income this week: %(total)s this month") % {"total": total}
    context = {
        "dashboard": dashboard,
        "base": base,
        "dashboard_url": base + reverse("income:dashboard"),
        "thinning": [row for row in dashboard.pipes if row.pipe.is_thinning],
        "pipes": dashboard.pipes[:8],
        "job_urls": _job_urls(base, dashboard.matching_jobs),
        "image_id": PIPES_IMAGE_ID,
    }
    text = render_to_string("income/email/weekly.txt", context)
    html = render_to_string("income/email/weekly.html", context)
    image = pipes_png(pipe_chart(dashboard.pipes))
    return f"[Tsunagu] {subject}", text, html, image


def _job_urls(base: str, jobs: Iterable[Job]) -> list[tuple[Job, str]]:
    return [(job, base + reverse("jobs:detail", args=[job.pk])) for job in jobs]


def weekly_email_set(*, user: User, receive: bool) -> None:
    """Stop (or start again) the weekly e-mail for ``user``."""
    if receive:
        WeeklySummaryOptOut.objects.filter(user=user).delete()
    else:
        WeeklySummaryOptOut.objects.get_or_create(user=user)
