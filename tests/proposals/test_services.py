from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.jobs.factories import published_job
from tests.proposals.factories import (
    interview,
    next_weekday_utc,
    proposal,
    three_starts,
    worker_user,
)
from tsunagu.audit.models import AuditEvent
from tsunagu.contracts.models import Contract
from tsunagu.contracts.services import MilestoneInput
from tsunagu.contracts.states import ContractStatus
from tsunagu.jobs import services as job_services
from tsunagu.jobs.models import JobInvitation, Visibility
from tsunagu.messaging.models import Room
from tsunagu.messaging.services import message_send
from tsunagu.notifications.models import Notification
from tsunagu.proposals import services
from tsunagu.proposals.errors import ProposalError
from tsunagu.proposals.models import (
    DeclineReason,
    Interview,
    InterviewStatus,
    Proposal,
    ProposalStatus,
    ResponseTime,
)

pytestmark = pytest.mark.django_db


def _refused(code: str, call: Any) -> None:
    with pytest.raises(ProposalError) as info:
        call()
    assert info.value.code == code


# --- submit ---------------------------------------------------------------------------------


def test_submit_saves_audits_and_notifies_client() -> None:
    job = published_job()
    worker = worker_user()
    p = services.proposal_submit(
        worker=worker,
        job=job,
        cover_letter="  よろしくお願いします  ",
        price=30_000,
        milestones=[
            services.ProposedMilestone("初稿", 10_000),
            services.ProposedMilestone("最終稿", 20_000, timezone.localdate()),
        ],
    )
    assert p.status == ProposalStatus.SUBMITTED
    assert p.cover_letter == "よろしくお願いします"
    assert p.milestones[1]["due_date"] == timezone.localdate().isoformat()
    assert AuditEvent.objects.filter(event="proposal.submitted").count() == 1
    assert Notification.objects.get(user=job.client).kind == "proposal.submitted"


def test_own_job_refused_and_nothing_saved() -> None:
    job = published_job()
    _refused("own_job", lambda: proposal(job=job, worker=job.client))
    assert Proposal.objects.count() == 0


def test_twice_refused_and_nothing_saved() -> None:
    p = proposal()
    _refused("already_proposed", lambda: proposal(job=p.job, worker=p.worker, price=1))
    assert Proposal.objects.get().price == 20_000


def test_closed_draft_and_invite_only_jobs_refused() -> None:
    closed = published_job()
    job_services.job_close(actor=closed.client, job=closed)
    hidden = published_job(visibility=Visibility.INVITE_ONLY)
    worker = worker_user()
    _refused("job_not_open", lambda: proposal(job=closed, worker=worker))
    _refused("job_not_open", lambda: proposal(job=hidden, worker=worker))
    assert Proposal.objects.count() == 0
    job_services.job_invite(actor=hidden.client, job=hidden, worker=worker)
    assert proposal(job=hidden, worker=worker).pk


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"cover_letter": "   "}, "cover_letter"),
        ({"price": 0}, "price"),
        ({"price": 100_000_001}, "price"),
        ({"delivery_date": datetime.date(2000, 1, 1)}, "delivery_date"),
        ({"milestones": [services.ProposedMilestone("a", 1)]}, "milestones"),
        ({"milestones": [services.ProposedMilestone("a", 20_000)] * 6}, "milestones"),
    ],
)
def test_bad_values_refused_with_field_and_nothing_saved(
    values: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        proposal(**values)
    assert field in info.value.message_dict
    assert Proposal.objects.count() == 0


def test_daily_limit_counts_the_workers_day(settings: Any) -> None:
    settings.PROPOSALS_PER_DAY = 2
    worker = worker_user()
    proposal(worker=worker)
    proposal(worker=worker)
    job = published_job()
    _refused("daily_proposals", lambda: proposal(job=job, worker=worker))
    assert Proposal.objects.filter(worker=worker).count() == 2
    # yesterday's proposals do not count
    Proposal.objects.filter(worker=worker).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert proposal(job=job, worker=worker).pk


# --- client decisions -----------------------------------------------------------------------


def test_shortlist_then_decline_with_reason() -> None:
    p = proposal()
    client = p.job.client
    services.proposal_shortlist(proposal=p, by=client)
    p.refresh_from_db()
    assert p.status == ProposalStatus.SHORTLISTED and p.client_responded_at
    services.proposal_decline(proposal=p, by=client, reason=DeclineReason.BUDGET, note="予算超過")
    p.refresh_from_db()
    assert (p.status, p.decline_reason, p.decline_note) == ("declined", "budget", "予算超過")
    note = Notification.objects.filter(user=p.worker, kind="proposal.declined").get()
    assert "予算" in note.message
    _refused("wrong_state", lambda: services.proposal_shortlist(proposal=p, by=client))


def test_decline_bad_reason_and_other_without_note_change_nothing() -> None:
    p = proposal()
    with pytest.raises(ValidationError):
        services.proposal_decline(proposal=p, by=p.job.client, reason="rude")
    with pytest.raises(ValidationError):
        services.proposal_decline(proposal=p, by=p.job.client, reason=DeclineReason.OTHER)
    p.refresh_from_db()
    assert p.status == ProposalStatus.SUBMITTED and p.decline_reason == ""


def test_only_the_client_decides_and_only_the_worker_withdraws() -> None:
    p = proposal()
    stranger = UserFactory()
    _refused("not_the_client", lambda: services.proposal_shortlist(proposal=p, by=stranger))
    _refused("not_the_client", lambda: services.proposal_shortlist(proposal=p, by=p.worker))
    _refused("not_the_worker", lambda: services.proposal_withdraw(proposal=p, by=p.job.client))
    services.proposal_withdraw(proposal=p, by=p.worker)
    p.refresh_from_db()
    assert p.status == ProposalStatus.WITHDRAWN
    _refused("wrong_state", lambda: services.proposal_withdraw(proposal=p, by=p.worker))


def test_open_inquiry_once_about_the_job() -> None:
    p = proposal()
    room = services.proposal_open_inquiry(proposal=p, by=p.job.client)
    again = services.proposal_open_inquiry(proposal=p, by=p.job.client)
    assert room.pk == again.pk
    assert (room.subject_type, room.subject_id) == ("job", str(p.job_id))
    _refused("not_the_client", lambda: services.proposal_open_inquiry(proposal=p, by=p.worker))


def _offer(p: Proposal, **overrides: Any) -> Contract:
    due = timezone.localdate() + datetime.timedelta(days=10)
    values: dict[str, Any] = {
        "title": p.job.title,
        "description": p.job.description,
        "deliverables": "翻訳済みの原稿",
        "milestones": [MilestoneInput("翻訳", p.price, due)],
        "payment_due": due + datetime.timedelta(days=30),
    }
    values.update(overrides)
    return services.proposal_offer(proposal=p, by=p.job.client, **values)


def test_offer_creates_contract_with_category_withholding() -> None:
    p = proposal()
    contract = _offer(p)
    p.refresh_from_db()
    assert p.status == ProposalStatus.OFFERED and p.contract_id == contract.pk
    assert contract.status == ContractStatus.OFFERED
    assert contract.worker_id == p.worker_id
    assert contract.terms.data["withholding_applies"] is True  # translation: 源泉徴収
    assert AuditEvent.objects.filter(event="proposal.offered").exists()
    _refused("wrong_state", lambda: _offer(p))
    assert Contract.objects.count() == 1


def test_offer_with_bad_terms_changes_nothing() -> None:
    p = proposal()
    with pytest.raises(ValidationError):
        _offer(p, deliverables="")
    p.refresh_from_db()
    assert p.status == ProposalStatus.SUBMITTED and Contract.objects.count() == 0


# --- scouting -------------------------------------------------------------------------------


def test_scout_invites_and_makes_invite_only_job_visible() -> None:
    job = published_job(visibility=Visibility.INVITE_ONLY)
    worker = worker_user()
    services.scout_send(client=job.client, job=job, worker=worker)
    assert JobInvitation.objects.filter(job=job, worker=worker).exists()
    assert Notification.objects.get(user=worker).kind == "proposal.scouted"
    assert proposal(job=job, worker=worker).pk
    _refused(
        "already_invited", lambda: services.scout_send(client=job.client, job=job, worker=worker)
    )


def test_scout_refusals_change_nothing(settings: Any) -> None:
    settings.SCOUTS_PER_DAY = 1
    job = published_job()
    other_job = published_job(client=job.client)
    worker, second = worker_user(), worker_user()
    _refused(
        "self_scout", lambda: services.scout_send(client=job.client, job=job, worker=job.client)
    )
    stranger = UserFactory()
    _refused("not_the_client", lambda: services.scout_send(client=stranger, job=job, worker=worker))
    services.scout_send(client=job.client, job=job, worker=worker)
    _refused(
        "daily_scouts", lambda: services.scout_send(client=job.client, job=other_job, worker=second)
    )
    assert JobInvitation.objects.count() == 1


# --- interviews -----------------------------------------------------------------------------


def test_propose_and_book_interview() -> None:
    worker = worker_user(time_zone="America/Los_Angeles")
    p = proposal(worker=worker)
    i = interview(p)
    assert i.inviter_id == p.job.client_id and i.invitee_id == worker.pk
    assert i.slots.count() == 3 and i.room.subject_type == "job"
    assert Notification.objects.filter(user=worker, kind="interview.proposed").exists()
    slot = i.slots.order_by("starts_at").last()
    assert slot is not None
    services.interview_book(interview=i, slot_id=slot.pk, by=worker)
    i.refresh_from_db()
    assert i.status == InterviewStatus.BOOKED and i.booked_slot_id == slot.pk
    assert Notification.objects.filter(kind="interview.booked").count() == 2
    first = i.slots.order_by("starts_at").first()
    assert first is not None
    _refused(
        "already_booked",
        lambda: services.interview_book(interview=i, slot_id=first.pk, by=worker),
    )
    i.refresh_from_db()
    assert i.booked_slot_id == slot.pk


def test_booking_refusals_change_nothing() -> None:
    p = proposal()
    i = interview(p)
    slot = i.slots.first()
    assert slot is not None
    _refused(
        "not_the_invitee",
        lambda: services.interview_book(interview=i, slot_id=slot.pk, by=p.job.client),
    )
    later = slot.starts_at + datetime.timedelta(minutes=1)
    _refused(
        "slot_past",
        lambda: services.interview_book(interview=i, slot_id=slot.pk, by=p.worker, now=later),
    )
    with pytest.raises(ValidationError):
        services.interview_book(interview=i, slot_id=999_999, by=p.worker)
    i.refresh_from_db()
    assert i.status == InterviewStatus.PROPOSED and i.booked_slot_id is None


@pytest.mark.parametrize(
    "starts",
    [
        three_starts()[:2],
        [*three_starts(), next_weekday_utc(5, 5), next_weekday_utc(6, 5), next_weekday_utc(7, 5)],
        [three_starts()[0]] * 3,
        [timezone.now() - datetime.timedelta(hours=1), *three_starts()[:2]],
    ],
)
def test_interview_needs_three_to_five_future_times(starts: list[datetime.datetime]) -> None:
    p = proposal()
    with pytest.raises(ValidationError):
        services.interview_propose(by=p.job.client, proposal=p, starts=starts)
    assert Interview.objects.count() == 0
    assert Room.objects.count() == 0


def test_interview_refusals() -> None:
    p = proposal()
    stranger = UserFactory()
    _refused(
        "not_a_party",
        lambda: services.interview_propose(by=stranger, proposal=p, starts=three_starts()),
    )
    interview(p)
    _refused("interview_open", lambda: interview(p))
    assert Interview.objects.count() == 1


def test_worker_may_propose_and_outside_hours_is_marked() -> None:
    p = proposal()
    # 01:00 UTC = 10:00 in Tokyo (both work); 15:00 UTC = midnight in Tokyo
    starts = [next_weekday_utc(1), next_weekday_utc(2), next_weekday_utc(15)]
    i = services.interview_propose(by=p.worker, proposal=p, starts=starts)
    assert i.invitee_id == p.job.client_id
    assert [s.in_overlap for s in i.slots.order_by("starts_at")] == [True, True, False]


def test_interview_in_a_contract_room() -> None:
    p = proposal()
    contract = _offer(p)
    i = services.interview_propose(by=p.worker, contract=contract, starts=three_starts())
    assert i.room.contract_id == contract.pk and i.invitee_id == p.job.client_id


def test_reminder_sent_once_by_mail(django_capture_on_commit_callbacks: Any) -> None:
    p = proposal()
    i = interview(p)
    slot = i.slots.order_by("starts_at").first()
    assert slot is not None
    services.interview_book(interview=i, slot_id=slot.pk, by=p.worker)
    mail.outbox.clear()
    early = slot.starts_at - datetime.timedelta(hours=3)
    assert services.interview_reminders_send(now=early) == 0
    soon = slot.starts_at - datetime.timedelta(minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.interview_reminders_send(now=soon) == 1
    assert services.interview_reminders_send(now=soon) == 0
    assert Notification.objects.filter(kind="interview.reminder").count() == 2
    assert len(mail.outbox) == 2


# --- response time --------------------------------------------------------------------------


def test_response_time_from_inquiries_and_proposals() -> None:
    p = proposal()
    client, worker = p.job.client, p.worker
    room = services.proposal_open_inquiry(proposal=p, by=client)
    message_send(room=room, sender=client, body="質問があります")
    message_send(room=room, sender=worker, body="はい、どうぞ")
    now = timezone.now()
    assert services.response_times_refresh(now=now) == 2
    assert ResponseTime.objects.get(user=worker).median_seconds is not None
    assert ResponseTime.objects.get(user=client).samples == 1  # the proposal answered
    # within the hour the periodic job does not recompute
    assert services.response_times_refresh(now=now, force=False) == 0
