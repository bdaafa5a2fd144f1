"""Demo income (``data/income.toml``): two years of one worker's work with her regular clients,
then her target, recurring engagements and income from outside Tsunagu.

Each past contract goes through the same services a person uses, with the clock set back to the
day each step happened (time-machine), so that the ledger's transfers, the escrow, the reviews and
the evidence carry their real dates and the income page reads them as it reads any history: the
roll-up is rebuilt from the ledger, never written by hand. Safe to run again: a contract with the
same title between the same two people is not made twice, and the target and the entries are set
only when the worker has none.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import time_machine
from django.conf import settings
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
from tsunagu.income import engine
from tsunagu.income.models import IncomeTarget, OutsideIncome, RecurringEngagement
from tsunagu.income.rollups import income_rollup_refresh
from tsunagu.income.services import income_target_set, outside_income_add, recurring_add
from tsunagu.payments.wallet import wallet_top_up
from tsunagu.trust.network import network_trust_refresh
from tsunagu.trust.services import review_submit

DATA = data_read("income")
# The day of the month each contract is paid, and how long before that it was offered.
PAID_ON_DAY = 20
OFFERED_DAYS_BEFORE = 12


@dataclass(frozen=True)
class Past:
    """One past contract of a pipe: who, what, how much, and the day it was paid."""

    client: str
    title: str
    description: str
    deliverables: str
    amount: int
    paid_on: datetime.date
    client_review: dict[str, Any]
    worker_review: dict[str, Any]


def history(*, today: datetime.date) -> Iterator[Past]:
    """Every past contract in ``data/income.toml``, oldest first."""
    rows: list[Past] = []
    for pipe in DATA["pipe"]:
        months = range(int(pipe["from_months_ago"]), int(pipe["to_months_ago"]) - 1, -1)
        for index, ago in enumerate(months[:: int(pipe["every"])]):
            month = engine.add_months(engine.month_start(today), -ago)
            rows.append(
                Past(
                    client=pipe["client"],
                    title=pipe["title"].format(d=month),
                    description=pipe["description"],
                    deliverables=pipe["deliverables"],
                    amount=int(pipe["amount"]) + index * int(pipe["step"]),
                    paid_on=month.replace(day=PAID_ON_DAY),
                    client_review=pipe["client_review"],
                    worker_review=pipe["worker_review"],
                )
            )
    yield from sorted(rows, key=lambda past: (past.paid_on, past.client))


def demo_income_load() -> int:
    """Carry out the missing past contracts, then set the worker's income page; returns how many
    contracts were made."""
    worker = User.objects.get(email=DATA["worker"])
    today = timezone.localdate()
    made = 0
    # demo addresses (.example) have no mailbox: do not e-mail the notifications
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for past in history(today=today):
            client = User.objects.get(email=past.client)
            if Contract.objects.filter(client=client, worker=worker, title=past.title).exists():
                continue
            _carry_out(past, client, worker)
            made += 1
    income_rollup_refresh(worker_id=worker.pk)
    if made:
        network_trust_refresh()
    _income_page(worker, today=today)
    return made


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )


def _carry_out(past: Past, client: User, worker: User) -> Contract:
    offered = past.paid_on - datetime.timedelta(days=OFFERED_DAYS_BEFORE)
    due = past.paid_on - datetime.timedelta(days=1)
    with time_machine.travel(_at(offered, 10), tick=True):
        contract = contract_offer(
            client=client,
            worker=worker,
            title=past.title,
            description=past.description,
            deliverables=past.deliverables,
            milestones=[MilestoneInput(title=past.title, amount=past.amount, due_date=due)],
            payment_due=due + datetime.timedelta(days=30),
        )
    with time_machine.travel(_at(offered, 15), tick=True):
        contract_accept_terms(contract=contract, by=worker)
    milestone = contract.milestones.get()
    with time_machine.travel(_at(offered + datetime.timedelta(days=1), 9), tick=True):
        wallet_top_up(user=client, amount=milestone.gross)
        milestone_fund_from_wallet(milestone=milestone, by=client)
    with time_machine.travel(_at(due - datetime.timedelta(days=1), 18), tick=True):
        delivery = SimpleUploadedFile(
            "delivery.txt", f"{past.title}\n\n{past.deliverables}\n".encode(), "text/plain"
        )
        delivery_submit(milestone=milestone, by=worker, message=past.deliverables, files=[delivery])
    with time_machine.travel(_at(past.paid_on, 11), tick=True):
        milestone_accept(milestone=milestone, by=client)
    with time_machine.travel(_at(past.paid_on + datetime.timedelta(days=1), 10), tick=True):
        for author, review in ((client, past.client_review), (worker, past.worker_review)):
            review_submit(
                contract=contract,
                by=author,
                stars=int(review["stars"]),
                tags=tuple(review.get("tags", ())),
                text=review["text"],
            )
    return contract


def _income_page(worker: User, *, today: datetime.date) -> None:
    """The worker's target, recurring engagements and outside income, when she has none yet."""
    if not IncomeTarget.objects.filter(user=worker).exists():
        income_target_set(user=worker, monthly_amount=DATA["target"]["monthly_amount"])
    if not RecurringEngagement.objects.filter(user=worker).exists():
        for item in DATA.get("recurring", ()):
            client = User.objects.get(email=item["client"]) if item.get("client") else None
            recurring_add(
                user=worker,
                label=item["label"],
                monthly_amount=item["monthly_amount"],
                client=client,
            )
    if not OutsideIncome.objects.filter(user=worker).exists():
        for item in DATA.get("outside", ()):
            month = engine.add_months(engine.month_start(today), -int(item["months_ago"]))
            outside_income_add(
                user=worker,
                received_on=month.replace(day=int(item["day"])),
                amount=item["amount"],
                source=item["source"],
                note=item.get("note", ""),
                today=today,
            )
