from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.jobs.factories import published_job
from tests.proposals.factories import interview, proposal, three_starts, worker_user
from tsunagu.contracts.models import Contract
from tsunagu.jobs.models import JobInvitation
from tsunagu.messaging.models import Room, RoomMember
from tsunagu.messaging.services import group_room_create
from tsunagu.proposals import services
from tsunagu.proposals.errors import ProposalError
from tsunagu.proposals.models import Interview, InterviewStatus, Proposal, ProposalStatus

pytestmark = pytest.mark.django_db


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_job_page_offers_the_proposal_button_and_the_form_sends_it(client: Client) -> None:
    job = published_job()
    worker = worker_user()
    _login(client, worker)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("proposals:new", args=[job.pk]) in page
    response = client.post(
        reverse("proposals:new", args=[job.pk]),
        {
            "cover_letter": "翻訳が得意です。",
            "price": "25000",
            "schedule": "一週間",
            "delivery_date": "",
            "pm-TOTAL_FORMS": "3",
            "pm-INITIAL_FORMS": "0",
            "pm-0-title": "",
            "pm-0-amount": "",
        },
    )
    p = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "proposals:detail", args=[p.pk]
    )
    assert p.price == 25_000 and p.worker == worker


def test_bad_proposal_form_says_why_and_saves_nothing(client: Client) -> None:
    job = published_job()
    _login(client, worker_user())
    response = client.post(
        reverse("proposals:new", args=[job.pk]),
        {"cover_letter": "", "price": "0", "pm-TOTAL_FORMS": "0", "pm-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 400
    assert Proposal.objects.count() == 0
    assert (
        "この項目は必須です。" in response.content.decode()
        and "この値は 1 以上でなければなりません。" in response.content.decode()
    )


def test_own_job_and_second_proposal_redirect_with_a_message(client: Client) -> None:
    p = proposal()
    _login(client, p.job.client)
    response = client.get(reverse("proposals:new", args=[p.job_id]), follow=True)
    assert "自分の仕事には提案できません。" in response.content.decode()
    _login(client, p.worker)
    response = client.get(reverse("proposals:new", args=[p.job_id]), follow=True)
    assert "この仕事には既に提案しています。" in response.content.decode()
    assert Proposal.objects.count() == 1


def test_client_list_shows_proposals_and_strangers_get_404(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    job = published_job()
    for _ in range(3):
        proposal(job=job)
    url = reverse("proposals:job", args=[job.pk])
    _login(client, UserFactory())
    assert client.get(url).status_code == 404
    _login(client, Proposal.objects.first().worker)  # type: ignore[union-attr]
    assert client.get(url).status_code == 404
    _login(client, job.client)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="card proposal-card"') == 3


def test_client_list_query_count_does_not_grow(
    client: Client, django_assert_num_queries: Any
) -> None:
    job = published_job()
    proposal(job=job)
    _login(client, job.client)
    url = reverse("proposals:job", args=[job.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        p = proposal(job=job)
        interview(p)
    with django_assert_num_queries(len(one)):
        client.get(url)


def test_my_proposals_query_count_and_only_mine(
    client: Client, django_assert_num_queries: Any
) -> None:
    worker = worker_user()
    proposal(worker=worker)
    other = proposal()
    _login(client, worker)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("proposals:mine")
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert reverse("proposals:detail", args=[other.pk]) not in page
    assert page.count('class="card proposal-card"') == 1
    for _ in range(3):
        interview(proposal(worker=worker))
    with django_assert_num_queries(len(one)):
        page = client.get(url).content.decode()
    assert page.count('class="card proposal-card"') == 4


def test_detail_only_for_the_two_parties(client: Client) -> None:
    p = proposal()
    url = reverse("proposals:detail", args=[p.pk])
    _login(client, UserFactory())
    assert client.get(url).status_code == 404
    for user in (p.worker, p.job.client):
        _login(client, user)
        assert client.get(url).status_code == 200


def test_shortlist_decline_withdraw_by_the_right_person_only(client: Client) -> None:
    p = proposal()
    _login(client, p.worker)
    client.post(reverse("proposals:shortlist", args=[p.pk]))
    p.refresh_from_db()
    assert p.status == ProposalStatus.SUBMITTED
    _login(client, UserFactory())
    assert (
        client.post(reverse("proposals:decline", args=[p.pk]), {"reason": "budget"}).status_code
        == 404
    )
    _login(client, p.job.client)
    client.post(reverse("proposals:shortlist", args=[p.pk]))
    response = client.post(reverse("proposals:decline", args=[p.pk]), {"reason": "nope"})
    p.refresh_from_db()
    assert p.status == ProposalStatus.SHORTLISTED and response.status_code == 302
    client.post(reverse("proposals:decline", args=[p.pk]), {"reason": "filled", "note": ""})
    p.refresh_from_db()
    assert (p.status, p.decline_reason) == (ProposalStatus.DECLINED, "filled")
    q = proposal()
    _login(client, q.job.client)
    client.post(reverse("proposals:withdraw", args=[q.pk]))
    q.refresh_from_db()
    assert q.status == ProposalStatus.SUBMITTED
    _login(client, q.worker)
    client.post(reverse("proposals:withdraw", args=[q.pk]))
    q.refresh_from_db()
    assert q.status == ProposalStatus.WITHDRAWN


def test_inquiry_opens_the_room(client: Client) -> None:
    p = proposal()
    _login(client, p.worker)
    client.post(reverse("proposals:inquiry", args=[p.pk]))
    assert Room.objects.count() == 0
    _login(client, p.job.client)
    response = client.post(reverse("proposals:inquiry", args=[p.pk]))
    room = Room.objects.get()
    assert response["Location"] == reverse("messaging:room", args=[room.pk])


def test_offer_form_prefilled_and_sent(client: Client) -> None:
    p = proposal(price=42_000)
    url = reverse("proposals:offer", args=[p.pk])
    _login(client, p.worker)
    assert client.get(url).status_code == 404
    _login(client, p.job.client)
    page = client.get(url).content.decode()
    assert 'value="42000"' in page and p.job.title in page
    due = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "title": p.job.title,
        "description": p.job.description,
        "deliverables": "",
        "inspection_days": "7",
        "revision_limit": "2",
        "payment_due": (due + datetime.timedelta(days=20)).isoformat(),
        "m-TOTAL_FORMS": "1",
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "1",
        "m-MAX_NUM_FORMS": "20",
        "m-0-title": "翻訳",
        "m-0-amount": "42000",
        "m-0-due_date": due.isoformat(),
    }
    bad = client.post(url, data)
    assert bad.status_code == 400 and Contract.objects.count() == 0
    response = client.post(url, {**data, "deliverables": "英訳した原稿"})
    contract = Contract.objects.get()
    assert response["Location"] == reverse("contracts:detail", args=[contract.pk])
    p.refresh_from_db()
    assert p.status == ProposalStatus.OFFERED
    assert contract.terms.data["withholding_applies"] is True


def test_scout_from_a_profile(client: Client) -> None:
    job = published_job()
    worker = worker_user()
    profile_url = reverse("profiles:detail", args=[worker.profile.pk])
    _login(client, job.client)
    assert f'value="{job.pk}"' in client.get(profile_url).content.decode()
    client.post(reverse("proposals:scout"), {"job": job.pk, "profile": worker.profile.pk})
    assert JobInvitation.objects.filter(job=job, worker=worker).exists()
    response = client.post(
        reverse("proposals:scout"), {"job": job.pk, "profile": worker.profile.pk}, follow=True
    )
    assert "このワーカーは既にこの仕事に招待されています。" in response.content.decode()
    assert JobInvitation.objects.count() == 1
    _login(client, UserFactory())
    client.post(reverse("proposals:scout"), {"job": job.pk, "profile": worker.profile.pk})
    assert JobInvitation.objects.count() == 1


def test_interview_pages_propose_book_and_ics(client: Client) -> None:
    worker = worker_user(time_zone="America/Los_Angeles")
    p = proposal(worker=worker)
    new_url = reverse("proposals:interview_new") + f"?proposal={p.pk}"
    _login(client, UserFactory())
    assert client.get(new_url).status_code == 404
    _login(client, p.job.client)
    page = client.get(new_url)
    assert page.status_code == 200
    suggestions = page.context["suggestions"]
    assert len(suggestions) >= 3
    response = client.post(
        reverse("proposals:interview_new"),
        {
            "proposal": p.pk,
            "duration_minutes": "60",
            "suggested": [s.value for s in suggestions[:3]],
        },
    )
    i = Interview.objects.get()
    assert response["Location"] == reverse("proposals:interview", args=[i.pk])
    detail = reverse("proposals:interview", args=[i.pk])
    ics_url = reverse("proposals:interview_ics", args=[i.pk])
    _login(client, worker)
    assert client.get(ics_url).status_code == 404  # not booked yet
    text = client.get(detail).content.decode()
    assert "相手の時刻・Asia/Tokyo" in text  # the worker sees the client's local time too
    slot = i.slots.first()
    assert slot is not None
    client.post(reverse("proposals:interview_book", args=[i.pk]), {"slot": slot.pk})
    i.refresh_from_db()
    assert i.status == InterviewStatus.BOOKED
    calendar = client.get(ics_url)
    assert calendar["Content-Type"].startswith("text/calendar")
    body = calendar.content.decode()
    assert "BEGIN:VEVENT" in body and "\r\n" in body
    assert f"DTSTART:{slot.starts_at.strftime('%Y%m%dT%H%M%SZ')}" in body
    _login(client, UserFactory())
    assert client.get(ics_url).status_code == 404
    assert client.get(detail).status_code == 404


def test_outside_hours_needs_confirmation(client: Client) -> None:
    p = proposal()
    _login(client, p.job.client)
    starts = three_starts(hour_utc=15)  # midnight in Tokyo
    data: dict[str, Any] = {
        "proposal": p.pk,
        "duration_minutes": "60",
        "other_0": starts[0]
        .astimezone(datetime.timezone(datetime.timedelta(hours=9)))
        .strftime("%Y-%m-%dT%H:%M"),
        "other_1": starts[2]
        .astimezone(datetime.timezone(datetime.timedelta(hours=9)))
        .strftime("%Y-%m-%dT%H:%M"),
    }
    suggestions = client.get(reverse("proposals:interview_new") + f"?proposal={p.pk}").context[
        "suggestions"
    ]
    data["suggested"] = [suggestions[0].value]
    response = client.post(reverse("proposals:interview_new"), data)
    assert response.status_code == 400 and Interview.objects.count() == 0
    assert response.context["outside"]
    response = client.post(reverse("proposals:interview_new"), {**data, "confirm_outside": "on"})
    assert response.status_code == 302
    i = Interview.objects.get()
    assert sorted(s.in_overlap for s in i.slots.all()) == [False, False, True]


def test_booking_twice_by_page_is_refused(client: Client) -> None:
    p = proposal()
    i = interview(p)
    first, second = list(i.slots.order_by("starts_at"))[:2]
    _login(client, p.worker)
    client.post(reverse("proposals:interview_book", args=[i.pk]), {"slot": first.pk})
    response = client.post(
        reverse("proposals:interview_book", args=[i.pk]), {"slot": second.pk}, follow=True
    )
    i.refresh_from_db()
    assert i.booked_slot_id == first.pk
    assert "この面談の日時は既に確定しています。" in response.content.decode()


def test_interview_from_an_inquiry_room(client: Client) -> None:
    p = proposal()
    room = services.proposal_open_inquiry(proposal=p, by=p.job.client)
    _login(client, UserFactory())
    assert client.get(reverse("proposals:interview_new") + f"?room={room.pk}").status_code == 404
    _login(client, p.worker)
    assert client.get(reverse("proposals:interview_new") + f"?room={room.pk}").status_code == 200


def _room_interview_attempt(client: Client, user: Any, room: Room) -> Any:
    """The page and the service, each asked by ``user`` to arrange an interview in ``room``."""
    with pytest.raises(ProposalError) as refused:
        services.interview_propose(by=user, room=room, starts=three_starts())
    _login(client, user)
    page = client.get(reverse("proposals:interview_new") + f"?room={room.pk}")
    sent = client.post(
        reverse("proposals:interview_new"),
        {"room": room.pk, "duration_minutes": "60", "confirm_outside": "on"},
        follow=True,
    )
    return refused.value, page, sent


def test_interview_page_refuses_a_group_room_as_the_service_does(client: Client) -> None:
    owner, member = UserFactory(), worker_user()
    room = group_room_create(client=owner, title="チーム", workers=[member])
    refused, page, sent = _room_interview_attempt(client, member, room)
    assert refused.code == "not_a_party"
    assert page.status_code == 302
    assert page["Location"] == reverse("messaging:room", args=[room.pk])
    assert "面談を設定できるのは、このやり取りの当事者2人だけです。" in sent.content.decode()
    assert Interview.objects.count() == 0


def test_interview_page_refuses_a_removed_member_as_the_service_does(client: Client) -> None:
    p = proposal()
    room = services.proposal_open_inquiry(proposal=p, by=p.job.client)
    RoomMember.objects.filter(room=room, user=p.worker).update(removed_at=timezone.now())
    refused, page, sent = _room_interview_attempt(client, p.worker, room)
    assert refused.code == "not_a_party"
    assert page.status_code == 302
    assert "面談を設定できるのは、このやり取りの当事者2人だけです。" in sent.content.decode()
    assert Interview.objects.count() == 0
    # the client, alone in the room now, is refused too: there is nobody to meet
    refused, page, _ = _room_interview_attempt(client, p.job.client, room)
    assert refused.code == "not_a_party" and page.status_code == 302
    assert Interview.objects.count() == 0


def test_english_pages(client: Client) -> None:
    p = proposal()
    user = p.job.client
    user.language = "en"
    user.save()
    _login(client, user)
    client.cookies["tsunagu_language"] = "en"
    page = client.get(reverse("proposals:job", args=[p.job_id])).content.decode()
    assert "Send an offer" in page and "Typical response time" in page
