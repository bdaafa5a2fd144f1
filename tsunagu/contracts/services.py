"""Every change to a contract, one function per transition.

Each write runs in one transaction that locks the contract row, then the milestone row, then
(through the ledger) the accounts, always in that order; checks who is acting and the current
status under the lock; records an audit row; and sends notifications after commit. Calling an
action twice (a double click) finds the status already moved and is refused without effect.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import BusinessDetails, BusinessKind, User
from tsunagu.audit.services import audit_record
from tsunagu.contracts import fees
from tsunagu.contracts.deliverables import DeliverableProblem, check_deliverable
from tsunagu.contracts.errors import ContractError, refuse
from tsunagu.contracts.models import (
    CancellationRequest,
    Contract,
    Delivery,
    DeliveryFile,
    Dispute,
    DisputeStatus,
    Milestone,
    ProposalStatus,
    RevisionRequest,
    Terms,
)
from tsunagu.contracts.states import (
    CONTRACT_TRANSITIONS,
    ESCROWED,
    FINAL,
    MILESTONE_TRANSITIONS,
    ContractStatus,
    MilestoneStatus,
    can_move,
)
from tsunagu.core.uploads import check_upload
from tsunagu.ledger.models import AccountKind
from tsunagu.ledger.services import (
    ErrorCode,
    LedgerError,
    TransferKind,
    TransferRequest,
    account_open,
    platform_account,
    transfers_create,
    wallet_account,
)
from tsunagu.notifications.services import notify
from tsunagu.payments.models import Payment, PaymentKind
from tsunagu.payments.services import on_payment, payment_start

SUPPORTED_CURRENCIES = ("JPY",)
MAX_MILESTONE_AMOUNT = 5_000_000
MAX_MILESTONES = 20
MAX_PAYMENT_DAYS_AFTER_DELIVERY = 60  # フリーランス・事業者間取引適正化等法 第4条
MAX_DELIVERY_FILES = 10
MAX_DELIVERY_FILE_BYTES = 20 * 1024 * 1024
DELIVERY_KINDS = {"png", "jpeg", "gif", "webp", "pdf", "zip", "text"}
DEFAULT_DELIVERY_METHOD = "Tsunagu上での納品（ファイルのアップロード）"
PAYMENT_METHOD = "Tsunagu の仮払い（エスクロー）からの支払い"


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    amount: int
    due_date: datetime.date


# --- offer and terms ------------------------------------------------------------------------


def contract_offer(
    *,
    client: User,
    worker: User,
    title: str,
    description: str,
    deliverables: str,
    milestones: Sequence[MilestoneInput],
    payment_due: datetime.date,
    inspection_days: int = 7,
    revision_limit: int = 2,
    withholding_category: bool = False,
    currency: str = "JPY",
    delivery_method: str = "",
    today: datetime.date | None = None,
) -> Contract:
    """The client offers written terms; they become binding when the worker accepts them."""
    today = today or timezone.localdate()
    if client.pk == worker.pk:
        raise refuse("self_contract")
    errors = _validate_offer(
        title=title,
        description=description,
        deliverables=deliverables,
        milestones=milestones,
        payment_due=payment_due,
        inspection_days=inspection_days,
        revision_limit=revision_limit,
        currency=currency,
        today=today,
    )
    if errors:
        raise ValidationError(errors)
    worker_business = BusinessDetails.objects.filter(user=worker).first()
    worker_is_individual = (
        worker_business is None or worker_business.kind == BusinessKind.INDIVIDUAL
    )
    withholding_applies = withholding_category and worker_is_individual
    with transaction.atomic():
        contract = Contract.objects.create(
            client=client, worker=worker, title=title.strip(), currency=currency
        )
        rows = []
        for position, item in enumerate(milestones, start=1):
            rows.append(
                Milestone(
                    contract=contract,
                    position=position,
                    title=item.title.strip(),
                    amount=item.amount,
                    tax=fees.consumption_tax(item.amount),
                    due_date=item.due_date,
                )
            )
        Milestone.objects.bulk_create(rows)
        total = sum(m.amount for m in rows)
        tax = sum(m.tax for m in rows)
        withholding = sum(fees.withholding(m.amount) for m in rows) if withholding_applies else 0
        last_due = max(m.due_date for m in rows)
        data: dict[str, Any] = {
            "version": 1,
            "client_name": _party_name(client),
            "worker_name": _party_name(worker),
            "commissioned_on": today.isoformat(),
            "title": contract.title,
            "description": description.strip(),
            "deliverables": deliverables.strip(),
            "delivery_method": delivery_method.strip() or DEFAULT_DELIVERY_METHOD,
            "milestones": [
                {
                    "position": m.position,
                    "title": m.title,
                    "amount": m.amount,
                    "tax": m.tax,
                    "due_date": m.due_date.isoformat(),
                }
                for m in rows
            ],
            "inspection_days": inspection_days,
            "inspection_completed_by": (
                last_due + datetime.timedelta(days=inspection_days)
            ).isoformat(),
            "revision_limit": revision_limit,
            "currency": currency,
            "amount": total,
            "consumption_tax": tax,
            "withholding_applies": withholding_applies,
            "withholding": withholding,
            "total": total + tax,
            "payment_due": payment_due.isoformat(),
            "payment_method": PAYMENT_METHOD,
        }
        Terms.objects.create(contract=contract, data=data, sha256=terms_hash(data))
        audit_record(
            actor=client, subject=contract, event="contract.offered", after={"terms": data}
        )
        notify(
            user=worker,
            kind="contract.offered",
            message=lambda: (
                _("%(client)s sent you an offer: %(title)s")
                % {"client": data["client_name"], "title": contract.title}
            ),
            url=_contract_url(contract),
        )
    return contract


def terms_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _party_name(user: User) -> str:
    business = BusinessDetails.objects.filter(user=user).first()
    if business is not None and business.legal_name:
        return business.legal_name
    if user.legal_name:
        return user.legal_name
    return user.profile.display_name


def _validate_offer(
    *,
    title: str,
    description: str,
    deliverables: str,
    milestones: Sequence[MilestoneInput],
    payment_due: datetime.date,
    inspection_days: int,
    revision_limit: int,
    currency: str,
    today: datetime.date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not title.strip() or len(title) > 120:
        add("title", _("Enter a title of at most 120 characters."))
    if not description.strip() or len(description) > 5000:
        add("description", _("Describe the work in at most 5,000 characters."))
    if not deliverables.strip() or len(deliverables) > 2000:
        add("deliverables", _("Say what will be delivered, in at most 2,000 characters."))
    if currency not in SUPPORTED_CURRENCIES:
        add("currency", _("Contracts are paid in Japanese yen (JPY)."))
    if not 1 <= inspection_days <= 30:
        add("inspection_days", _("The inspection period must be between 1 and 30 days."))
    if not 0 <= revision_limit <= 10:
        add("revision_limit", _("Allow between 0 and 10 revision requests."))
    if not milestones:
        add("milestones", _("Add at least one milestone."))
    if len(milestones) > MAX_MILESTONES:
        add("milestones", _("A contract has at most 20 milestones."))
    for item in milestones:
        if isinstance(item.amount, bool) or not isinstance(item.amount, int):
            add("milestones", _("Amounts are whole numbers of yen."))
        elif item.amount <= 0:
            add("milestones", _("Each milestone's fee must be more than zero."))
        elif item.amount > MAX_MILESTONE_AMOUNT:
            add("milestones", _("A milestone's fee can be at most ¥5,000,000."))
        if not item.title.strip() or len(item.title) > 120:
            add("milestones", _("Each milestone needs a title of at most 120 characters."))
        if item.due_date < today:
            add("milestones", _("A delivery date cannot be in the past."))
    if milestones and not errors.get("milestones"):
        last_due = max(m.due_date for m in milestones)
        if payment_due > last_due + datetime.timedelta(days=MAX_PAYMENT_DAYS_AFTER_DELIVERY):
            add(
                "payment_due",
                _(
                    "The payment due date must be within 60 days of delivery, as the Freelance Act requires."
                ),
            )
        if payment_due < last_due:
            add("payment_due", _("The payment due date cannot be before the delivery date."))
    return errors


def contract_accept_terms(*, contract: Contract, by: User) -> Contract:
    with transaction.atomic():
        contract = _lock_contract(contract.pk)
        if by.pk != contract.worker_id:
            raise refuse("not_the_worker")
        _move_contract(contract, ContractStatus.ACTIVE, by=by, event="contract.terms_accepted")
        contract.accepted_at = timezone.now()
        contract.save(update_fields=["accepted_at"])
        notify(
            user=contract.client,
            kind="contract.terms_accepted",
            message=lambda: (
                _("The worker accepted the terms of %(title)s. Fund the escrow to start.")
                % {"title": contract.title}
            ),
            url=_contract_url(contract),
        )
    return contract


def contract_decline(*, contract: Contract, by: User) -> Contract:
    with transaction.atomic():
        contract = _lock_contract(contract.pk)
        if by.pk != contract.worker_id:
            raise refuse("not_the_worker")
        _move_contract(contract, ContractStatus.DECLINED, by=by, event="contract.declined")
        contract.milestones.update(status=MilestoneStatus.CANCELLED, closed_at=timezone.now())
        notify(
            user=contract.client,
            kind="contract.declined",
            message=lambda: (
                _("The worker declined the offer %(title)s.") % {"title": contract.title}
            ),
            url=_contract_url(contract),
        )
    return contract


def contract_cancel(*, contract: Contract, by: User) -> Contract:
    """Cancel while no money is held: free of charge for both sides."""
    with transaction.atomic():
        contract = _lock_contract(contract.pk)
        if not contract.is_party(by.pk):
            raise refuse("not_a_party")
        milestones = list(contract.milestones.select_for_update().order_by("pk"))
        if any(m.status == MilestoneStatus.FUNDING for m in milestones):
            raise refuse("payment_in_progress")
        if any(m.status in ESCROWED for m in milestones):
            raise refuse("money_in_escrow")
        # Work already paid for stays paid: such a contract ends as completed, not cancelled.
        paid = any(
            m.status in (MilestoneStatus.RELEASED, MilestoneStatus.SETTLED) for m in milestones
        )
        target = ContractStatus.COMPLETED if paid else ContractStatus.CANCELLED
        _move_contract(contract, target, by=by, event="contract.cancelled")
        contract.milestones.filter(status=MilestoneStatus.UNFUNDED).update(
            status=MilestoneStatus.CANCELLED, closed_at=timezone.now()
        )
        if paid:
            contract.closed_at = timezone.now()
            contract.save(update_fields=["closed_at"])
        other = contract.other_party(by.pk)
        notify(
            user=other,
            kind="contract.cancelled",
            message=lambda: (
                (
                    _("The remaining work of %(title)s was cancelled; what was paid stays paid.")
                    if paid
                    else _("%(title)s was cancelled before any payment.")
                )
                % {"title": contract.title}
            ),
            url=_contract_url(contract),
        )
    return contract


# --- funding --------------------------------------------------------------------------------


def milestone_fund_from_wallet(*, milestone: Milestone, by: User) -> Milestone:
    """Hold the milestone's amount from the client's wallet balance in escrow."""
    with transaction.atomic():
        contract, milestone = _lock(milestone)
        _check_fundable(contract, milestone, by)
        try:
            _hold(contract, milestone)
        except LedgerError as exc:
            if exc.code is ErrorCode.EXCEEDS_CREDITS:
                raise refuse("insufficient_balance") from exc
            raise
        _funded(contract, milestone, by=by, via="wallet")
    return milestone


def milestone_fund_start(*, milestone: Milestone, by: User) -> Payment:
    """Start paying the milestone by card. The caller then runs ``payment_execute`` outside
    any transaction; the payment handlers below finish the funding."""
    with transaction.atomic():
        contract, milestone = _lock(milestone)
        _check_fundable(contract, milestone, by)
        _move_milestone(milestone, MilestoneStatus.FUNDING, by=by, event="milestone.funding")
        return payment_start(
            user_id=contract.client_id,
            kind=PaymentKind.FUND,
            amount=milestone.gross,
            currency=contract.currency,
            cause_type="milestone",
            cause_id=str(milestone.pk),
        )


def _check_fundable(contract: Contract, milestone: Milestone, by: User) -> None:
    if by.pk != contract.client_id:
        raise refuse("not_the_client")
    if contract.status != ContractStatus.ACTIVE or milestone.status != MilestoneStatus.UNFUNDED:
        if milestone.status == MilestoneStatus.FUNDING:
            raise refuse("payment_in_progress")
        raise refuse("wrong_state")


def _hold(
    contract: Contract, milestone: Milestone, *, extra: Sequence[TransferRequest] = ()
) -> None:
    client_wallet = wallet_account(user_id=contract.client_id, currency=contract.currency)
    escrow = account_open(
        code=contract.escrow_code, kind=AccountKind.ESCROW, currency=contract.currency
    )
    transfers_create(
        transfers=[
            *extra,
            TransferRequest(
                key=milestone.hold_key,
                kind=TransferKind.PENDING,
                debit_account_id=client_wallet.pk,
                credit_account_id=escrow.pk,
                amount=milestone.gross,
                currency=contract.currency,
                reason="fund",
                cause_type="milestone",
                cause_id=str(milestone.pk),
            ),
        ]
    )


def _funded(contract: Contract, milestone: Milestone, *, by: User | None, via: str) -> None:
    _move_milestone(
        milestone, MilestoneStatus.FUNDED, by=by, event="milestone.funded", note={"via": via}
    )
    milestone.funded_at = timezone.now()
    milestone.save(update_fields=["funded_at"])
    notify(
        user=contract.worker,
        kind="milestone.funded",
        message=lambda: (
            _("The escrow for %(milestone)s is funded. You can start the work.")
            % {"milestone": milestone.title}
        ),
        url=_contract_url(contract),
    )


def _fund_payment_succeeded(payment: Payment) -> None:
    """Card money arrived: it lands in the client's wallet and, in the same batch, is held."""
    clearing = platform_account(kind=AccountKind.PROVIDER_CLEARING, currency=payment.currency)
    client_wallet = wallet_account(user_id=payment.user_id, currency=payment.currency)
    top_up = TransferRequest(
        key=f"payment:{payment.key}",
        debit_account_id=clearing.pk,
        credit_account_id=client_wallet.pk,
        amount=payment.amount,
        currency=payment.currency,
        reason="top_up",
        cause_type="payment",
        cause_id=str(payment.pk),
    )
    milestone = Milestone.objects.get(pk=int(payment.cause_id))
    contract, milestone = _lock(milestone)
    if milestone.status == MilestoneStatus.FUNDING and milestone.gross == payment.amount:
        _hold(contract, milestone, extra=[top_up])
        _funded(contract, milestone, by=None, via="card")
    else:
        # The milestone moved on meanwhile: keep the money safe in the client's wallet.
        transfers_create(transfers=[top_up])


def _fund_payment_declined(payment: Payment) -> None:
    milestone = Milestone.objects.get(pk=int(payment.cause_id))
    contract, milestone = _lock(milestone)
    if milestone.status == MilestoneStatus.FUNDING:
        _move_milestone(
            milestone,
            MilestoneStatus.UNFUNDED,
            by=None,
            event="milestone.funding_declined",
            note={"decline_code": payment.decline_code},
        )
        notify(
            user=contract.client,
            kind="milestone.funding_declined",
            message=lambda: (
                _("The payment for %(milestone)s was declined. Nothing was charged.")
                % {"milestone": milestone.title}
            ),
            url=_contract_url(contract),
        )


on_payment(PaymentKind.FUND, succeeded=_fund_payment_succeeded, declined=_fund_payment_declined)


# --- delivery and inspection ----------------------------------------------------------------


def delivery_submit(
    *, milestone: Milestone, by: User, message: str, files: Sequence[UploadedFile]
) -> Delivery:
    """Hand over a version of the work. Files are checked before anything is stored."""
    if not message.strip() or len(message) > 5000:
        raise ValidationError({"message": [_("Write a message of at most 5,000 characters.")]})
    if len(files) > MAX_DELIVERY_FILES:
        raise ValidationError({"files": [_("Deliver at most 10 files at a time.")]})
    checked = []
    for upload in files:
        try:
            check_upload(upload, allowed_kinds=DELIVERY_KINDS, max_bytes=MAX_DELIVERY_FILE_BYTES)
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from exc
        upload.seek(0)
        try:
            result = check_deliverable(upload.name or "file", upload)  # type: ignore[arg-type]
        except DeliverableProblem as exc:
            raise ValidationError({"files": [_deliverable_message(exc)]}) from exc
        upload.seek(0)
        checked.append((upload, result))
    with transaction.atomic():
        contract, milestone = _lock(milestone)
        if by.pk != contract.worker_id:
            raise refuse("not_the_worker")
        if milestone.status in (MilestoneStatus.UNFUNDED, MilestoneStatus.FUNDING):
            raise refuse("not_funded")
        if milestone.status not in (MilestoneStatus.FUNDED, MilestoneStatus.REVISION_REQUESTED):
            raise refuse("wrong_state")
        version = milestone.deliveries.count() + 1
        delivery = Delivery.objects.create(
            milestone=milestone, version=version, message=message.strip(), created_by=by
        )
        for upload, result in checked:
            DeliveryFile.objects.create(
                delivery=delivery,
                file=upload,
                name=result.name[:200],
                size=result.size,
                sha256=result.sha256,
            )
        _move_milestone(
            milestone,
            MilestoneStatus.DELIVERED,
            by=by,
            event="milestone.delivered",
            note={"version": version},
        )
        now = timezone.now()
        milestone.delivered_at = now
        milestone.inspection_deadline = now + datetime.timedelta(
            days=_terms(contract)["inspection_days"]
        )
        milestone.save(update_fields=["delivered_at", "inspection_deadline"])
        notify(
            user=contract.client,
            kind="milestone.delivered",
            message=lambda: (
                _("%(milestone)s was delivered (version %(version)s). Please inspect it.")
                % {"milestone": milestone.title, "version": version}
            ),
            url=_contract_url(contract),
        )
    return delivery


def _deliverable_message(problem: DeliverableProblem) -> str:
    messages = {
        "empty_file": _("%(name)s is empty."),
        "empty_document": _("%(name)s has no content. Check that you attached the finished file."),
        "damaged_file": _("%(name)s is damaged and cannot be opened."),
        "too_large_uncompressed": _("%(name)s expands to too much data."),
    }
    return messages.get(problem.code, _("%(name)s cannot be delivered.")) % {"name": problem.name}


def milestone_request_revision(*, milestone: Milestone, by: User, message: str) -> RevisionRequest:
    if not message.strip() or len(message) > 5000:
        raise ValidationError(
            {"message": [_("Say what should change, in at most 5,000 characters.")]}
        )
    with transaction.atomic():
        contract, milestone = _lock(milestone)
        if by.pk != contract.client_id:
            raise refuse("not_the_client")
        if milestone.status != MilestoneStatus.DELIVERED:
            raise refuse("wrong_state")
        if milestone.revisions_used >= _terms(contract)["revision_limit"]:
            raise refuse("revision_limit")
        latest = milestone.deliveries.order_by("-version").first()
        assert latest is not None
        request = RevisionRequest.objects.create(
            milestone=milestone, delivery=latest, message=message.strip(), created_by=by
        )
        milestone.revisions_used += 1
        milestone.inspection_deadline = None
        milestone.save(update_fields=["revisions_used", "inspection_deadline"])
        _move_milestone(
            milestone,
            MilestoneStatus.REVISION_REQUESTED,
            by=by,
            event="milestone.revision_requested",
        )
        notify(
            user=contract.worker,
            kind="milestone.revision_requested",
            message=lambda: (
                _("The client asked for a revision of %(milestone)s.")
                % {"milestone": milestone.title}
            ),
            url=_contract_url(contract),
        )
    return request


def milestone_accept(
    *, milestone: Milestone, by: User | None, now: datetime.datetime | None = None
) -> Milestone:
    """The client accepts the delivery (or the inspection period ended: ``by`` is None) and the
    worker is paid from escrow, less the platform fee and withholding tax."""
    with transaction.atomic():
        contract, milestone = _lock(milestone)
        if by is not None and by.pk != contract.client_id:
            raise refuse("not_the_client")
        if milestone.status != MilestoneStatus.DELIVERED:
            raise refuse("wrong_state")
        if by is None and (
            milestone.inspection_deadline is None
            or milestone.inspection_deadline > (now or timezone.now())
        ):
            raise refuse("wrong_state")
        event = "milestone.accepted" if by is not None else "milestone.auto_accepted"
        _settle(contract, milestone, release_amount=milestone.amount, by=by, event=event)
    return milestone


def milestones_auto_accept_due(*, now: datetime.datetime | None = None) -> int:
    """Accept deliveries whose inspection period has ended. Each fires once, whatever restarts."""
    now = now or timezone.now()
    due = Milestone.objects.filter(
        status=MilestoneStatus.DELIVERED, inspection_deadline__lte=now
    ).values_list("pk", flat=True)
    accepted = 0
    for pk in list(due[:200]):
        try:
            milestone_accept(milestone=Milestone(pk=pk), by=None, now=now)
        except ContractError:
            continue  # accepted, disputed or revised in the meantime
        accepted += 1
    return accepted


# --- cancellation by agreement, disputes ----------------------------------------------------


def cancellation_propose(
    *, milestone: Milestone, by: User, release_amount: int, reason: str
) -> CancellationRequest:
    if not reason.strip() or len(reason) > 2000:
        raise ValidationError({"reason": [_("Give a reason of at most 2,000 characters.")]})
    with transaction.atomic():
        contract, milestone = _lock(milestone)
        if not contract.is_party(by.pk):
            raise refuse("not_a_party")
        if milestone.status not in ESCROWED or milestone.status == MilestoneStatus.DISPUTED:
            raise refuse("wrong_state")
        _check_release_amount(release_amount, milestone)
        if milestone.cancellations.filter(status=ProposalStatus.OPEN).exists():
            raise refuse("open_request")
        request = CancellationRequest.objects.create(
            milestone=milestone,
            requested_by=by,
            release_amount=release_amount,
            reason=reason.strip(),
        )
        audit_record(
            actor=by,
            subject=contract,
            event="cancellation.proposed",
            after={"milestone": milestone.pk, "release_amount": release_amount},
        )
        other = contract.other_party(by.pk)
        notify(
            user=other,
            kind="cancellation.proposed",
            message=lambda: (
                _("A cancellation of %(milestone)s was proposed. Please answer it.")
                % {"milestone": milestone.title}
            ),
            url=_contract_url(contract),
        )
    return request


def cancellation_respond(
    *, request: CancellationRequest, by: User, accept: bool
) -> CancellationRequest:
    with transaction.atomic():
        contract, milestone = _lock(request.milestone)
        request = CancellationRequest.objects.select_for_update().get(pk=request.pk)
        if not contract.is_party(by.pk):
            raise refuse("not_a_party")
        if request.requested_by_id == by.pk:
            raise refuse("own_request")
        if request.status != ProposalStatus.OPEN:
            raise refuse("wrong_state")
        request.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at"])
        if accept:
            if milestone.status not in ESCROWED or milestone.status == MilestoneStatus.DISPUTED:
                raise refuse("wrong_state")
            _settle(
                contract,
                milestone,
                release_amount=request.release_amount,
                by=by,
                event="milestone.cancelled_by_agreement",
            )
        else:
            audit_record(
                actor=by,
                subject=contract,
                event="cancellation.declined",
                after={"request": request.pk},
            )
    return request


def cancellation_withdraw(*, request: CancellationRequest, by: User) -> CancellationRequest:
    with transaction.atomic():
        request = CancellationRequest.objects.select_for_update().get(pk=request.pk)
        if request.requested_by_id != by.pk:
            raise refuse("not_the_requester")
        if request.status != ProposalStatus.OPEN:
            raise refuse("wrong_state")
        request.status = ProposalStatus.WITHDRAWN
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at"])
    return request


def dispute_open(*, milestone: Milestone, by: User, reason: str) -> Dispute:
    if not reason.strip() or len(reason) > 5000:
        raise ValidationError({"reason": [_("Describe the problem in at most 5,000 characters.")]})
    with transaction.atomic():
        contract, milestone = _lock(milestone)
        if not contract.is_party(by.pk):
            raise refuse("not_a_party")
        if milestone.status not in ESCROWED or milestone.status == MilestoneStatus.DISPUTED:
            raise refuse("wrong_state")
        dispute = Dispute.objects.create(
            milestone=milestone,
            opened_by=by,
            reason=reason.strip(),
            previous_status=milestone.status,
        )
        milestone.cancellations.filter(status=ProposalStatus.OPEN).update(
            status=ProposalStatus.WITHDRAWN, decided_at=timezone.now()
        )
        _move_milestone(milestone, MilestoneStatus.DISPUTED, by=by, event="milestone.disputed")
        other = contract.other_party(by.pk)
        notify(
            user=other,
            kind="milestone.disputed",
            message=lambda: (
                _(
                    "A dispute was opened on %(milestone)s. Staff will review the conversation and decide."
                )
                % {"milestone": milestone.title}
            ),
            url=_contract_url(contract),
        )
    return dispute


def dispute_decide(*, dispute: Dispute, by: User, release_amount: int, note: str) -> Dispute:
    """Staff decide: how much of the fee the worker receives; the rest is refunded."""
    if not by.is_staff:
        raise refuse("not_staff")
    if not note.strip():
        raise ValidationError({"note": [_("Explain the decision; both parties will see it.")]})
    with transaction.atomic():
        contract, milestone = _lock(dispute.milestone)
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if dispute.status != DisputeStatus.OPEN or milestone.status != MilestoneStatus.DISPUTED:
            raise refuse("wrong_state")
        _check_release_amount(release_amount, milestone)
        dispute.status = DisputeStatus.DECIDED
        dispute.release_amount = release_amount
        dispute.decision_note = note.strip()
        dispute.decided_by = by
        dispute.decided_at = timezone.now()
        dispute.save()
        _settle(contract, milestone, release_amount=release_amount, by=by, event="dispute.decided")
        for party in (contract.client, contract.worker):
            notify(
                user=party,
                kind="dispute.decided",
                message=lambda: (
                    _("Staff decided the dispute on %(milestone)s.")
                    % {"milestone": milestone.title}
                ),
                url=_contract_url(contract),
            )
    return dispute


def _check_release_amount(release_amount: int, milestone: Milestone) -> None:
    if isinstance(release_amount, bool) or not isinstance(release_amount, int):
        raise ValidationError({"release_amount": [_("Amounts are whole numbers of yen.")]})
    if not 0 <= release_amount <= milestone.amount:
        raise ValidationError(
            {"release_amount": [_("Choose an amount between ¥0 and the milestone's fee.")]}
        )


# --- money out of escrow --------------------------------------------------------------------


def _settle(
    contract: Contract, milestone: Milestone, *, release_amount: int, by: User | None, event: str
) -> None:
    """Release ``release_amount`` (tax excluded) to the worker and refund the rest, in one batch."""
    escrow = account_open(
        code=contract.escrow_code, kind=AccountKind.ESCROW, currency=contract.currency
    )

    def transfer(**fields: Any) -> TransferRequest:
        return TransferRequest(
            cause_type="milestone", cause_id=str(milestone.pk), currency=contract.currency, **fields
        )

    if release_amount == 0:
        transfers_create(
            transfers=[
                transfer(
                    key=f"refund:m{milestone.pk}",
                    kind=TransferKind.VOID,
                    pending_key=milestone.hold_key,
                    amount=0,
                    reason="refund",
                )
            ]
        )
        target = MilestoneStatus.REFUNDED
        split = None
    else:
        already = (
            contract.milestones.exclude(pk=milestone.pk).aggregate(total=Sum("released_amount"))[
                "total"
            ]
            or 0
        )
        tax = (
            milestone.tax
            if release_amount == milestone.amount
            else fees.consumption_tax(release_amount)
        )
        split = fees.release_split(
            amount=release_amount,
            tax=tax,
            already_released=already,
            withholding_applies=bool(_terms(contract)["withholding_applies"]),
        )
        worker_wallet = wallet_account(user_id=contract.worker_id, currency=contract.currency)
        transfers = [
            transfer(
                key=f"release:m{milestone.pk}",
                kind=TransferKind.POST,
                pending_key=milestone.hold_key,
                amount=split.gross,
                reason="release",
            ),
            transfer(
                key=f"pay:m{milestone.pk}",
                debit_account_id=escrow.pk,
                credit_account_id=worker_wallet.pk,
                amount=split.to_worker,
                reason="release",
            ),
        ]
        # Out of escrow besides the worker's share: the platform fee and the withholding tax.
        for key, kind, amount in (
            ("fee", AccountKind.PLATFORM_FEES, split.platform_fee),
            ("withholding", AccountKind.WITHHOLDING_PAYABLE, split.withholding),
        ):
            if amount:
                account = platform_account(kind=kind, currency=contract.currency)
                transfers.append(
                    transfer(
                        key=f"{key}:m{milestone.pk}",
                        debit_account_id=escrow.pk,
                        credit_account_id=account.pk,
                        amount=amount,
                        reason="platform_fee" if key == "fee" else key,
                    )
                )
        transfers_create(transfers=transfers)
        target = (
            MilestoneStatus.RELEASED
            if release_amount == milestone.amount
            else MilestoneStatus.SETTLED
        )
    milestone.released_amount = release_amount
    milestone.closed_at = timezone.now()
    milestone.save(update_fields=["released_amount", "closed_at"])
    note: dict[str, Any] = {"release_amount": release_amount}
    if split is not None:
        note.update(
            gross=split.gross,
            platform_fee=split.platform_fee,
            withholding=split.withholding,
            to_worker=split.to_worker,
        )
    _move_milestone(milestone, target, by=by, event=event, note=note)
    if split is not None:
        to_worker = split.to_worker
        notify(
            user=contract.worker,
            kind="milestone.released",
            message=lambda: (
                _("¥%(amount)s for %(milestone)s was paid into your balance.")
                % {"amount": f"{to_worker:,}", "milestone": milestone.title}
            ),
            url=reverse("payments:wallet"),
        )
    if release_amount < milestone.amount:
        notify(
            user=contract.client,
            kind="milestone.refunded",
            message=lambda: (
                _("The unreleased part of %(milestone)s was returned to your balance.")
                % {"milestone": milestone.title}
            ),
            url=reverse("payments:wallet"),
        )
    _close_if_done(contract, by=by)


def _close_if_done(contract: Contract, *, by: User | None) -> None:
    statuses = list(contract.milestones.values_list("status", flat=True))
    if statuses and all(s in FINAL for s in statuses):
        paid = any(s in (MilestoneStatus.RELEASED, MilestoneStatus.SETTLED) for s in statuses)
        target = ContractStatus.COMPLETED if paid else ContractStatus.CANCELLED
        _move_contract(contract, target, by=by, event=f"contract.{target}")
        contract.closed_at = timezone.now()
        contract.save(update_fields=["closed_at"])


# --- helpers --------------------------------------------------------------------------------


def _lock_contract(pk: int) -> Contract:
    return Contract.objects.select_for_update().select_related("client", "worker").get(pk=pk)


def _lock(milestone: Milestone) -> tuple[Contract, Milestone]:
    """Lock the contract, then the milestone: the one order every action uses."""
    contract_id = (
        milestone.contract_id
        if milestone.contract_id
        else Milestone.objects.values_list("contract_id", flat=True).get(pk=milestone.pk)
    )
    contract = _lock_contract(contract_id)
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    locked.contract = contract
    return contract, locked


def _terms(contract: Contract) -> dict[str, Any]:
    data: dict[str, Any] = Terms.objects.values_list("data", flat=True).get(contract=contract)
    return data


def _move_contract(contract: Contract, target: str, *, by: User | None, event: str) -> None:
    if not can_move(CONTRACT_TRANSITIONS, contract.status, target):
        raise refuse("wrong_state")
    before = contract.status
    contract.status = target
    contract.save(update_fields=["status"])
    audit_record(
        actor=by, subject=contract, event=event, before={"status": before}, after={"status": target}
    )


def _move_milestone(
    milestone: Milestone,
    target: str,
    *,
    by: User | None,
    event: str,
    note: dict[str, Any] | None = None,
) -> None:
    if not can_move(MILESTONE_TRANSITIONS, milestone.status, target):
        raise refuse("wrong_state")
    before = milestone.status
    milestone.status = target
    milestone.save(update_fields=["status"])
    audit_record(
        actor=by,
        subject=milestone.contract,
        event=event,
        before={"milestone": milestone.pk, "status": before},
        after={"milestone": milestone.pk, "status": target, **(note or {})},
    )


def _contract_url(contract: Contract) -> str:
    return reverse("contracts:detail", args=[contract.pk])


__all__ = [
    "ContractError",
    "MilestoneInput",
    "cancellation_propose",
    "cancellation_respond",
    "cancellation_withdraw",
    "contract_accept_terms",
    "contract_cancel",
    "contract_decline",
    "contract_offer",
    "delivery_submit",
    "dispute_decide",
    "dispute_open",
    "milestone_accept",
    "milestone_fund_from_wallet",
    "milestone_fund_start",
    "milestone_request_revision",
    "milestones_auto_accept_due",
    "terms_hash",
]
