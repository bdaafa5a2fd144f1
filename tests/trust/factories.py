"""Contracts with money paid out of escrow, built through the contracts' own services, and
reviews written through the trust services."""

from __future__ import annotations

import datetime
from typing import Any

from tests.contracts.docs import docx
from tests.contracts.factories import give_balance, offer
from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract, Milestone
from tsunagu.contracts.services import (
    delivery_submit,
    milestone_accept,
    milestone_fund_from_wallet,
)
from tsunagu.trust.models import Review
from tsunagu.trust.services import completion_of, review_submit


def funded(*, amounts: tuple[int, ...] = (30_000,), **kwargs: Any) -> Contract:
    """A contract whose first milestone is funded: money is held, nothing paid yet."""
    contract = offer(amounts=amounts, **kwargs)
    milestone = contract.milestones.order_by("position").first()
    assert milestone is not None
    give_balance(contract.client, milestone.gross, key=f"gift:m{milestone.pk}")
    milestone_fund_from_wallet(milestone=milestone, by=contract.client)
    return contract


def pay(milestone: Milestone) -> None:
    """Deliver ``milestone`` (funded) and accept it: the worker is paid."""
    contract = milestone.contract
    delivery_submit(milestone=milestone, by=contract.worker, message="納品します", files=[docx()])
    milestone_accept(milestone=milestone, by=contract.client)


def paid_contract(
    *,
    client: User | None = None,
    worker: User | None = None,
    amounts: tuple[int, ...] = (30_000,),
    **kwargs: Any,
) -> Contract:
    """A contract whose first milestone was released to the worker: it can be reviewed."""
    contract = funded(client=client, worker=worker, amounts=amounts, **kwargs)
    milestone = contract.milestones.order_by("position").first()
    assert milestone is not None
    pay(milestone)
    contract.refresh_from_db()
    return contract


def completed_at(contract: Contract) -> datetime.datetime:
    found = completion_of(contract.pk)
    assert found is not None
    return found


def review(
    contract: Contract,
    by: User,
    *,
    stars: int = 5,
    tags: tuple[str, ...] = (),
    text: str = "丁寧で迅速な対応でした。",
    private_feedback: str = "",
    now: datetime.datetime | None = None,
) -> Review:
    return review_submit(
        contract=contract,
        by=by,
        stars=stars,
        tags=tags,
        text=text,
        private_feedback=private_feedback,
        now=now,
    )


def revealed_pair(**kwargs: Any) -> tuple[Contract, Review, Review]:
    """A paid contract both parties reviewed: the two reviews are published."""
    contract = paid_contract(**kwargs)
    of_worker = review(contract, contract.client, tags=("on_time",), text="納期を守ってくれました")
    of_client = review(contract, contract.worker, stars=4, tags=("pays_promptly",))
    of_worker.refresh_from_db()
    return contract, of_worker, of_client
