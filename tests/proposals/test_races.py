"""Two bookings of one interview, and two proposals from one worker, started together.

Threads start at a barrier against committed data, on whichever database the suite runs on.
"""

from __future__ import annotations

import importlib

import pytest

from tests.jobs.factories import published_job
from tests.proposals.factories import interview, proposal, worker_user
from tests.support.races import race
from tsunagu.proposals import services
from tsunagu.proposals.errors import ProposalError
from tsunagu.proposals.models import InterviewStatus, Proposal

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _seeded_categories(transactional_db: None) -> None:
    """The categories a data migration seeds, put back after each test's flush."""
    from django.apps import apps

    importlib.import_module("tsunagu.jobs.migrations.0003_seed_categories").seed(apps, None)


def test_two_bookings_one_wins() -> None:
    p = proposal()
    i = interview(p)
    a, b = list(i.slots.order_by("starts_at"))[:2]
    results = race(
        lambda: services.interview_book(interview=i, slot_id=a.pk, by=p.worker),
        lambda: services.interview_book(interview=i, slot_id=b.pk, by=p.worker),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1
    assert isinstance(errors[0], ProposalError) and errors[0].code == "already_booked"
    i.refresh_from_db()
    assert i.status == InterviewStatus.BOOKED and i.booked_slot_id in (a.pk, b.pk)


def test_the_same_proposal_twice_at_once_is_saved_once() -> None:
    job = published_job()
    worker = worker_user()

    def send() -> Proposal:
        return services.proposal_submit(worker=worker, job=job, cover_letter="x", price=1000)

    results = race(send, send)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1
    assert isinstance(errors[0], ProposalError) and errors[0].code == "already_proposed"
    assert Proposal.objects.filter(job=job, worker=worker).count() == 1
