"""Demo work (``data/work.toml``): contracts between demo people carried through the real flow,
then reviewed by both sides, and network trust and the scores computed from them.

Each contract goes through the services a person would use: the client offers written terms,
the worker accepts them, the client tops up the wallet by card (the sandbox provider) and funds
the escrow from it, the worker delivers a file, the client accepts and the money is released.
Both reviews are then written, which publishes them together. Safe to run again: a contract
with the same title between the same two people is not made twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract
from tsunagu.contracts.services import (
    MilestoneInput,
    contract_accept_terms,
    contract_offer,
    delivery_submit,
    milestone_accept,
    milestone_fund_from_wallet,
)
from tsunagu.demo.datafiles import data_read
from tsunagu.payments.wallet import wallet_top_up
from tsunagu.trust.network import network_trust_refresh
from tsunagu.trust.services import review_submit


@dataclass(frozen=True)
class Review:
    stars: int
    text: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Work:
    client: str
    worker: str
    title: str
    description: str
    deliverables: str
    amount: int
    client_review: Review
    worker_review: Review


def _review(data: dict[str, Any]) -> Review:
    return Review(stars=int(data["stars"]), text=data["text"], tags=tuple(data.get("tags", ())))


WORK: tuple[Work, ...] = tuple(
    Work(
        client=row["client"],
        worker=row["worker"],
        title=row["title"],
        description=row["description"],
        deliverables=row["deliverables"],
        amount=int(row["amount"]),
        client_review=_review(row["client_review"]),
        worker_review=_review(row["worker_review"]),
    )
    for row in data_read("work")["contract"]
)


def demo_work_load() -> int:
    """Carry out the missing demo contracts, then compute network trust and the scores;
    returns how many contracts were made."""
    made = 0
    # demo addresses (.example) have no mailbox: do not e-mail the notifications
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for work in WORK:
            client = User.objects.get(email=work.client)
            worker = User.objects.get(email=work.worker)
            if Contract.objects.filter(client=client, worker=worker, title=work.title).exists():
                continue
            _carry_out(work, client, worker)
            made += 1
    if made:
        network_trust_refresh()
    return made


def _carry_out(work: Work, client: User, worker: User) -> Contract:
    due = timezone.localdate() + datetime.timedelta(days=14)
    contract = contract_offer(
        client=client,
        worker=worker,
        title=work.title,
        description=work.description,
        deliverables=work.deliverables,
        milestones=[MilestoneInput(title=work.title, amount=work.amount, due_date=due)],
        payment_due=due + datetime.timedelta(days=30),
    )
    contract_accept_terms(contract=contract, by=worker)
    milestone = contract.milestones.get()
    wallet_top_up(user=client, amount=milestone.gross)
    milestone_fund_from_wallet(milestone=milestone, by=client)
    delivery = SimpleUploadedFile(
        "delivery.txt", f"{work.title}\n\n{work.deliverables}\n".encode(), "text/plain"
    )
    delivery_submit(milestone=milestone, by=worker, message=work.deliverables, files=[delivery])
    milestone_accept(milestone=milestone, by=client)
    for author, review in ((client, work.client_review), (worker, work.worker_review)):
        review_submit(
            contract=contract, by=author, stars=review.stars, tags=review.tags, text=review.text
        )
    return contract
