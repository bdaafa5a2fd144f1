from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.accounts.factories import UserFactory
from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract
from tsunagu.contracts.services import MilestoneInput, contract_accept_terms, contract_offer
from tsunagu.ledger.models import AccountKind
from tsunagu.ledger.services import (
    TransferRequest,
    platform_account,
    transfers_create,
    wallet_account,
)


def offer(
    *,
    client: User | None = None,
    worker: User | None = None,
    amounts: tuple[int, ...] = (30_000,),
    accept: bool = True,
    **kwargs: Any,
) -> Contract:
    client = client or UserFactory()
    worker = worker or UserFactory()
    today = timezone.localdate()
    due = today + datetime.timedelta(days=14)
    contract = contract_offer(
        client=client,
        worker=worker,
        title=kwargs.pop("title", "記事作成 10本"),
        description=kwargs.pop("description", "SEO記事を10本作成していただきます。"),
        deliverables=kwargs.pop("deliverables", "Word ファイル 10本"),
        milestones=[
            MilestoneInput(title=f"第{i}回納品", amount=a, due_date=due)
            for i, a in enumerate(amounts, 1)
        ],
        payment_due=kwargs.pop("payment_due", due + datetime.timedelta(days=30)),
        **kwargs,
    )
    if accept:
        contract_accept_terms(contract=contract, by=worker)
    return contract


def give_balance(user: User, amount: int, key: str | None = None) -> None:
    clearing = platform_account(kind=AccountKind.PROVIDER_CLEARING, currency="JPY")
    wallet = wallet_account(user_id=user.pk, currency="JPY")
    transfers_create(
        transfers=[
            TransferRequest(
                key=key or f"gift:{user.pk}:{amount}",
                debit_account_id=clearing.pk,
                credit_account_id=wallet.pk,
                amount=amount,
                currency="JPY",
                reason="top_up",
            )
        ]
    )
