"""Introductions: only between people one knows, answered only by the receiver; an accepted one
opens the inquiry room with the note at the top. Every refusal creates nothing."""

from __future__ import annotations

import pytest

from tests.contracts.factories import offer
from tests.jobs.factories import published_job
from tests.proposals.factories import proposal
from tests.referrals.factories import connect, forward, introduce, person, trio
from tests.trust.factories import paid_contract
from tsunagu.audit.models import AuditEvent
from tsunagu.guard.engine import scan
from tsunagu.messaging.errors import ContactBlocked
from tsunagu.messaging.models import GuardEvent, Message, Room
from tsunagu.referrals import peers, selectors, services
from tsunagu.referrals.errors import ReferralError
from tsunagu.referrals.models import Referral, ReferralStatus
from tsunagu.trust import engine
from tsunagu.trust.sources import edges

pytestmark = pytest.mark.django_db


def nothing_created() -> tuple[int, int, int]:
    return Referral.objects.count(), Room.objects.count(), Message.objects.count()


def test_introduce_and_accept_opens_the_room_with_the_note_on_top() -> None:
    referrer, client, worker = trio()
    referral = introduce(
        referrer, client=client, worker=worker, note="翻訳ならHanaさんがおすすめです。"
    )
    assert referral.status == ReferralStatus.PENDING and referral.receiver_id == client.pk
    accepted = services.referral_accept(referral=referral, by=client)
    assert accepted.status == ReferralStatus.ACCEPTED
    assert accepted.room is not None
    room = accepted.room
    assert room.subject_type == "referral" and room.subject_id == str(referral.pk)
    assert set(room.members.values_list("user_id", flat=True)) == {client.pk, worker.pk}
    first = Message.objects.filter(room=room).order_by("seq").first()
    assert first is not None and "翻訳ならHanaさんがおすすめです。" in first.body
    assert "佐藤" in first.body
    assert AuditEvent.objects.filter(
        event="referral.accepted", subject_id=str(referral.pk)
    ).exists()


def test_introducing_someone_to_themselves_is_refused() -> None:
    referrer, client, _worker = trio()
    before = nothing_created()
    with pytest.raises(ReferralError) as exc:
        introduce(referrer, client=client, worker=client)
    assert exc.value.code == "self_introduction"
    with pytest.raises(ReferralError) as exc:
        introduce(referrer, client=client, worker=referrer)
    assert exc.value.code == "referrer_is_party"
    assert nothing_created() == before


def test_introducing_to_a_stranger_is_refused() -> None:
    referrer, client, worker = trio()
    stranger = person("知らない人")
    before = nothing_created()
    for to, who in ((stranger, worker), (client, stranger)):
        with pytest.raises(ReferralError) as exc:
            introduce(referrer, client=to, worker=who)
        assert exc.value.code == "stranger"
        assert exc.value.kind == "forbidden"
    assert nothing_created() == before


def test_a_paid_contract_together_counts_as_knowing() -> None:
    referrer, client, worker = person(), person(), person()
    connect(referrer, worker)
    paid_contract(client=client, worker=referrer)
    referral = introduce(referrer, client=client, worker=worker)
    assert referral.pk


def test_an_unpaid_contract_does_not_count() -> None:
    referrer, client, worker = person(), person(), person()
    connect(referrer, worker)
    offer(client=client, worker=referrer)
    with pytest.raises(ReferralError) as exc:
        introduce(referrer, client=client, worker=worker)
    assert exc.value.code == "stranger"


def test_a_registered_peer_source_widens_who_one_knows() -> None:
    referrer, client, worker = person(), person(), person()
    connect(referrer, worker)
    peers.peer_source_register("test", lambda uid: [client.pk] if uid == referrer.pk else [])
    try:
        assert introduce(referrer, client=client, worker=worker).pk
    finally:
        peers._sources.pop("test")


def test_the_same_introduction_twice_while_pending_is_refused() -> None:
    referrer, client, worker = trio()
    first = introduce(referrer, client=client, worker=worker)
    before = nothing_created()
    with pytest.raises(ReferralError) as exc:
        introduce(referrer, client=client, worker=worker)
    assert exc.value.code == "already_pending"
    assert nothing_created() == before
    services.referral_decline(referral=first, by=client)
    assert introduce(referrer, client=client, worker=worker).pk != first.pk


def test_a_note_with_contact_details_is_refused_with_the_guards_message() -> None:
    referrer, client, worker = trio()
    note = "連絡は 090-1234-5678 までどうぞ"
    assert scan(note).verdict == "contact"
    before = nothing_created(), GuardEvent.objects.count()
    with pytest.raises(ContactBlocked) as exc:
        introduce(referrer, client=client, worker=worker, note=note)
    assert exc.value.code == "contact_blocked"
    assert "外部連絡先" in exc.value.message or "contact" in exc.value.message
    assert (nothing_created(), GuardEvent.objects.count()) == before


def test_empty_or_long_note_refused() -> None:
    referrer, client, worker = trio()
    for note, code in (("   ", "note_required"), ("あ" * 2001, "note_too_long")):
        with pytest.raises(ReferralError) as exc:
            introduce(referrer, client=client, worker=worker, note=note)
        assert exc.value.code == code
    assert Referral.objects.count() == 0


def test_only_the_receiver_answers_and_outsiders_do_not_see_it() -> None:
    referrer, client, worker = trio()
    outsider = person()
    referral = introduce(referrer, client=client, worker=worker)
    for who in (worker, referrer):
        with pytest.raises(ReferralError) as exc:
            services.referral_accept(referral=referral, by=who)
        assert exc.value.code == "not_the_receiver"
    with pytest.raises(ReferralError) as exc:
        services.referral_accept(referral=referral, by=outsider)
    assert exc.value.code == "not_found"
    with pytest.raises(ReferralError):
        selectors.referral_for_viewer(pk=referral.pk, viewer=outsider)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING and Room.objects.count() == 0


def test_accept_twice_and_decline_after_accept_refused() -> None:
    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    services.referral_accept(referral=referral, by=client)
    for action in (services.referral_accept, services.referral_decline):
        with pytest.raises(ReferralError) as exc:
            action(referral=referral, by=client)
        assert exc.value.code == "not_pending"
    assert Room.objects.count() == 1


def test_withdraw_only_by_the_referrer() -> None:
    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    with pytest.raises(ReferralError) as exc:
        services.referral_withdraw(referral=referral, by=client)
    assert exc.value.code == "not_the_referrer"
    services.referral_withdraw(referral=referral, by=referrer)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN


def test_forward_a_job_to_a_peer_who_accepts() -> None:
    referrer, peer = person(), person()
    connect(referrer, peer)
    job = published_job()
    referral = forward(referrer, job=job, worker=peer)
    assert referral.receiver_id == peer.pk
    with pytest.raises(ReferralError):
        services.referral_accept(referral=referral, by=job.client)
    services.referral_accept(referral=referral, by=peer)
    referral.refresh_from_db()
    assert referral.room is not None
    room = referral.room
    assert set(room.members.values_list("user_id", flat=True)) == {job.client_id, peer.pk}


def test_forward_needs_an_open_job_and_a_known_peer() -> None:
    referrer, peer, stranger = person(), person(), person()
    connect(referrer, peer)
    job = published_job()
    with pytest.raises(ReferralError) as exc:
        services.referral_create(
            by=referrer, kind="forward", client=job.client, worker=peer, note="どうぞ"
        )
    assert exc.value.code == "job_required"
    with pytest.raises(ReferralError) as exc:
        forward(referrer, job=job, worker=stranger)
    assert exc.value.code == "stranger"
    job.status = "closed"
    job.save(update_fields=["status"])
    with pytest.raises(ReferralError) as exc:
        forward(referrer, job=job, worker=peer)
    assert exc.value.code == "job_not_open"
    assert Referral.objects.count() == 0


def test_outcome_follows_proposal_offer_contract_and_payment() -> None:
    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    services.referral_accept(referral=referral, by=client)

    def outcome() -> selectors.Outcome:
        return selectors.outcomes_for([Referral.objects.get(pk=referral.pk)])[referral.pk]

    assert outcome().stage == "none"
    proposal(job=published_job(client=client), worker=worker)
    assert outcome().stage == "proposal"
    contract = offer(client=client, worker=worker, accept=False)
    assert outcome().stage == "offer"
    from tsunagu.contracts.services import contract_accept_terms

    contract_accept_terms(contract=contract, by=worker)
    assert outcome().stage == "contract" and outcome().led_to_contract
    paid_contract(client=client, worker=worker, amounts=(40_000,))
    assert outcome().stage == "paid"
    assert outcome().paid_value == 40_000
    assert outcome().contracts == 2


def test_contracts_before_the_introduction_do_not_count() -> None:
    referrer, client, worker = trio()
    paid_contract(client=client, worker=worker)
    referral = introduce(referrer, client=client, worker=worker)
    assert selectors.outcomes_for([referral])[referral.pk].stage == "none"


def test_thanks_and_trust_edges() -> None:
    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    services.referral_accept(referral=referral, by=client)
    assert selectors.thanks_for(worker_id=worker.pk).count == 0
    assert edges()[1] == [
        engine.Referral(src=str(referrer.pk), dst=str(worker.pk), led_to_contract=False)
    ]
    offer(client=client, worker=worker)
    thanks = selectors.thanks_for(worker_id=worker.pk)
    assert thanks.count == 1 and [p.user_id for p in thanks.referrers] == [referrer.pk]
    assert edges()[1] == [
        engine.Referral(src=str(referrer.pk), dst=str(worker.pk), led_to_contract=True)
    ]


def test_another_persons_referrals_are_not_listed() -> None:
    referrer, client, worker = trio()
    introduce(referrer, client=client, worker=worker)
    outsider = person()
    assert selectors.referrals_made(user=outsider) == []
    assert selectors.referrals_received(user=outsider) == []
    assert len(selectors.referrals_made(user=referrer)) == 1
    assert len(selectors.referrals_received(user=worker)) == 1
