"""Issuing qualified invoices (適格請求書) when money moves, and correcting them.

For every platform fee charged to a worker, Tsunagu (the platform) is the issuer and the worker
the recipient. Where the worker is a registered issuer, Tsunagu also issues, on their behalf, an
invoice to the client for each payment. Each issuer's numbers have no gaps: the issuer's counter
row is locked (``select_for_update``) inside the transaction that creates the invoice, so a
rolled-back invoice gives its number back and two at once wait for each other. Issuing is
idempotent: one invoice per ledger transfer, backed by a unique constraint.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tsunagu.accounts import invoice_number
from tsunagu.accounts.models import BusinessDetails, BusinessKind, User
from tsunagu.audit.services import audit_record
from tsunagu.billing import invoice_math
from tsunagu.billing.errors import BillingError
from tsunagu.billing.models import (
    PLATFORM_ISSUER,
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    worker_issuer,
)
from tsunagu.billing.selectors import TAX_TIME_ZONE, PaidMilestone, paid_milestones, person_name
from tsunagu.contracts.models import Milestone
from tsunagu.ledger.models import Transfer

logger = logging.getLogger(__name__)


def platform_issuer() -> dict[str, str]:
    return {
        "name": settings.TSUNAGU_INVOICE_ISSUER_NAME,
        "registration_number": settings.TSUNAGU_INVOICE_REGISTRATION_NUMBER,
        "address": settings.TSUNAGU_INVOICE_ISSUER_ADDRESS,
    }


def registered_issuer(worker: User) -> dict[str, str] | None:
    """The worker as an issuer, when they have a valid registration number; else None."""
    business = BusinessDetails.objects.filter(user=worker).first()
    if business is None or not business.registration_number:
        return None
    try:
        number = invoice_number.parse(
            business.registration_number, company=business.kind == BusinessKind.COMPANY
        )
    except invoice_number.InvoiceNumberError:
        return None
    return {"name": person_name(worker), "registration_number": str(number), "address": ""}


def _next_number(issuer_key: str) -> int:
    """Take the issuer's next number; call inside the transaction that creates the invoice."""
    InvoiceCounter.objects.get_or_create(issuer_key=issuer_key)
    counter = InvoiceCounter.objects.select_for_update().get(issuer_key=issuer_key)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _document(
    *,
    kind: str,
    issuer: dict[str, str],
    recipient_name: str,
    issued_on: str,
    lines: list[invoice_math.Line],
    tax_included: bool,
    paid: PaidMilestone,
) -> tuple[dict[str, Any], invoice_math.InvoiceTotals]:
    totals = invoice_math.invoice_totals(lines, tax_included=tax_included)
    return {
        "version": 1,
        "kind": kind,
        "issuer": issuer,
        "on_behalf_of_by": platform_issuer()["name"] if kind == InvoiceKind.CLIENT_PAYMENT else "",
        "recipient": {"name": recipient_name},
        "issued_on": issued_on,
        "contract": {"id": paid.contract_id, "title": paid.contract_title},
        "milestone": {"id": paid.milestone_id, "title": paid.milestone_title},
        "tax_included": tax_included,
        "rounding": "floor_once_per_rate",
        "lines": [
            {"description": line.description, "amount": line.amount, "rate": line.rate}
            for line in lines
        ],
        "by_rate": [
            {
                "rate": r.rate,
                "amount": r.amount,
                "excluding_tax": r.excluding_tax,
                "tax": r.tax,
                "including_tax": r.including_tax,
            }
            for r in totals.by_rate
        ],
        "total_excluding_tax": totals.excluding_tax,
        "tax": totals.tax,
        "total": totals.including_tax,
        "currency": "JPY",
    }, totals


def _fee_invoice_fields(paid: PaidMilestone, worker: User, fee_at: Any) -> dict[str, Any]:
    issued_on = fee_at.astimezone(TAX_TIME_ZONE).date()
    document, totals = _document(
        kind=InvoiceKind.PLATFORM_FEE,
        issuer=platform_issuer(),
        recipient_name=person_name(worker),
        issued_on=issued_on.isoformat(),
        lines=[
            invoice_math.Line(
                description=f"システム利用料 / {paid.contract_title} / {paid.milestone_title}",
                amount=paid.platform_fee,
            )
        ],
        tax_included=True,
        paid=paid,
    )
    return {
        "issuer_key": PLATFORM_ISSUER,
        "kind": InvoiceKind.PLATFORM_FEE,
        "recipient_id": worker.pk,
        "issued_on": issued_on,
        "total": totals.including_tax,
        "tax": totals.tax,
        "document": document,
    }


def _payment_invoice_fields(
    paid: PaidMilestone, worker: User, issuer: dict[str, str]
) -> dict[str, Any]:
    issued_on = paid.paid_on
    document, totals = _document(
        kind=InvoiceKind.CLIENT_PAYMENT,
        issuer=issuer,
        recipient_name=paid.client_name,
        issued_on=issued_on.isoformat(),
        lines=[
            invoice_math.Line(
                description=f"{paid.contract_title} / {paid.milestone_title}", amount=paid.amount
            )
        ],
        tax_included=False,
        paid=paid,
    )
    if totals.including_tax != paid.gross:
        # The terms rounded the tax per milestone exactly as the invoice does; say so if not.
        logger.error("invoice total %s differs from the ledger's %s", totals.including_tax, paid)
    return {
        "issuer_key": worker_issuer(worker.pk),
        "kind": InvoiceKind.CLIENT_PAYMENT,
        "recipient_id": paid.client_id,
        "issued_on": issued_on,
        "total": totals.including_tax,
        "tax": totals.tax,
        "document": document,
    }


def _issue(*, source_key: str, milestone_id: int, worker: User, fields: dict[str, Any]) -> Invoice:
    """Create the invoice for ``source_key`` unless it exists, with the issuer's next number."""
    try:
        with transaction.atomic():
            number = _next_number(fields["issuer_key"])
            # Read after the lock: whoever held it before us has committed its invoice.
            existing = Invoice.objects.filter(source_key=source_key, corrects__isnull=True).first()
            if existing is not None:
                transaction.set_rollback(True)  # give the number back
                return existing
            invoice = Invoice.objects.create(
                number=number,
                source_key=source_key,
                milestone_id=milestone_id,
                worker=worker,
                **fields,
            )
            audit_record(
                actor=None,
                subject=invoice,
                event="invoice.issued",
                after={"number": invoice.display_number, "source": source_key},
            )
            return invoice
    except IntegrityError:
        # Another connection issued it between our read and our insert (without a row lock,
        # as SQLite does): the unique constraint kept it to one.
        return Invoice.objects.get(source_key=source_key, corrects__isnull=True)


def invoices_issue_for_milestones(*, worker: User, milestone_ids: list[int]) -> list[Invoice]:
    """Issue every invoice due for these paid milestones of ``worker``; the existing are kept."""
    issued: list[Invoice] = []
    paid_rows = paid_milestones(worker=worker, milestone_ids=milestone_ids)
    if not paid_rows:
        return issued
    fee_times = dict(
        Transfer.objects.filter(key__in=[f"fee:m{p.milestone_id}" for p in paid_rows]).values_list(
            "key", "created_at"
        )
    )
    issuer = registered_issuer(worker)
    # Those issued already are skipped without a lock; _issue checks again under the lock.
    keys = [f"{part}:m{p.milestone_id}" for p in paid_rows for part in ("fee", "release")]
    done = {
        invoice.source_key: invoice
        for invoice in Invoice.objects.filter(source_key__in=keys, corrects__isnull=True)
    }
    for paid in paid_rows:
        fee_key = f"fee:m{paid.milestone_id}"
        release_key = f"release:m{paid.milestone_id}"
        if fee_key in done:
            issued.append(done[fee_key])
        elif paid.platform_fee and fee_key in fee_times:
            issued.append(
                _issue(
                    source_key=fee_key,
                    milestone_id=paid.milestone_id,
                    worker=worker,
                    fields=_fee_invoice_fields(paid, worker, fee_times[fee_key]),
                )
            )
        if release_key in done:
            issued.append(done[release_key])
        elif issuer is not None:
            issued.append(
                _issue(
                    source_key=release_key,
                    milestone_id=paid.milestone_id,
                    worker=worker,
                    fields=_payment_invoice_fields(paid, worker, issuer),
                )
            )
    return issued


def invoices_issue_for_contract(*, contract_id: int) -> list[Invoice]:
    milestones = list(
        Milestone.objects.filter(contract_id=contract_id, released_amount__gt=0).select_related(
            "contract__worker"
        )
    )
    if not milestones:
        return []
    worker = milestones[0].contract.worker
    return invoices_issue_for_milestones(worker=worker, milestone_ids=[m.pk for m in milestones])


def on_milestone_paid(sender: object, *, contract_id: int, **kwargs: Any) -> None:
    """Receiver of ``contracts.signals.milestone_paid`` (after commit)."""
    invoices_issue_for_contract(contract_id=contract_id)


def invoices_issue_missing(*, limit: int = 200) -> int:
    """Issue the invoices a failed receiver missed. Idempotent: run it as often as you like."""
    issued_keys = Invoice.objects.filter(corrects__isnull=True).values("source_key")
    candidates = {
        int(pk)
        for pk in Transfer.objects.filter(cause_type="milestone", reason="platform_fee")
        .exclude(key__in=issued_keys)
        .values_list("cause_id", flat=True)[:limit]
    }
    registered = BusinessDetails.objects.exclude(registration_number="").values("user_id")
    candidates |= set(
        Milestone.objects.filter(released_amount__gt=0, contract__worker_id__in=registered)
        .exclude(
            pk__in=Invoice.objects.filter(
                kind=InvoiceKind.CLIENT_PAYMENT, corrects__isnull=True
            ).values("milestone_id")
        )
        .values_list("pk", flat=True)[:limit]
    )
    by_worker: dict[int, list[int]] = {}
    for pk, worker_id in Milestone.objects.filter(pk__in=candidates).values_list(
        "pk", "contract__worker_id"
    ):
        by_worker.setdefault(worker_id, []).append(pk)
    before = Invoice.objects.count()
    for worker in User.objects.filter(pk__in=by_worker):
        invoices_issue_for_milestones(worker=worker, milestone_ids=by_worker[worker.pk])
    return Invoice.objects.count() - before


def invoice_correct(*, invoice: Invoice, by: User, reason: str) -> Invoice:
    """A staff member corrects an invoice: a new invoice with the issuer's next number, the names
    and figures as they stand now, naming the one it corrects. The old one is never changed."""
    if not by.is_staff:
        raise BillingError.refuse("not_staff")
    reason = reason.strip()
    if not reason:
        raise BillingError.refuse("reason_required", field="reason")
    worker = invoice.worker
    paid_rows = paid_milestones(worker=worker, milestone_ids=[invoice.milestone_id])
    if not paid_rows:
        raise BillingError.refuse("invoice_not_found")
    paid = paid_rows[0]
    if invoice.kind == InvoiceKind.PLATFORM_FEE:
        fee_at = Transfer.objects.get(key=invoice.source_key).created_at
        fields = _fee_invoice_fields(paid, worker, fee_at)
    else:
        issuer = registered_issuer(worker)
        if issuer is None:
            raise BillingError.refuse("not_a_registered_issuer")
        fields = _payment_invoice_fields(paid, worker, issuer)
    fields["issued_on"] = timezone.now().astimezone(TAX_TIME_ZONE).date()
    fields["document"]["issued_on"] = fields["issued_on"].isoformat()
    fields["document"]["corrects"] = {
        "number": invoice.display_number,
        "issued_on": invoice.issued_on.isoformat(),
    }
    fields["document"]["correction_reason"] = reason
    with transaction.atomic():
        number = _next_number(fields["issuer_key"])
        correction = Invoice.objects.create(
            number=number,
            source_key=invoice.source_key,
            milestone_id=invoice.milestone_id,
            worker=worker,
            corrects=invoice,
            correction_reason=reason,
            **fields,
        )
        audit_record(
            actor=by,
            subject=correction,
            event="invoice.corrected",
            before={"number": invoice.display_number},
            after={"number": correction.display_number, "reason": reason},
        )
    return correction
