from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.contracts.docs import docx
from tests.contracts.factories import give_balance, offer
from tsunagu.accounts.models import BusinessDetails, BusinessKind
from tsunagu.audit.models import AuditEvent
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import Contract, Milestone
from tsunagu.contracts.services import (
    MilestoneInput,
    cancellation_propose,
    cancellation_respond,
    contract_cancel,
    contract_offer,
    delivery_submit,
    dispute_decide,
    dispute_open,
    milestone_accept,
    milestone_fund_from_wallet,
    milestone_request_revision,
    milestones_auto_accept_due,
)
from tsunagu.contracts.states import ContractStatus, MilestoneStatus
from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import Account, Transfer
from tsunagu.ledger.services import wallet_account

pytestmark = pytest.mark.django_db


def balance(user_id: int) -> int:
    return wallet_account(user_id=user_id, currency="JPY").balance


def funded(amount: int = 30_000, **kwargs: object) -> tuple[Contract, Milestone]:
    contract = offer(amounts=(amount,), **kwargs)  # type: ignore[arg-type]
    milestone = contract.milestones.get()
    give_balance(contract.client, milestone.gross)
    milestone_fund_from_wallet(milestone=milestone, by=contract.client)
    milestone.refresh_from_db()
    return contract, milestone


def test_offer_writes_immutable_terms_with_every_field_the_freelance_act_asks_for(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        contract = offer(accept=False, amounts=(30_000, 20_000))
    data = contract.terms.data
    for field in (
        "client_name",
        "worker_name",
        "commissioned_on",
        "description",
        "deliverables",
        "delivery_method",
        "milestones",
        "inspection_days",
        "inspection_completed_by",
        "amount",
        "consumption_tax",
        "withholding",
        "payment_due",
        "payment_method",
    ):
        assert data[field] not in ("", None), field
    assert data["amount"] == 50_000 and data["consumption_tax"] == 5_000 and data["total"] == 55_000
    assert len(contract.terms.sha256) == 64
    assert contract.status == ContractStatus.OFFERED
    assert mail.outbox and contract.worker.email in mail.outbox[0].to


def test_payment_due_more_than_60_days_after_delivery_is_refused() -> None:
    client, worker = UserFactory(), UserFactory()
    due = timezone.localdate() + datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as exc:
        contract_offer(
            client=client,
            worker=worker,
            title="t",
            description="d",
            deliverables="x",
            milestones=[MilestoneInput(title="m", amount=1000, due_date=due)],
            payment_due=due + datetime.timedelta(days=61),
        )
    assert "payment_due" in exc.value.message_dict
    assert Contract.objects.count() == 0


@pytest.mark.parametrize("amount", [0, -100, 5_000_001])
def test_bad_amounts_are_refused_and_nothing_is_saved(amount: int) -> None:
    with pytest.raises(ValidationError):
        offer(amounts=(amount,))
    assert Contract.objects.count() == 0 and Milestone.objects.count() == 0


def test_wrong_currency_and_self_contract_are_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        offer(currency="USD")
    assert "currency" in exc.value.message_dict
    user = UserFactory()
    with pytest.raises(ContractError) as refused:
        offer(client=user, worker=user)
    assert refused.value.code == "self_contract"


def test_nothing_can_be_delivered_before_funding() -> None:
    contract = offer()
    milestone = contract.milestones.get()
    with pytest.raises(ContractError) as exc:
        delivery_submit(
            milestone=milestone, by=contract.worker, message="納品します", files=[docx()]
        )
    assert exc.value.code == "not_funded"
    assert not milestone.deliveries.exists()


def test_funding_needs_enough_balance_and_changes_nothing_otherwise() -> None:
    contract = offer()
    milestone = contract.milestones.get()
    give_balance(contract.client, 1000)
    with pytest.raises(ContractError) as exc:
        milestone_fund_from_wallet(milestone=milestone, by=contract.client)
    assert exc.value.code == "insufficient_balance"
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.UNFUNDED
    assert balance(contract.client_id) == 1000


def test_only_the_client_funds_and_a_double_click_funds_once() -> None:
    contract = offer()
    milestone = contract.milestones.get()
    give_balance(contract.client, 100_000)
    with pytest.raises(ContractError):
        milestone_fund_from_wallet(milestone=milestone, by=contract.worker)
    milestone_fund_from_wallet(milestone=milestone, by=contract.client)
    with pytest.raises(ContractError) as exc:
        milestone_fund_from_wallet(milestone=milestone, by=contract.client)
    assert exc.value.code == "wrong_state"
    assert Transfer.objects.filter(kind="pending").count() == 1
    assert wallet_account(user_id=contract.client_id, currency="JPY").available == 100_000 - 33_000


def test_full_path_deliver_revise_accept_pays_the_worker_net() -> None:
    contract, milestone = funded(30_000)
    assert milestone.status == MilestoneStatus.FUNDED
    delivery_submit(milestone=milestone, by=contract.worker, message="第1版です", files=[docx()])
    milestone_request_revision(
        milestone=milestone, by=contract.client, message="見出しを直してください"
    )
    delivery_submit(
        milestone=milestone,
        by=contract.worker,
        message="修正版です",
        files=[docx(text="直しました")],
    )
    assert milestone.deliveries.count() == 2
    milestone_accept(milestone=milestone, by=contract.client)
    milestone.refresh_from_db()
    contract.refresh_from_db()
    assert milestone.status == MilestoneStatus.RELEASED
    assert contract.status == ContractStatus.COMPLETED
    # 30,000 + 3,000 tax paid in; fee 20% of 30,000 = 6,000; no withholding by default
    assert balance(contract.worker_id) == 27_000
    assert Account.objects.get(code="platform_fees:JPY").balance == 6_000
    assert run_checks() == []
    events = list(
        AuditEvent.objects.filter(subject_id=str(contract.pk)).values_list("event", flat=True)
    )
    assert "milestone.accepted" in events and "contract.completed" in events


def test_withholding_for_an_individual_worker_in_a_withholding_category() -> None:
    worker = UserFactory()
    BusinessDetails.objects.create(user=worker, kind=BusinessKind.INDIVIDUAL, legal_name="山田太郎")
    contract, milestone = funded(100_000, worker=worker, withholding_category=True)
    delivery_submit(milestone=milestone, by=worker, message="納品", files=[docx()])
    milestone_accept(milestone=milestone, by=contract.client)
    # 110,000 in; fee 20,000; withholding 10.21% of 100,000 = 10,210
    assert balance(worker.pk) == 110_000 - 20_000 - 10_210
    assert Account.objects.get(code="withholding_payable:JPY").balance == 10_210
    assert run_checks() == []


def test_companies_are_not_withheld() -> None:
    worker = UserFactory()
    BusinessDetails.objects.create(
        user=worker, kind=BusinessKind.COMPANY, legal_name="株式会社つなぐ"
    )
    contract = offer(worker=worker, withholding_category=True)
    assert contract.terms.data["withholding_applies"] is False


def test_revisions_are_limited_by_the_terms() -> None:
    contract, milestone = funded(revision_limit=1)
    delivery_submit(milestone=milestone, by=contract.worker, message="v1", files=[docx()])
    milestone_request_revision(milestone=milestone, by=contract.client, message="直して")
    delivery_submit(milestone=milestone, by=contract.worker, message="v2", files=[docx()])
    with pytest.raises(ContractError) as exc:
        milestone_request_revision(milestone=milestone, by=contract.client, message="もう一度")
    assert exc.value.code == "revision_limit"


def test_empty_word_file_is_refused_before_it_reaches_the_client() -> None:
    contract, milestone = funded()
    with pytest.raises(ValidationError) as exc:
        delivery_submit(
            milestone=milestone, by=contract.worker, message="納品", files=[docx(text="")]
        )
    assert "article.docx" in str(exc.value)
    with pytest.raises(ValidationError):
        delivery_submit(
            milestone=milestone,
            by=contract.worker,
            message="納品",
            files=[SimpleUploadedFile("a.txt", b"")],
        )
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDED
    assert not milestone.deliveries.exists()


def test_auto_accept_fires_once_after_the_inspection_period() -> None:
    contract, milestone = funded()
    delivery_submit(milestone=milestone, by=contract.worker, message="納品", files=[docx()])
    assert milestones_auto_accept_due() == 0
    later = timezone.now() + datetime.timedelta(days=8)
    assert milestones_auto_accept_due(now=later) == 1
    assert milestones_auto_accept_due(now=later) == 0
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.RELEASED
    assert Transfer.objects.filter(kind="post").count() == 1
    assert AuditEvent.objects.filter(event="milestone.auto_accepted").count() == 1


def test_cancel_before_funding_is_free_and_after_funding_is_refused() -> None:
    contract = offer()
    contract_cancel(contract=contract, by=contract.worker)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CANCELLED
    contract, _milestone = funded()
    with pytest.raises(ContractError) as exc:
        contract_cancel(contract=contract, by=contract.client)
    assert exc.value.code == "money_in_escrow"


def test_cancellation_by_agreement_splits_the_escrow() -> None:
    contract, milestone = funded(30_000)
    request = cancellation_propose(
        milestone=milestone, by=contract.client, release_amount=10_000, reason="途中まで"
    )
    with pytest.raises(ContractError):
        cancellation_respond(request=request, by=contract.client, accept=True)
    cancellation_respond(request=request, by=contract.worker, accept=True)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.SETTLED
    # worker: 10,000 + 1,000 tax - 2,000 fee; client gets back 33,000 - 11,000
    assert balance(contract.worker_id) == 9_000
    assert balance(contract.client_id) == 22_000
    assert run_checks() == []


def test_dispute_decided_by_staff_with_a_full_refund() -> None:
    contract, milestone = funded(30_000)
    dispute = dispute_open(milestone=milestone, by=contract.client, reason="納品されません")
    with pytest.raises(ContractError) as exc:
        dispute_decide(dispute=dispute, by=contract.client, release_amount=0, note="x")
    assert exc.value.code == "not_staff"
    staff = UserFactory(is_staff=True)
    dispute_decide(dispute=dispute, by=staff, release_amount=0, note="納品の記録がないため全額返金")
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.REFUNDED
    assert balance(contract.client_id) == 33_000
    assert balance(contract.worker_id) == 0
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CANCELLED
    assert run_checks() == []


def test_a_third_user_can_do_nothing() -> None:
    contract, milestone = funded()
    stranger = UserFactory()
    for action in (
        lambda: delivery_submit(milestone=milestone, by=stranger, message="x", files=[docx()]),
        lambda: milestone_accept(milestone=milestone, by=stranger),
        lambda: dispute_open(milestone=milestone, by=stranger, reason="x"),
        lambda: cancellation_propose(
            milestone=milestone, by=stranger, release_amount=0, reason="x"
        ),
        lambda: contract_cancel(contract=contract, by=stranger),
    ):
        with pytest.raises(ContractError):
            action()
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDED


def test_only_the_requester_withdraws_a_cancellation_request() -> None:
    from tsunagu.contracts.services import cancellation_withdraw

    contract, milestone = funded()
    request = cancellation_propose(
        milestone=milestone, by=contract.client, release_amount=0, reason="中止"
    )
    with pytest.raises(ContractError) as exc:
        cancellation_withdraw(request=request, by=contract.worker)
    assert exc.value.code == "not_the_requester"
    assert cancellation_withdraw(request=request, by=contract.client).status == "withdrawn"


def test_an_oversized_or_disguised_delivery_file_is_a_files_error() -> None:
    contract, milestone = funded()
    with pytest.raises(ValidationError) as exc:
        delivery_submit(
            milestone=milestone,
            by=contract.worker,
            message="納品",
            files=[SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf")],
        )
    assert "files" in exc.value.message_dict
    assert not milestone.deliveries.exists()


def test_cancelling_the_rest_of_a_partly_paid_contract_completes_it() -> None:
    contract = offer(amounts=(10_000, 20_000))
    first, _second = contract.milestones.order_by("position")
    give_balance(contract.client, first.gross)
    milestone_fund_from_wallet(milestone=first, by=contract.client)
    delivery_submit(milestone=first, by=contract.worker, message="1回目", files=[docx()])
    milestone_accept(milestone=first, by=contract.client)
    contract_cancel(contract=contract, by=contract.client)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.COMPLETED
    assert list(contract.milestones.order_by("position").values_list("status", flat=True)) == [
        MilestoneStatus.RELEASED,
        MilestoneStatus.CANCELLED,
    ]
