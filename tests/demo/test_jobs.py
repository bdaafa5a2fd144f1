"""``tsunagu demo`` adds at least 60 open jobs in Japanese and English; running again adds none."""

from __future__ import annotations

import pytest

from tsunagu.demo.jobs import demo_jobs_load, demo_jobs_wanting_proposals
from tsunagu.jobs.models import Job, JobKind
from tsunagu.jobs.selectors import SearchParams, job_search_queryset

pytestmark = pytest.mark.django_db


def test_demo_jobs() -> None:
    jobs = Job.objects.filter(status="open")
    assert jobs.count() >= 60
    assert set(jobs.values_list("kind", flat=True)) == set(JobKind.values)
    assert jobs.values("category").distinct().count() >= 10
    assert jobs.filter(title__regex=r"^[A-Za-z]").count() >= 20  # English ones
    assert demo_jobs_wanting_proposals()
    anonymous = job_search_queryset(viewer=None, params=SearchParams(query="動画"))
    assert anonymous.count() >= 3
    assert demo_jobs_load() == 0
