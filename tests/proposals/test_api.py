from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from tests.jobs.factories import published_job
from tests.proposals.factories import interview, proposal, three_starts, worker_user
from tsunagu.jobs.models import JobInvitation
from tsunagu.proposals.models import Interview, Proposal, ProposalStatus

pytestmark = pytest.mark.django_db
API = "/api/v1/proposals"


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_create_list_and_refusals(client: Client) -> None:
    job = published_job()
    worker = worker_user()
    _as(client, worker)
    body = {"job_id": job.pk, "cover_letter": "よろしくお願いします", "price": 20000}
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "submitted"
    again = client.post(API, body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_proposed"
    mine = client.get(f"{API}/mine").json()
    assert mine["count"] == 1
    _as(client, job.client)
    own = client.post(API, body, content_type="application/json")
    assert own.status_code == 403 and own.json()["code"] == "own_job"
    assert client.get(f"{API}/jobs/{job.pk}").json()["count"] == 1
    assert Proposal.objects.count() == 1


def test_bad_values_answer_422_and_save_nothing(client: Client) -> None:
    job = published_job()
    _as(client, worker_user())
    response = client.post(
        API,
        {"job_id": job.pk, "cover_letter": " ", "price": 0, "colour": "red"},
        content_type="application/json",
    )
    assert response.status_code == 422
    response = client.post(
        API, {"job_id": job.pk, "cover_letter": " ", "price": 0}, content_type="application/json"
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"cover_letter", "price"} <= fields
    assert "提案文" in response.json()["errors"][0]["message"] or "金額" in str(response.json())
    assert Proposal.objects.count() == 0


def test_daily_limit_answers_429(client: Client, settings: Any) -> None:
    settings.PROPOSALS_PER_DAY = 1
    worker = worker_user()
    proposal(worker=worker)
    job = published_job()
    _as(client, worker)
    response = client.post(
        API, {"job_id": job.pk, "cover_letter": "x", "price": 1}, content_type="application/json"
    )
    assert response.status_code == 429 and response.json()["code"] == "daily_proposals"
    assert Proposal.objects.count() == 1


def test_job_list_only_for_its_client_and_query_count(client: Client) -> None:
    job = published_job()
    proposal(job=job)
    _as(client, UserFactory())
    assert client.get(f"{API}/jobs/{job.pk}").status_code == 404
    _as(client, job.client)
    with CaptureQueriesContext(connection) as one:
        client.get(f"{API}/jobs/{job.pk}")
    for _ in range(4):
        proposal(job=job)
    with CaptureQueriesContext(connection) as five:
        assert client.get(f"{API}/jobs/{job.pk}").json()["count"] == 5
    assert len(five) == len(one)


def test_shortlist_decline_withdraw(client: Client) -> None:
    p = proposal()
    _as(client, UserFactory())
    assert client.post(f"{API}/{p.pk}/shortlist").status_code == 404
    _as(client, p.worker)
    assert client.post(f"{API}/{p.pk}/shortlist").status_code == 403
    _as(client, p.job.client)
    assert client.post(f"{API}/{p.pk}/shortlist").json()["status"] == "shortlisted"
    bad = client.post(f"{API}/{p.pk}/decline", {"reason": "x"}, content_type="application/json")
    assert bad.status_code == 422
    done = client.post(
        f"{API}/{p.pk}/decline", {"reason": "schedule"}, content_type="application/json"
    )
    assert done.json()["decline_reason"] == "schedule"
    q = proposal()
    _as(client, q.worker)
    assert client.post(f"{API}/{q.pk}/withdraw").json()["status"] == "withdrawn"
    p.refresh_from_db()
    assert p.status == ProposalStatus.DECLINED


def test_scout(client: Client) -> None:
    job = published_job()
    worker = worker_user()
    _as(client, job.client)
    body = {"job_id": job.pk, "worker_profile_id": worker.profile.pk}
    assert client.post(f"{API}/scouts", body, content_type="application/json").status_code == 201
    again = client.post(f"{API}/scouts", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_invited"
    _as(client, UserFactory())
    assert client.post(f"{API}/scouts", body, content_type="application/json").status_code == 404
    assert JobInvitation.objects.count() == 1


def test_interviews_propose_book_ics(client: Client) -> None:
    worker = worker_user(time_zone="America/Los_Angeles")
    p = proposal(worker=worker)
    _as(client, p.job.client)
    suggestions = client.get(f"{API}/interviews/suggestions", {"with_user_id": worker.pk}).json()
    assert len(suggestions) >= 3
    body = {"proposal_id": p.pk, "starts": [s["starts_at"] for s in suggestions[:3]]}
    created = client.post(f"{API}/interviews", body, content_type="application/json")
    assert created.status_code == 201
    data = created.json()
    assert all(s["in_overlap"] for s in data["slots"]) and data["ics_url"] is None
    _as(client, UserFactory())
    assert client.get(f"{API}/interviews/{data['id']}").status_code == 404
    _as(client, worker)
    slot = data["slots"][0]["id"]
    booked = client.post(
        f"{API}/interviews/{data['id']}/book", {"slot_id": slot}, content_type="application/json"
    )
    assert booked.json()["status"] == "booked"
    twice = client.post(
        f"{API}/interviews/{data['id']}/book",
        {"slot_id": data["slots"][1]["id"]},
        content_type="application/json",
    )
    assert twice.status_code == 409 and twice.json()["code"] == "already_booked"
    ics = client.get(booked.json()["ics_url"])
    assert ics.status_code == 200 and b"BEGIN:VCALENDAR\r\n" in ics.content


def test_interview_needs_one_subject_and_offsets(client: Client) -> None:
    p = proposal()
    _as(client, p.job.client)
    starts = [s.isoformat() for s in three_starts()]
    none = client.post(f"{API}/interviews", {"starts": starts}, content_type="application/json")
    assert none.status_code == 422
    naive = [s.replace("+00:00", "") for s in starts]
    response = client.post(
        f"{API}/interviews", {"proposal_id": p.pk, "starts": naive}, content_type="application/json"
    )
    assert response.status_code == 422
    assert Interview.objects.count() == 0
    interview(p)
    again = client.post(
        f"{API}/interviews",
        {"proposal_id": p.pk, "starts": starts},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "interview_open"
