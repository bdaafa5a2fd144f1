"""Demo jobs (``data/jobs.toml``): open jobs in Japanese and English from the demo clients,
across categories and types, so that search can be tried at once.

Safe to run again: a job is identified by its client and title and is created only once.
``DemoJob.proposals`` says how many demo proposals a job should get; the demo proposals read it
(:func:`demo_jobs_wanting_proposals`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.demo.datafiles import data_read
from tsunagu.jobs import services
from tsunagu.jobs.models import Category, Job, JobKind, Visibility
from tsunagu.profiles.models import Skill


@dataclass(frozen=True)
class DemoJob:
    client: str
    category: str
    kind: str
    title: str
    description: str
    budget: tuple[int | None, int]  # (min, max) yen; hourly: the rate
    skills: tuple[str, ...] = ()
    cap: int | None = None  # hours a week, hourly jobs
    days_ago: int = 0  # posted this many days ago
    deadline_in: int = 21  # days from today
    workers: int = 1
    invite_only: bool = False
    trial: tuple[str, int] | None = None
    proposals: int = 0

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> DemoJob:
        """A job from one ``[[job]]`` table of the data file."""
        values = dict(record)
        values["kind"] = JobKind(values["kind"]).value
        low, high = values["budget"]
        values["budget"] = (low, high)
        values["skills"] = tuple(values.get("skills", ()))
        if "trial" in values:
            values["trial"] = (values["trial"]["description"], values["trial"]["fee"])
        return cls(**values)


_DATA = data_read("jobs")
JOBS: tuple[DemoJob, ...] = tuple(DemoJob.from_record(r) for r in _DATA["job"])
INVITED_WORKER: str = _DATA["invited_worker"]  # invite-only jobs invite this worker


def demo_jobs_wanting_proposals() -> list[tuple[Job, int]]:
    """Demo jobs and how many demo proposals each should receive (for the demo proposals)."""
    wanted = {(d.client, d.title): d.proposals for d in JOBS if d.proposals}
    jobs = Job.objects.filter(title__in=[t for _c, t in wanted]).select_related("client")
    return [
        (j, wanted[(j.client.email, j.title)]) for j in jobs if (j.client.email, j.title) in wanted
    ]


def demo_jobs_load(*, specs: Iterable[DemoJob] = JOBS) -> int:
    """Create the demo jobs that do not exist yet; returns how many were created."""
    specs = list(specs)
    emails = {spec.client for spec in specs} | {INVITED_WORKER}
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    categories = {c.slug: c for c in Category.objects.all()}
    skills = {s.slug: s for s in Skill.objects.all()}
    worker = users.get(INVITED_WORKER)
    created = 0
    for spec in specs:
        client = users.get(spec.client)
        if client is None or spec.category not in categories:
            continue
        if Job.objects.filter(client=client, title=spec.title).exists():
            continue
        with transaction.atomic():
            job = services.job_publish(
                client=client,
                job=None,
                values={
                    "title": spec.title,
                    "description": spec.description,
                    "category": categories[spec.category],
                    "skills": [skills[s] for s in spec.skills if s in skills],
                    "kind": spec.kind,
                    "budget_min": spec.budget[0],
                    "budget_max": spec.budget[1],
                    "weekly_hours_cap": spec.cap,
                    "deadline": services.client_today(client) + dt.timedelta(days=spec.deadline_in),
                    "workers_wanted": spec.workers,
                    "visibility": Visibility.INVITE_ONLY if spec.invite_only else Visibility.PUBLIC,
                    "trial_description": spec.trial[0] if spec.trial else "",
                    "trial_fee": spec.trial[1] if spec.trial else None,
                },
            )
            # spread the demo over the last weeks so "posted within" filters show something
            Job.objects.filter(pk=job.pk).update(
                published_at=timezone.now()
                - dt.timedelta(days=spec.days_ago, hours=len(spec.title) % 12)
            )
            if spec.invite_only and worker is not None and worker.pk != client.pk:
                services.job_invite(actor=client, job=job, worker=worker)
        created += 1
    return created
