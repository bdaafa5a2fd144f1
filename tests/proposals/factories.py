from __future__ import annotations

import datetime
from typing import Any

from tests.accounts.factories import UserFactory
from tests.jobs.factories import published_job
from tsunagu.accounts.models import User
from tsunagu.jobs.models import Job
from tsunagu.proposals import services
from tsunagu.proposals.models import Interview, Proposal


def worker_user(**fields: Any) -> User:
    user = UserFactory(**fields)
    profile = user.profile
    profile.display_name = f"Worker {user.pk}"
    profile.is_worker = True
    profile.save()
    return user


def proposal(job: Job | None = None, worker: User | None = None, **overrides: Any) -> Proposal:
    job = job or published_job()
    worker = worker or worker_user()
    values: dict[str, Any] = {
        "cover_letter": "翻訳の経験が5年あります。",
        "price": 20_000,
        "schedule": "5日で初稿",
    }
    values.update(overrides)
    return services.proposal_submit(worker=worker, job=job, **values)


def next_weekday_utc(hour_utc: int, days_ahead: int = 2) -> datetime.datetime:
    """A weekday at ``hour_utc`` UTC at least ``days_ahead`` days from now."""
    day = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour_utc), tzinfo=datetime.UTC)


def three_starts(hour_utc: int = 1) -> list[datetime.datetime]:
    first = next_weekday_utc(hour_utc)
    return [first, first + datetime.timedelta(hours=1), first + datetime.timedelta(days=1)]


def interview(p: Proposal | None = None, **kwargs: Any) -> Interview:
    p = p or proposal()
    return services.interview_propose(
        by=p.job.client, proposal=p, starts=kwargs.pop("starts", three_starts()), **kwargs
    )
