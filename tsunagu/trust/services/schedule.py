"""What the periodic tick does for reviews: publish those whose blind period ended, and remind
each side that has not reviewed. Both are idempotent: a tick run twice, late or after a restart
publishes each pair once and sends each reminder once (a ``ReviewReminder`` row per reminder)."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tsunagu.contracts.models import Milestone
from tsunagu.contracts.states import PAID
from tsunagu.notifications.services import notify
from tsunagu.trust import rules
from tsunagu.trust.models import Review, ReviewReminder
from tsunagu.trust.rules import Window
from tsunagu.trust.services.reviews import lock_contract, lock_reviews, reveal, write_url

BATCH = 200


def reviews_reveal_due(*, now: datetime.datetime | None = None) -> int:
    """Publish the reviews whose blind period has ended; the number of contracts published."""
    now = now or timezone.now()
    due = (
        Review.objects.filter(revealed_at__isnull=True, completed_at__lte=now - rules.BLIND_PERIOD)
        .order_by("contract_id")
        .values_list("contract_id", flat=True)
        .distinct()
    )
    published = 0
    for contract_id in list(due[:BATCH]):
        with transaction.atomic():
            contract = lock_contract(contract_id)
            hidden = [r for r in lock_reviews(contract_id) if r.revealed_at is None]
            if not hidden:
                continue  # published by the second review in the meantime
            reveal(contract, hidden, now=now, by=None)
        published += 1
    return published


def review_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind each party who has not reviewed, 3 and 10 days after completion; once each.

    A tick that comes late and finds both days due sends one reminder and records both.
    Returns the number of reminders sent.
    """
    now = now or timezone.now()
    first_day = min(rules.REMINDER_DAYS)
    candidates = (
        Milestone.objects.filter(status__in=PAID)
        .values("contract_id")
        .annotate(completed_at=Min("closed_at"))
        .filter(
            completed_at__lte=now - datetime.timedelta(days=first_day),
            completed_at__gt=now - rules.BLIND_PERIOD,
        )
        .order_by("contract_id")
    )
    sent = 0
    for row in list(candidates[:BATCH]):
        window = Window(row["completed_at"])
        due_days = {day for day in rules.REMINDER_DAYS if window.reminder_due(day, now)}
        with transaction.atomic():
            contract = lock_contract(row["contract_id"])
            authors = {r.author_id for r in lock_reviews(contract.pk)}
            for user in (contract.client, contract.worker):
                if user.pk in authors:
                    continue
                done = set(
                    ReviewReminder.objects.filter(contract=contract, user=user).values_list(
                        "day", flat=True
                    )
                )
                new = sorted(due_days - done)
                if not new:
                    continue
                ReviewReminder.objects.bulk_create(
                    [ReviewReminder(contract=contract, user=user, day=day) for day in new]
                )
                notify(
                    user=user,
                    kind="review.reminder",
                    message=_reminder(contract.title, window.reveal_at, user.time_zone),
                    url=write_url(contract),
                )
                sent += 1
    return sent


def _reminder(title: str, deadline: datetime.datetime, zone: str) -> Callable[[], str]:
    """The reminder's text, with the reveal date in the recipient's own time zone."""

    def message() -> str:
        try:
            local = timezone.localtime(deadline, zoneinfo.ZoneInfo(zone or "Asia/Tokyo"))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            local = timezone.localtime(deadline)
        return _(
            "Review %(contract)s: the other side sees your review only once both have "
            "written, or after %(date)s."
        ) % {"contract": title, "date": date_format(local, "DATE_FORMAT")}

    return message
