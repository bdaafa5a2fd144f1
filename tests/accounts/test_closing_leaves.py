"""Closing an account also ends what others would otherwise wait on: open jobs are closed, waiting
proposals withdrawn (their clients told), communities left (refused while the person is the last
owner of one with other members), and e-mail queued to the person's addresses is not sent.
An offer made at the moment of closing is either seen by the closing or refused."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.communities.factories import community, event, member, signed_up
from tests.contracts.factories import offer
from tests.jobs.factories import published_job
from tests.proposals.factories import proposal, worker_user
from tests.support.races import race
from tests.support.seeds import migration_seeds_restore
from tsunagu.accounts.closing import ClosingError, account_close
from tsunagu.accounts.models import User
from tsunagu.communities.models import Membership, MemberState, Role
from tsunagu.communities.services import activity_sign_up, membership_role_set
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import Contract
from tsunagu.jobs.models import JobStatus
from tsunagu.notifications.models import EmailStatus, Notification, OutgoingEmail
from tsunagu.notifications.services import email_queue
from tsunagu.proposals.models import ProposalStatus

pytestmark = pytest.mark.django_db


def test_open_jobs_are_closed_and_leave_the_search() -> None:
    client = UserFactory()
    job = published_job(client=client, title="写真の切り抜き作業")
    other = published_job(title="写真の色補正")
    assert "写真の切り抜き作業" in Client().get(reverse("jobs:list"), {"q": "写真"}).text

    account_close(user=client, password="password")

    job.refresh_from_db()
    other.refresh_from_db()
    assert job.status == JobStatus.CLOSED and job.closed_at is not None
    assert other.status == JobStatus.OPEN  # someone else's job is untouched
    listing = Client().get(reverse("jobs:list"), {"q": "写真"}).text
    assert "写真の切り抜き作業" not in listing and "写真の色補正" in listing


def test_waiting_proposals_are_withdrawn_and_the_client_told() -> None:
    worker = worker_user()
    waiting = proposal(worker=worker)
    someone_elses = proposal(job=waiting.job)

    account_close(user=worker, password="password")

    waiting.refresh_from_db()
    someone_elses.refresh_from_db()
    assert waiting.status == ProposalStatus.WITHDRAWN
    assert someone_elses.status == ProposalStatus.SUBMITTED
    told = Notification.objects.get(user=waiting.job.client, kind="proposal.withdrawn")
    assert f"#{worker.pk}" in told.message  # the closed account's name, not the person's


def test_communities_are_left_and_future_sign_ups_cancelled() -> None:
    person = UserFactory()
    group = community()
    member(group, person)
    gathering = event(group)
    activity_sign_up(activity=gathering, user=person)
    solo = community(owner=person, name="一人の会")
    assert signed_up(gathering) == 1

    account_close(user=person, password="password")

    assert not Membership.objects.filter(user=person, state=MemberState.ACTIVE).exists()
    assert Membership.objects.get(user=person, community=group).state == MemberState.LEFT
    assert Membership.objects.get(user=person, community=solo).state == MemberState.LEFT
    assert signed_up(gathering) == 0
    # the owner and the community stay as they were
    assert Membership.objects.get(community=group, role=Role.OWNER).state == MemberState.ACTIVE


def test_the_last_owner_of_a_community_with_members_is_refused_until_another_owns_it() -> None:
    owner = UserFactory()
    group = community(owner=owner, name="地方ライターの会")
    someone = member(group)

    with pytest.raises(ClosingError) as refused:
        account_close(user=owner, password="password")
    assert refused.value.code == "still_open"
    assert "「地方ライターの会」の唯一のオーナー" in str(refused.value)
    owner.refresh_from_db()
    assert owner.is_active
    assert Membership.objects.get(user=owner, community=group).role == Role.OWNER

    membership_role_set(
        membership=Membership.objects.get(user=someone, community=group), by=owner, role="owner"
    )
    account_close(user=owner, password="password")
    owner.refresh_from_db()
    assert not owner.is_active


def test_email_queued_to_the_person_is_not_sent_and_others_mail_is(
    django_capture_on_commit_callbacks: Any,
) -> None:
    person: User = UserFactory(email="Hana@Example.jp")
    EmailAddress.objects.create(user=person, email="hana.second@example.jp", verified=True)
    other = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        first = email_queue(to="hana@example.jp", subject="週のまとめ", body="…")
        second = email_queue(to="hana.second@example.jp", subject="お知らせ", body="…")
        theirs = email_queue(to=other.email, subject="お知らせ", body="…")
    in_flight = email_queue(to="Hana@Example.jp", subject="送信中", body="…")
    OutgoingEmail.objects.filter(pk=in_flight.pk).update(status=EmailStatus.SENDING)

    account_close(user=person, password="password")

    states = dict(OutgoingEmail.objects.values_list("pk", "status"))
    assert states[first.pk] == states[second.pk] == EmailStatus.FAILED
    assert states[theirs.pk] == EmailStatus.PENDING
    assert states[in_flight.pk] == EmailStatus.SENDING  # already with the mail server
    assert OutgoingEmail.objects.get(pk=first.pk).last_error.endswith("account was closed")


@pytest.mark.django_db(transaction=True)
def test_an_offer_at_the_moment_of_closing_is_seen_by_it_or_refused() -> None:
    for _round in range(3):
        client, worker = UserFactory(), UserFactory()

        def close(worker: User = worker) -> User:
            return account_close(user=worker, password="password")

        def make_offer(client: User = client, worker: User = worker) -> Contract:
            return offer(client=client, worker=worker, accept=False)

        results = race(close, make_offer)
        closed, offered = results
        worker.refresh_from_db()
        contracts = Contract.objects.filter(worker=worker).count()
        if isinstance(closed, User):
            # closed first: the offer waited for it and was refused
            assert isinstance(offered, ContractError) and offered.code == "closed_account"
            assert not worker.is_active and contracts == 0
        else:
            # the offer first: the closing saw it and refused, saying so
            assert isinstance(closed, ClosingError) and closed.code == "still_open", results
            assert isinstance(offered, Contract)
            assert worker.is_active and contracts == 1


@pytest.mark.django_db(transaction=True)
def test_an_offer_from_a_proposal_while_its_worker_closes_never_deadlocks() -> None:
    """Closing withdraws the worker's proposals; an offer from one locks it too. Both take the
    accounts first, so neither waits on the other: one of them wins, cleanly."""
    import datetime

    from django.utils import timezone

    from tsunagu.contracts.services import MilestoneInput
    from tsunagu.proposals.services import proposal_offer

    migration_seeds_restore()  # a transactional test before this one emptied the categories
    for _round in range(3):
        worker = worker_user()
        waiting = proposal(worker=worker)
        due = timezone.localdate() + datetime.timedelta(days=10)

        def close(worker: User = worker) -> User:
            return account_close(user=worker, password="password")

        def make_offer(waiting: Any = waiting, due: datetime.date = due) -> Contract:
            return proposal_offer(
                proposal=waiting,
                by=waiting.job.client,
                title=waiting.job.title,
                description=waiting.job.description,
                deliverables="翻訳済みの原稿",
                milestones=[MilestoneInput("翻訳", waiting.price, due)],
                payment_due=due + datetime.timedelta(days=30),
            )

        closed, offered = race(close, make_offer)
        waiting.refresh_from_db()
        if isinstance(closed, User):
            assert isinstance(offered, ContractError) and offered.code == "closed_account"
            assert waiting.status == ProposalStatus.WITHDRAWN
        else:
            assert isinstance(closed, ClosingError) and closed.code == "still_open", closed
            assert isinstance(offered, Contract)
            assert waiting.status == ProposalStatus.OFFERED
