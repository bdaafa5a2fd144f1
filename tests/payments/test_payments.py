from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.contracts.factories import give_balance, offer
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.services import milestone_fund_start
from tsunagu.contracts.states import MilestoneStatus
from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.services import wallet_account
from tsunagu.payments.models import BankAccount, Payment, PaymentStatus, WebhookEvent
from tsunagu.payments.providers.sandbox import sign, webhook_body
from tsunagu.payments.services import payment_execute, payments_recover
from tsunagu.payments.wallet import payout_start, wallet_top_up_start

pytestmark = pytest.mark.django_db(transaction=True)


def wallet(user_id: int) -> Any:
    return wallet_account(user_id=user_id, currency="JPY")


def test_top_up_by_card_lands_in_the_wallet_once() -> None:
    user = UserFactory()
    payment = wallet_top_up_start(user=user, amount=5000)
    payment = payment_execute(payment=payment)
    assert payment.status == PaymentStatus.SUCCEEDED
    assert wallet(user.pk).balance == 5000
    # executing again, and the webhook that the sandbox sent, change nothing
    payment_execute(payment=payment)
    assert wallet(user.pk).balance == 5000
    assert WebhookEvent.objects.count() == 1
    assert run_checks() == []


def test_declined_card_moves_no_money() -> None:
    user = UserFactory()
    payment = payment_execute(payment=wallet_top_up_start(user=user, amount=10_402))
    assert payment.status == PaymentStatus.DECLINED
    assert payment.decline_code == "card_declined"
    assert wallet(user.pk).balance == 0


@pytest.mark.parametrize("amount", [0, -1, 99, "1000", 1.5, True, 5_000_001])
def test_bad_top_up_amounts_are_refused(amount: Any) -> None:
    with pytest.raises(ValidationError):
        wallet_top_up_start(user=UserFactory(), amount=amount)
    assert Payment.objects.count() == 0


def test_funding_a_milestone_by_card_holds_it_in_escrow() -> None:
    contract = offer(amounts=(30_000,))
    milestone = contract.milestones.get()
    payment = milestone_fund_start(milestone=milestone, by=contract.client)
    # a double click while the first is processing starts nothing new
    with pytest.raises(ContractError):
        milestone_fund_start(milestone=milestone, by=contract.client)
    payment_execute(payment=payment)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDED
    assert wallet(contract.client_id).available == 0
    assert wallet(contract.client_id).balance == 33_000
    assert run_checks() == []


def test_declined_funding_returns_the_milestone_to_unfunded() -> None:
    contract = offer(amounts=(9_457,))  # 9,457 + 945 tax = 10,402: the sandbox declines it
    milestone = contract.milestones.get()
    assert milestone.gross == 10_402
    payment = payment_execute(payment=milestone_fund_start(milestone=milestone, by=contract.client))
    assert payment.status == PaymentStatus.DECLINED
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.UNFUNDED
    assert wallet(contract.client_id).balance == 0


def test_pending_charge_settles_by_webhook() -> None:
    user = UserFactory()
    payment = wallet_top_up_start(user=user, amount=7_202)
    payment = payment_execute(payment=payment)
    # the sandbox answered "pending" and then announced success through the webhook path
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert wallet(user.pk).balance == 7_202


def test_webhook_endpoint_checks_signatures_and_ignores_replays(client: Client) -> None:
    user = UserFactory()
    payment = Payment.objects.create(
        key="top_up_manual",
        kind="top_up",
        user=user,
        amount=3000,
        currency="JPY",
        provider="sandbox",
    )
    body = webhook_body("charge", payment.key, "sb_ch_1", "succeeded", "")
    url = "/payments/webhooks/provider/"
    bad = client.post(
        url, body, content_type="application/json", headers={"Tsunagu-Signature": "t=1,v1=00"}
    )
    assert bad.status_code == 400
    assert wallet(user.pk).balance == 0
    ok = client.post(
        url, body, content_type="application/json", headers={"Tsunagu-Signature": sign(body)}
    )
    assert ok.status_code == 200 and ok.json()["applied"] is True
    replay = client.post(
        url, body, content_type="application/json", headers={"Tsunagu-Signature": sign(body)}
    )
    assert replay.json()["applied"] is False
    assert wallet(user.pk).balance == 3000
    tampered = json.loads(body)
    tampered["data"]["idempotency_key"] = "other"
    forged = client.post(
        url,
        json.dumps(tampered),
        content_type="application/json",
        headers={"Tsunagu-Signature": sign(body)},
    )
    assert forged.status_code == 400


def test_old_signatures_are_refused(client: Client) -> None:
    body = webhook_body("charge", "x", "sb", "succeeded", "")
    response = client.post(
        "/payments/webhooks/provider/",
        body,
        content_type="application/json",
        headers={"Tsunagu-Signature": sign(body, timestamp=1_000_000)},
    )
    assert response.status_code == 400


def test_recovery_finishes_a_payment_left_processing_by_a_crash() -> None:
    user = UserFactory()
    payment = wallet_top_up_start(user=user, amount=4000)
    # the process died before asking the provider: the row is processing, no money moved
    assert wallet(user.pk).balance == 0
    assert payments_recover(older_than_seconds=0) == 1
    assert wallet(user.pk).balance == 4000
    assert payments_recover(older_than_seconds=0) == 0
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


def test_payout_reserves_amount_and_fee_then_posts() -> None:
    user = UserFactory()
    give_balance(user, 10_000)
    BankAccount.objects.create(
        user=user,
        bank_name="つなぐ銀行",
        branch_name="本店",
        account_number="1234567",
        holder_kana="ヤマダ タロウ",
    )
    payment = payout_start(user=user, amount=5_000)
    assert wallet(user.pk).available == 10_000 - 5_000 - 250
    payment_execute(payment=payment)
    assert wallet(user.pk).balance == 10_000 - 5_250
    assert run_checks() == []


def test_declined_payout_gives_the_money_back() -> None:
    user = UserFactory()
    give_balance(user, 10_000)
    BankAccount.objects.create(
        user=user,
        bank_name="つなぐ銀行",
        branch_name="本店",
        account_number="1234567",
        holder_kana="ヤマダ タロウ",
    )
    payment = payment_execute(payment=payout_start(user=user, amount=5_404))
    assert payment.status == PaymentStatus.DECLINED
    assert wallet(user.pk).available == 10_000
    assert run_checks() == []


def test_payout_rules() -> None:
    user = UserFactory()
    give_balance(user, 2_000)
    with pytest.raises(ValidationError) as exc:
        payout_start(user=user, amount=1_000)
    assert "bank_account" in exc.value.message_dict
    BankAccount.objects.create(
        user=user,
        bank_name="つなぐ銀行",
        branch_name="本店",
        account_number="1234567",
        holder_kana="ヤマダ タロウ",
    )
    with pytest.raises(ValidationError):
        payout_start(user=user, amount=999)  # below the minimum
    with pytest.raises(ValidationError):
        payout_start(user=user, amount=1_800)  # 1,800 + 250 fee > 2,000
    assert Payment.objects.count() == 0
    assert wallet(user.pk).available == 2_000


def test_a_webhook_of_an_unknown_type_changes_nothing() -> None:
    from tsunagu.payments.providers import WebhookData
    from tsunagu.payments.services import webhook_receive

    user = UserFactory()
    payment = wallet_top_up_start(user=user, amount=3000)
    data = WebhookData(
        event_id="evt_other",
        type="charge.refund_requested",
        idempotency_key=payment.key,
        ref="sb_x",
        decline_code="",
        payload={},
    )
    assert webhook_receive(data=data, provider="sandbox") is False
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PROCESSING
