"""The monthly roll-up of what the ledger released to a worker, per client.

Read from the ledger's transfers out of each contract's escrow (the worker's share, the platform
fee and the withholding tax together: the gross the client paid for the work, tax included),
never from the contracts' own figures. Rebuilding a worker's roll-up replaces it as a whole in one
transaction, so it is idempotent; it runs after each payment (``milestone_paid``) and nightly
for everyone, and ``income_rollup_matches_ledger`` checks it.
"""

from __future__ import annotations

import logging
import zoneinfo
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast

from tsunagu.contracts.models import Milestone
from tsunagu.income import engine
from tsunagu.income.models import IncomeMonth
from tsunagu.ledger.models import AccountKind, Transfer

logger = logging.getLogger(__name__)

# The parts of a release that leave the escrow for the worker's side of the deal.
RELEASE_REASONS = ("release", "platform_fee", "withholding")


def ledger_payments(worker_id: int) -> list[engine.Payment]:
    """Every release to the worker, straight from the ledger: one payment per transfer."""
    clients = dict(
        Milestone.objects.filter(contract__worker_id=worker_id).values_list(
            "pk", "contract__client_id"
        )
    )
    keys = (
        Milestone.objects.filter(contract__worker_id=worker_id)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rows = Transfer.objects.filter(
        cause_type="milestone",
        cause_id__in=keys,
        debit_account__kind=AccountKind.ESCROW,
        reason__in=RELEASE_REASONS,
    ).values_list("cause_id", "created_at", "amount")
    return [
        engine.Payment(client=clients[int(cause)], day=at.astimezone(zone).date(), amount=amount)
        for cause, at, amount in rows
        if amount > 0
    ]


def income_rollup_refresh(*, worker_id: int) -> int:
    """Rebuild the worker's roll-up from the ledger; returns how many months it holds."""
    rows = [
        IncomeMonth(
            worker_id=worker_id,
            client_id=m.client,
            month=m.month,
            gross=m.gross,
            payments=m.payments,
            first_day=m.first_day,
            last_day=m.last_day,
        )
        for m in engine.client_months(ledger_payments(worker_id))
    ]
    with transaction.atomic():
        IncomeMonth.objects.filter(worker_id=worker_id).delete()
        IncomeMonth.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def income_rollup_matches_ledger(*, worker_id: int) -> bool:
    stored = {
        (r.client_id, r.month): (r.gross, r.payments)
        for r in IncomeMonth.objects.filter(worker_id=worker_id)
    }
    fresh = {
        (m.client, m.month): (m.gross, m.payments)
        for m in engine.client_months(ledger_payments(worker_id))
    }
    return stored == fresh


def income_rollups_refresh_all() -> int:
    """Every worker who has been paid (the nightly pass); returns how many were rebuilt."""
    workers = set(
        Milestone.objects.filter(released_amount__gt=0).values_list(
            "contract__worker_id", flat=True
        )
    )
    for worker_id in sorted(workers):
        income_rollup_refresh(worker_id=worker_id)
    return len(workers)


def on_milestone_paid(*, worker_id: int, **_: Any) -> None:
    """After a payment committed: the worker's roll-up now includes it. The payment stands
    whatever happens here; the nightly pass repairs a failure."""
    try:
        income_rollup_refresh(worker_id=worker_id)
    except Exception:
        logger.exception("income roll-up of %s not refreshed", worker_id)
