"""The client offers written terms; the worker accepts or declines them."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import BusinessDetails, BusinessKind, User
from tsunagu.audit.services import audit_record
from tsunagu.contracts import fees
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import MAX_WEEKLY_HOURS, Contract, Milestone, Terms
from tsunagu.contracts.services.shared import (
    check_allowed,
    contract_url,
    lock_contract,
    move_contract,
    role_of,
)
from tsunagu.contracts.states import Action, ContractStatus, MilestoneStatus
from tsunagu.notifications.services import notify

SUPPORTED_CURRENCIES = ("JPY",)
MAX_MILESTONE_AMOUNT = 5_000_000
MAX_MILESTONES = 20
MAX_PAYMENT_DAYS_AFTER_DELIVERY = 60  # フリーランス・事業者間取引適正化等法 第4条
DEFAULT_DELIVERY_METHOD = "Tsunagu上での納品（ファイルのアップロード）"
PAYMENT_METHOD = "Tsunagu の仮払い（エスクロー）からの支払い"


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    amount: int
    due_date: datetime.date


def contract_parties_lock(*, client_id: int, worker_id: int) -> None:
    """Lock both accounts' rows, in one order, inside the caller's transaction; refuse a closed one.

    Closing an account locks its row before it checks for open contracts, so an offer made at
    that moment is either seen by the closing or refused here. A caller that locks other rows
    the closing also takes (a proposal) calls this first, so that the two never wait on each other.
    """
    parties = User.objects.select_for_update().filter(pk__in=[client_id, worker_id])
    if not all(parties.order_by("pk").values_list("is_active", flat=True)):
        raise ContractError.refuse("closed_account")


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
    weekly_hours: int | None = None,
    today: datetime.date | None = None,
) -> Contract:
    """The client offers written terms; they become binding when the worker accepts them.
    ``weekly_hours`` is the estimate of the hours the work takes a week (not a term)."""
    today = today or timezone.localdate()
    if client.pk == worker.pk:
        raise ContractError.refuse("self_contract")
    if not worker.is_active or not client.is_active:
        raise ContractError.refuse("closed_account")
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
    if weekly_hours is not None and (
        isinstance(weekly_hours, bool)
        or not isinstance(weekly_hours, int)
        or not 1 <= weekly_hours <= MAX_WEEKLY_HOURS
    ):
        errors.setdefault("weekly_hours", []).append(
            _("Estimate between 1 and %(max)d hours a week.") % {"max": MAX_WEEKLY_HOURS}
        )
    if errors:
        raise ValidationError(errors)
    worker_business = BusinessDetails.objects.filter(user=worker).first()
    worker_is_individual = (
        worker_business is None or worker_business.kind == BusinessKind.INDIVIDUAL
    )
    withholding_applies = withholding_category and worker_is_individual
    with transaction.atomic():
        contract_parties_lock(client_id=client.pk, worker_id=worker.pk)
        contract = Contract.objects.create(
            client=client,
            worker=worker,
            title=title.strip(),
            currency=currency,
            weekly_hours=weekly_hours,
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
            url=contract_url(contract),
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
        contract = lock_contract(contract.pk)
        check_allowed(Action.ACCEPT_TERMS, role=role_of(contract, by), contract=contract)
        move_contract(contract, ContractStatus.ACTIVE, by=by, event="contract.terms_accepted")
        contract.accepted_at = timezone.now()
        contract.save(update_fields=["accepted_at"])
        notify(
            user=contract.client,
            kind="contract.terms_accepted",
            message=lambda: (
                _("The worker accepted the terms of %(title)s. Fund the escrow to start.")
                % {"title": contract.title}
            ),
            url=contract_url(contract),
        )
    return contract


def contract_decline(*, contract: Contract, by: User) -> Contract:
    with transaction.atomic():
        contract = lock_contract(contract.pk)
        check_allowed(Action.DECLINE, role=role_of(contract, by), contract=contract)
        move_contract(contract, ContractStatus.DECLINED, by=by, event="contract.declined")
        contract.milestones.update(status=MilestoneStatus.CANCELLED, closed_at=timezone.now())
        notify(
            user=contract.client,
            kind="contract.declined",
            message=lambda: (
                _("The worker declined the offer %(title)s.") % {"title": contract.title}
            ),
            url=contract_url(contract),
        )
    return contract
