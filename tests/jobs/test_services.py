"""Posting, editing, closing and reopening jobs; bad input changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.jobs.factories import category, job_values, published_job
from tsunagu.audit.models import AuditEvent
from tsunagu.jobs import services
from tsunagu.jobs.models import Job, JobInvitation, JobKind, JobSearchDocument, JobStatus

pytestmark = pytest.mark.django_db


def state() -> dict[str, Any]:
    return {
        "jobs": list(Job.objects.order_by("pk").values()),
        "docs": JobSearchDocument.objects.count(),
        "audit": AuditEvent.objects.filter(subject_type="jobs.job").count(),
        "invitations": JobInvitation.objects.count(),
    }


def test_publish_stores_indexes_and_audits() -> None:
    job = published_job(skills=[])
    assert job.status == JobStatus.OPEN
    assert job.published_at is not None
    assert job.budget_estimate == 30_000
    assert "翻訳" in JobSearchDocument.objects.get(job=job).tokens
    assert AuditEvent.objects.filter(event="job.published", subject_id=str(job.pk)).exists()


def test_hourly_budget_estimate_is_rate_times_cap_times_four_weeks() -> None:
    job = published_job(kind=JobKind.HOURLY, budget_min=1500, budget_max=2000, weekly_hours_cap=10)
    assert job.budget_estimate == 2000 * 10 * 4


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"budget_min": 50_000, "budget_max": 10_000}, "budget_min"),
        ({"deadline": timezone.localdate() - datetime.timedelta(days=2)}, "deadline"),
        ({"kind": JobKind.HOURLY, "weekly_hours_cap": None}, "weekly_hours_cap"),
        ({"title": ""}, "title"),
        ({"category": None}, "category"),
        ({"budget_max": None}, "budget_max"),
        ({"trial_description": "試しに1本", "trial_fee": None}, "trial_fee"),
        ({"workers_wanted": 0}, "workers_wanted"),
    ],
)
def test_bad_jobs_are_refused_with_a_message_and_nothing_saved(
    overrides: dict[str, Any], field: str
) -> None:
    client = UserFactory()
    before = state()
    with pytest.raises(ValidationError) as info:
        services.job_publish(client=client, job=None, values=job_values(**overrides))
    assert field in info.value.message_dict
    assert info.value.message_dict[field][0]
    assert state() == before


def test_messages_are_japanese_by_default() -> None:
    with pytest.raises(ValidationError) as info:
        services.job_publish(
            client=UserFactory(), job=None, values=job_values(budget_min=9, budget_max=1)
        )
    assert info.value.message_dict["budget_min"] == ["予算の下限が上限を上回っています。"]


def test_draft_autosave_then_publish_uses_the_same_row() -> None:
    client = UserFactory()
    draft = services.job_draft_save(client=client, job=None, values={"title": "下書き"})
    assert draft.status == JobStatus.DRAFT
    assert not JobSearchDocument.objects.filter(job=draft).exists()
    draft = services.job_draft_save(
        client=client, job=draft, values={"budget_min": 9000, "budget_max": 100}
    )
    draft.refresh_from_db()
    assert draft.budget_min is None  # a range the wrong way round waits for publishing
    job = services.job_publish(client=client, job=draft, values=job_values())
    assert job.pk == draft.pk
    assert Job.objects.count() == 1


def test_someone_else_cannot_change_a_draft() -> None:
    draft = services.job_draft_save(client=UserFactory(), job=None, values={"title": "a"})
    before = state()
    with pytest.raises(ValidationError):
        services.job_draft_save(client=UserFactory(), job=draft, values={"title": "b"})
    with pytest.raises(ValidationError):
        services.job_publish(client=UserFactory(), job=draft, values=job_values())
    assert state() == before


def test_update_close_reopen() -> None:
    client = UserFactory()
    job = published_job(client)
    job = services.job_update(actor=client, job=job, values={"title": "動画編集者募集"})
    assert "動画" in JobSearchDocument.objects.get(job=job).tokens
    job = services.job_close(actor=client, job=job)
    assert job.status == JobStatus.CLOSED
    with pytest.raises(ValidationError):
        services.job_close(actor=client, job=job)
    job = services.job_reopen(actor=client, job=job)
    assert job.status == JobStatus.OPEN
    events = list(AuditEvent.objects.filter(subject_id=str(job.pk)).values_list("event", flat=True))
    assert {"job.published", "job.updated", "job.closed", "job.reopened"} <= set(events)


def test_other_user_cannot_update_close_or_reopen() -> None:
    job = published_job()
    other = UserFactory()
    before = state()
    with pytest.raises(ValidationError):
        services.job_update(actor=other, job=job, values={"title": "x"})
    with pytest.raises(ValidationError):
        services.job_close(actor=other, job=job)
    assert state() == before


def test_reopen_refused_when_the_deadline_passed() -> None:
    client = UserFactory()
    job = published_job(client)
    services.job_close(actor=client, job=job)
    Job.objects.filter(pk=job.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=3))
    before = state()
    with pytest.raises(ValidationError) as info:
        services.job_reopen(actor=client, job=job)
    assert info.value.code == "deadline_past"
    assert state() == before


def test_update_with_bad_budget_changes_nothing() -> None:
    client = UserFactory()
    job = published_job(client)
    before = state()
    with pytest.raises(ValidationError):
        services.job_update(actor=client, job=job, values={"budget_min": 99_999})
    assert state() == before


def test_invite_once_and_not_oneself() -> None:
    client = UserFactory()
    worker = UserFactory()
    job = published_job(client, visibility="invite_only")
    services.job_invite(actor=client, job=job, worker=worker)
    services.job_invite(actor=client, job=job, worker=worker)
    assert JobInvitation.objects.filter(job=job).count() == 1
    with pytest.raises(ValidationError):
        services.job_invite(actor=client, job=job, worker=client)
    with pytest.raises(ValidationError):
        services.job_invite(actor=worker, job=job, worker=UserFactory())


def test_withholding_categories() -> None:
    assert category("translation").withholding_applies
    assert category("video-editing").withholding_applies
    assert not category("programming").withholding_applies
    assert not category("data-entry").withholding_applies
