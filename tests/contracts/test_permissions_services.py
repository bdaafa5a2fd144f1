"""A third user can neither act on nor read someone else's contract, milestone or wallet.

Service level: every contract action called by a stranger (and, where only the parties may act,
by staff) is refused with ContractError and changes nothing at all: no status, no transfer, no
account total, no payment, no audit row, no notification, no file. The selectors that load one
contract, a delivered file or a payment answer a stranger as if it did not exist. Page-level
checks live with the views.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import Http404

from tests.accounts.factories import UserFactory
from tests.contracts.docs import docx
from tests.contracts.factories import give_balance, offer
from tsunagu.accounts.models import User
from tsunagu.audit.models import AuditEvent
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import (
    CancellationRequest,
    Contract,
    Delivery,
    DeliveryFile,
    Dispute,
    Milestone,
    RevisionRequest,
)
from tsunagu.contracts.selectors import (
    contract_for_party,
    contract_for_viewer,
    contracts_for_user,
    delivery_file_for_viewer,
)
from tsunagu.contracts.services import (
    cancellation_propose,
    cancellation_respond,
    cancellation_withdraw,
    contract_accept_terms,
    contract_cancel,
    contract_decline,
    delivery_submit,
    dispute_decide,
    dispute_open,
    milestone_accept,
    milestone_fund_from_wallet,
    milestone_fund_start,
    milestone_request_revision,
)
from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import Account, Transfer
from tsunagu.ledger.services import wallet_account
from tsunagu.notifications.models import Notification
from tsunagu.payments.models import Payment
from tsunagu.payments.selectors import payment_get_for_user
from tsunagu.payments.wallet import wallet_top_up_start

pytestmark = pytest.mark.django_db


def everything() -> dict[str, Any]:
    """Every row a contract action could write, so a refusal can be shown to change nothing."""
    return {
        "contracts": list(Contract.objects.order_by("pk").values_list("pk", "status")),
        "milestones": list(
            Milestone.objects.order_by("pk").values_list(
                "pk", "status", "revisions_used", "released_amount", "inspection_deadline"
            )
        ),
        "accounts": list(
            Account.objects.order_by("pk").values_list(
                "code", "debits_pending", "debits_posted", "credits_pending", "credits_posted"
            )
        ),
        "transfers": Transfer.objects.count(),
        "payments": list(Payment.objects.order_by("pk").values_list("pk", "status")),
        "requests": list(CancellationRequest.objects.order_by("pk").values_list("pk", "status")),
        "disputes": list(Dispute.objects.order_by("pk").values_list("pk", "status")),
        "deliveries": Delivery.objects.count(),
        "files": DeliveryFile.objects.count(),
        "revisions": RevisionRequest.objects.count(),
        "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


class World:
    """One client and worker with a contract at every stage, a stranger and a staff member."""

    def __init__(self) -> None:
        self.client = UserFactory()
        self.worker = UserFactory()
        self.stranger = UserFactory()
        self.staff = UserFactory(is_staff=True)
        # The stranger has money of their own, which must stay where it is.
        give_balance(self.stranger, 500_000)
        give_balance(self.client, 500_000)
        self.offered = offer(client=self.client, worker=self.worker, accept=False)
        self.active = offer(client=self.client, worker=self.worker)
        self.unfunded = self.active.milestones.get()
        self.funded = self.fund()
        self.delivered = self.fund()
        delivery_submit(
            milestone=self.delivered, by=self.worker, message="納品します", files=[docx()]
        )
        self.file = DeliveryFile.objects.get(delivery__milestone=self.delivered)
        disputed = self.fund()
        self.dispute = dispute_open(milestone=disputed, by=self.client, reason="納品されません")
        self.request = cancellation_propose(
            milestone=self.funded, by=self.client, release_amount=10_000, reason="途中まで"
        )
        self.milestones = [self.unfunded, self.funded, self.delivered, disputed]

    def fund(self) -> Milestone:
        contract = offer(client=self.client, worker=self.worker)
        milestone = contract.milestones.get()
        milestone_fund_from_wallet(milestone=milestone, by=self.client)
        return Milestone.objects.get(pk=milestone.pk)

    def actions(self, who: User) -> dict[str, Callable[[], Any]]:
        """Every contract action, aimed at a contract in the stage where it would succeed."""
        return {
            "accept_terms": lambda: contract_accept_terms(contract=self.offered, by=who),
            "decline": lambda: contract_decline(contract=self.offered, by=who),
            "cancel_offered": lambda: contract_cancel(contract=self.offered, by=who),
            "cancel_active": lambda: contract_cancel(contract=self.active, by=who),
            "fund_from_wallet": lambda: milestone_fund_from_wallet(milestone=self.unfunded, by=who),
            "fund_by_card": lambda: milestone_fund_start(milestone=self.unfunded, by=who),
            "deliver": lambda: delivery_submit(
                milestone=self.funded, by=who, message="私が納品します", files=[docx()]
            ),
            "request_revision": lambda: milestone_request_revision(
                milestone=self.delivered, by=who, message="直して"
            ),
            "accept_delivery": lambda: milestone_accept(milestone=self.delivered, by=who),
            "propose_cancellation": lambda: cancellation_propose(
                milestone=self.delivered, by=who, release_amount=0, reason="返金して"
            ),
            "answer_cancellation": lambda: cancellation_respond(
                request=self.request, by=who, accept=True
            ),
            "decline_cancellation": lambda: cancellation_respond(
                request=self.request, by=who, accept=False
            ),
            "withdraw_cancellation": lambda: cancellation_withdraw(request=self.request, by=who),
            "open_dispute": lambda: dispute_open(milestone=self.delivered, by=who, reason="問題"),
        }


@pytest.fixture
def world() -> World:
    return World()


ACTIONS = [
    "accept_terms",
    "decline",
    "cancel_offered",
    "cancel_active",
    "fund_from_wallet",
    "fund_by_card",
    "deliver",
    "request_revision",
    "accept_delivery",
    "propose_cancellation",
    "answer_cancellation",
    "decline_cancellation",
    "withdraw_cancellation",
    "open_dispute",
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("as_staff", [False, True], ids=["stranger", "staff"])
def test_a_third_user_cannot_act_and_nothing_changes(
    world: World, action: str, as_staff: bool
) -> None:
    """Staff see contracts to decide disputes, but act on them only through dispute_decide."""
    who = world.staff if as_staff else world.stranger
    before = everything()
    with pytest.raises(ContractError) as exc:
        world.actions(who)[action]()
    assert exc.value.code in {
        "not_a_party",
        "not_the_client",
        "not_the_worker",
        "not_the_requester",
    }
    assert everything() == before
    assert run_checks() == []


def test_each_action_works_for_the_right_party(world: World) -> None:
    """The refusals above are about who acts: the same calls by the parties succeed."""
    by_party = {
        "accept_terms": world.worker,
        "fund_from_wallet": world.client,
        "deliver": world.worker,
        "request_revision": world.client,
        "answer_cancellation": world.worker,
        "open_dispute": world.worker,
    }
    for action, who in by_party.items():
        before = everything()
        world.actions(who)[action]()
        assert everything() != before, action
    assert run_checks() == []


def test_only_staff_decide_disputes_and_nothing_changes_otherwise(world: World) -> None:
    for who in (world.stranger, world.client, world.worker):
        before = everything()
        with pytest.raises(ContractError) as exc:
            dispute_decide(dispute=world.dispute, by=who, release_amount=0, note="返金")
        assert exc.value.code == "not_staff"
        assert everything() == before
    dispute_decide(dispute=world.dispute, by=world.staff, release_amount=0, note="全額返金")
    assert run_checks() == []


def test_a_stranger_cannot_move_money_from_or_into_another_wallet(world: World) -> None:
    client_wallet = wallet_account(user_id=world.client.pk, currency="JPY")
    stranger_wallet = wallet_account(user_id=world.stranger.pk, currency="JPY")
    before = [(a.balance, a.available) for a in (client_wallet, stranger_wallet)]
    # Paying someone else's milestone with one's own money is refused too: nobody can fund a
    # contract they are not the client of, from any wallet.
    for call in (
        lambda: milestone_fund_from_wallet(milestone=world.unfunded, by=world.stranger),
        lambda: milestone_fund_start(milestone=world.unfunded, by=world.stranger),
    ):
        with pytest.raises(ContractError) as exc:
            call()
        assert exc.value.code == "not_the_client"
    after = [
        (a.balance, a.available)
        for a in (
            wallet_account(user_id=world.client.pk, currency="JPY"),
            wallet_account(user_id=world.stranger.pk, currency="JPY"),
        )
    ]
    assert after == before
    assert not Payment.objects.filter(user=world.stranger).exists()
    # A top-up is always for the one who starts it.
    payment = wallet_top_up_start(user=world.stranger, amount=1000)
    assert payment.user_id == world.stranger.pk


def test_a_stranger_cannot_read_a_contract_a_file_or_a_payment(world: World) -> None:
    contract = world.delivered.contract
    for read in (
        lambda: contract_for_viewer(pk=contract.pk, viewer=world.stranger),
        lambda: contract_for_party(pk=contract.pk, viewer=world.stranger),
        lambda: contract_for_party(pk=contract.pk, viewer=world.staff),
        lambda: delivery_file_for_viewer(pk=world.file.pk, viewer=world.stranger),
    ):
        with pytest.raises(Http404):
            read()
    assert not contracts_for_user(user_id=world.stranger.pk).exists()
    # the parties (and staff, for disputes) can
    assert contract_for_viewer(pk=contract.pk, viewer=world.client) == contract
    assert contract_for_viewer(pk=contract.pk, viewer=world.staff) == contract
    assert delivery_file_for_viewer(pk=world.file.pk, viewer=world.worker) == world.file
    payment = wallet_top_up_start(user=world.client, amount=2000)
    for ref in (payment.key, str(payment.pk)):
        with pytest.raises(Http404):
            payment_get_for_user(user_id=world.stranger.pk, ref=ref)
        assert payment_get_for_user(user_id=world.client.pk, ref=ref) == payment
