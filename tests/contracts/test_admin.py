"""Staff admin: contracts are read-only; open disputes are decided through dispute_decide."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.contracts.docs import docx
from tests.contracts.factories import give_balance, offer
from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract, Dispute, Milestone
from tsunagu.contracts.services import delivery_submit, dispute_open, milestone_fund_from_wallet
from tsunagu.contracts.states import MilestoneStatus
from tsunagu.ledger.services import wallet_account

pytestmark = pytest.mark.django_db


def superuser() -> Client:
    browser = Client()
    browser.force_login(UserFactory(is_staff=True, is_superuser=True))
    return browser


def disputed() -> tuple[Contract, Milestone, Dispute]:
    contract = offer(title="ロゴ制作")
    milestone = contract.milestones.get()
    give_balance(contract.client, milestone.gross)
    milestone_fund_from_wallet(milestone=milestone, by=contract.client)
    delivery_submit(
        milestone=milestone, by=contract.worker, message="初稿です", files=[docx("logo.docx")]
    )
    dispute = dispute_open(milestone=milestone, by=contract.client, reason="依頼と違うデザインです")
    milestone.refresh_from_db()
    return contract, milestone, dispute


def balance(user: User) -> int:
    return wallet_account(user_id=user.pk, currency="JPY").balance


def test_contracts_are_read_only_with_milestones_and_a_link_to_the_page() -> None:
    contract = offer(title="翻訳10本")
    browser = superuser()
    listing = browser.get(reverse("admin:contracts_contract_changelist")).content.decode()
    assert "翻訳10本" in listing
    url = reverse("admin:contracts_contract_change", args=[contract.pk])
    page = browser.get(url).content.decode()
    assert reverse("contracts:detail", args=[contract.pk]) in page
    assert contract.terms.sha256 in page and "第1回納品" in page
    browser.post(url, {"title": "changed"})
    contract.refresh_from_db()
    assert contract.title == "翻訳10本"
    assert browser.get(reverse("admin:contracts_contract_add")).status_code == 403


def test_dispute_queue_lists_open_disputes_by_default() -> None:
    _, _, open_one = disputed()
    _, _, decided = disputed()
    Dispute.objects.filter(pk=decided.pk).update(status="decided")
    html = superuser().get(reverse("admin:contracts_dispute_changelist")).content.decode()
    assert reverse("admin:contracts_dispute_decide", args=[open_one.pk]) in html
    assert reverse("admin:contracts_dispute_decide", args=[decided.pk]) not in html


def test_decision_page_shows_the_evidence() -> None:
    contract, _, dispute = disputed()
    html = (
        superuser()
        .get(reverse("admin:contracts_dispute_decide", args=[dispute.pk]))
        .content.decode()
    )
    for text in (
        "依頼と違うデザインです",
        "初稿です",
        "logo.docx",
        reverse("contracts:detail", args=[contract.pk]),
    ):
        assert text in html


def test_bad_decisions_change_nothing() -> None:
    contract, milestone, dispute = disputed()
    url = reverse("admin:contracts_dispute_decide", args=[dispute.pk])
    browser = superuser()
    for data in (
        {"release_amount": "10000", "note": ""},
        {"release_amount": "30001", "note": "x"},
        {"release_amount": "-1", "note": "x"},
    ):
        assert browser.post(url, data).status_code == 400, data
    dispute.refresh_from_db()
    milestone.refresh_from_db()
    assert dispute.status == "open" and milestone.status == MilestoneStatus.DISPUTED
    assert balance(contract.worker) == 0


def test_a_decision_settles_the_milestone_once() -> None:
    contract, milestone, dispute = disputed()
    url = reverse("admin:contracts_dispute_decide", args=[dispute.pk])
    browser = superuser()
    response = browser.post(
        url, {"release_amount": "15000", "note": "半分の作業は完了していました。"}
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    milestone.refresh_from_db()
    assert dispute.status == "decided" and dispute.release_amount == 15_000
    assert milestone.status == MilestoneStatus.SETTLED
    paid = balance(contract.worker)
    assert paid > 0
    again = browser.post(url, {"release_amount": "30000", "note": "もう一度"})
    assert again.status_code == 400
    assert balance(contract.worker) == paid


def test_deciding_needs_the_change_permission() -> None:
    _, milestone, dispute = disputed()
    url = reverse("admin:contracts_dispute_decide", args=[dispute.pk])
    staff = UserFactory(is_staff=True)
    browser = Client()
    browser.force_login(staff)
    assert browser.post(url, {"release_amount": "0", "note": "x"}).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_dispute"))
    assert "依頼と違うデザインです" in browser.get(url).content.decode()  # may read the evidence
    assert browser.post(url, {"release_amount": "0", "note": "x"}).status_code == 403
    member = Client()
    member.force_login(UserFactory())
    assert member.post(url, {"release_amount": "0", "note": "x"}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == "open"
    staff.user_permissions.add(Permission.objects.get(codename="change_dispute"))
    browser.post(url, {"release_amount": "0", "note": "納品がありませんでした。"})
    dispute.refresh_from_db()
    milestone.refresh_from_db()
    assert dispute.status == "decided" and milestone.status == MilestoneStatus.REFUNDED
