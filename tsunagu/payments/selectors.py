"""Reads for the wallet: the balance, its history as readable lines, monthly totals, payments.

Nothing here writes: a person without a wallet account yet sees zeros, and no account is opened
by looking at the page.

Money moved for something another app owns (a contract's milestone) names it by a cause
(``cause_type``, ``cause_id``). This app does not know those apps: each registers, with
:func:`register_cause`, how to say what its causes are, and the history asks it for the causes
on one page at once.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.ledger.models import Account, Transfer, TransferKind
from tsunagu.ledger.selectors import wallet_find
from tsunagu.payments.models import BankAccount, Payment, PaymentKind, PaymentStatus
from tsunagu.payments.wallet import CURRENCY

HISTORY_PER_PAGE = 20
CHART_MONTHS = 12


@dataclass(frozen=True)
class WalletSummary:
    balance: int
    held: int
    available: int
    currency: str


@dataclass(frozen=True)
class CauseLink:
    """What money was moved for, as the app that owns the cause describes it."""

    contract_id: int
    contract_title: str
    milestone_title: str
    url: str


# cause ids (as stored on transfers and payments) -> what each one is; one query per call.
CauseResolver = Callable[[Collection[str]], Mapping[str, CauseLink]]
_CAUSES: dict[str, CauseResolver] = {}


def register_cause(cause_type: str, resolver: CauseResolver) -> None:
    """Let the app that owns ``cause_type`` say what wallet lines with that cause were for."""
    _CAUSES[cause_type] = resolver


@dataclass(frozen=True)
class HistoryLine:
    transfer_id: int
    created_at: datetime.datetime
    description: str
    # Change of the balance (posted money) and of the held amount, from the wallet's side.
    amount: int
    held: int
    balance_after: int
    contract_id: int | None
    contract_title: str
    contract_url: str


@dataclass(frozen=True)
class HistoryPage:
    page: Page[Transfer]
    lines: list[HistoryLine]


@dataclass(frozen=True)
class MonthTotals:
    month: datetime.date
    money_in: int
    money_out: int


def _wallet(user_id: int, currency: str) -> Account | None:
    return wallet_find(user_id=user_id, currency=currency)


def wallet_summary(*, user_id: int, currency: str = CURRENCY) -> WalletSummary:
    account = _wallet(user_id, currency)
    if account is None:
        return WalletSummary(balance=0, held=0, available=0, currency=currency)
    return WalletSummary(
        balance=account.balance,
        held=account.debits_pending,
        available=account.available,
        currency=currency,
    )


def _balance_effect(account_id: int) -> Case:
    """What a transfer did to the posted balance of ``account_id`` (0 for holds and voids)."""
    posted = [TransferKind.SINGLE, TransferKind.POST]
    return Case(
        When(Q(kind__in=posted, credit_account_id=account_id), then=F("amount")),
        When(Q(kind__in=posted, debit_account_id=account_id), then=-F("amount")),
        default=Value(0),
        output_field=IntegerField(),
    )


def _touching(account_id: int) -> QuerySet[Transfer]:
    return Transfer.objects.filter(Q(debit_account_id=account_id) | Q(credit_account_id=account_id))


def wallet_history_page(
    *, user_id: int, page_number: object = 1, currency: str = CURRENCY
) -> HistoryPage:
    """Transfers touching the person's wallet, newest first, each as a readable line.

    Queries: the account, the count, the page, the newer transfers' balance effect, the
    payments, and one per kind of cause named by the page (the milestones): constant whatever
    the number of rows.
    """
    account = _wallet(user_id, currency)
    if account is None:
        empty: Paginator[Transfer] = Paginator(Transfer.objects.none(), HISTORY_PER_PAGE)
        return HistoryPage(page=empty.get_page(1), lines=[])
    qs = _touching(account.pk).select_related("pending").order_by("-created_at", "-id")
    paginator = Paginator(qs, HISTORY_PER_PAGE)
    page = paginator.get_page(str(page_number or "1"))
    transfers = list(page.object_list)
    if not transfers:
        return HistoryPage(page=page, lines=[])
    # The balance just after the newest transfer on this page: today's balance less whatever
    # the transfers newer than it changed. On the first page nothing is newer.
    newest = transfers[0]
    newer_effect = 0
    if page.number > 1:
        newer_effect = (
            _touching(account.pk)
            .filter(
                Q(created_at__gt=newest.created_at)
                | Q(created_at=newest.created_at, id__gt=newest.pk)
            )
            .aggregate(total=Coalesce(Sum(_balance_effect(account.pk)), 0))["total"]
        )
    running = account.balance - newer_effect

    payment_ids = [int(t.cause_id) for t in transfers if t.cause_type == "payment" and t.cause_id]
    payments = (
        {p.pk: p for p in Payment.objects.filter(pk__in=payment_ids, user_id=user_id)}
        if payment_ids
        else {}
    )
    causes = {transfer.pk: _cause_of(transfer, payments) for transfer in transfers}
    links = _resolve(cause for cause in causes.values() if cause is not None)

    lines = []
    for transfer in transfers:
        amount, held = _effects(transfer, account.pk)
        cause = causes[transfer.pk]
        link = links.get(cause) if cause is not None else None
        lines.append(
            HistoryLine(
                transfer_id=transfer.pk,
                created_at=transfer.created_at,
                description=_describe(transfer, account.pk, link, payments),
                amount=amount,
                held=held,
                balance_after=running,
                contract_id=link.contract_id if link is not None else None,
                contract_title=link.contract_title if link is not None else "",
                contract_url=link.url if link is not None else "",
            )
        )
        running -= amount
    return HistoryPage(page=page, lines=lines)


def _cause_of(transfer: Transfer, payments: dict[int, Payment]) -> tuple[str, str] | None:
    """What the transfer was for: its own cause, or for a payment's money the payment's."""
    if transfer.cause_type == "payment" and transfer.cause_id.isdigit():
        payment = payments.get(int(transfer.cause_id))
        if payment is None or not payment.cause_type:
            return None
        return payment.cause_type, payment.cause_id
    if transfer.cause_type:
        return transfer.cause_type, transfer.cause_id
    return None


def _resolve(causes: Iterable[tuple[str, str]]) -> dict[tuple[str, str], CauseLink]:
    """Ask each owning app once for the causes of its type."""
    ids: dict[str, set[str]] = {}
    for cause_type, cause_id in causes:
        if cause_type in _CAUSES:
            ids.setdefault(cause_type, set()).add(cause_id)
    return {
        (cause_type, cause_id): link
        for cause_type, wanted in ids.items()
        for cause_id, link in _CAUSES[cause_type](wanted).items()
    }


def _effects(transfer: Transfer, account_id: int) -> tuple[int, int]:
    """(balance change, held change) of one transfer, from the wallet's side."""
    sign = 1 if transfer.credit_account_id == account_id else -1
    if transfer.kind == TransferKind.SINGLE:
        return sign * transfer.amount, 0
    if transfer.kind == TransferKind.PENDING:
        # Only money leaving the wallet is held from its available amount.
        return 0, transfer.amount if sign < 0 else 0
    released = transfer.pending.amount if transfer.pending is not None else transfer.amount
    held = -released if sign < 0 else 0
    if transfer.kind == TransferKind.POST:
        return sign * transfer.amount, held
    return 0, held  # void or expire: the hold ends, the balance never moved


def _describe(
    transfer: Transfer,
    account_id: int,
    link: CauseLink | None,
    payments: dict[int, Payment],
) -> str:
    incoming = transfer.credit_account_id == account_id
    reason, kind = transfer.reason, transfer.kind
    names = {
        "contract": link.contract_title if link is not None else "",
        "milestone": link.milestone_title if link is not None else "",
    }
    if reason == "top_up":
        payment = payments.get(int(transfer.cause_id)) if transfer.cause_id.isdigit() else None
        if payment is not None and payment.kind == PaymentKind.FUND and link is not None:
            return _("Card payment for %(contract)s (%(milestone)s)") % names
        return _("Top-up by card")
    if reason == "fund":
        if kind == TransferKind.PENDING:
            return _("Escrow hold for %(contract)s (%(milestone)s)") % names
        if kind == TransferKind.POST:
            return _("Escrow paid out for %(contract)s (%(milestone)s)") % names
        return _("Escrow hold returned for %(contract)s (%(milestone)s)") % names
    if reason == "release":
        if incoming:
            return _("Payment received for %(contract)s (%(milestone)s)") % names
        return _("Escrow paid out for %(contract)s (%(milestone)s)") % names
    if reason == "refund":
        return _("Refund from escrow for %(contract)s (%(milestone)s)") % names
    if reason == "payout":
        if kind == TransferKind.PENDING:
            return _("Payout to your bank account (reserved)")
        if kind == TransferKind.POST:
            return _("Payout to your bank account (sent)")
        return _("Payout declined: the amount is back in your balance")
    if reason == "payout_fee":
        if kind == TransferKind.PENDING:
            return _("Payout fee (reserved)")
        if kind == TransferKind.POST:
            return _("Payout fee")
        return _("Payout fee returned")
    if reason == "expire":
        return _("Hold expired: the amount is available again")
    if reason == "referral_reward":
        if incoming:
            return _("Referral reward received")
        return _("Referral reward paid for an introduction")
    return _("Balance change (%(reason)s)") % {"reason": reason}


def wallet_monthly_totals(
    *,
    user_id: int,
    zone: datetime.tzinfo | None = None,
    months: int = CHART_MONTHS,
    currency: str = CURRENCY,
    now: datetime.datetime | None = None,
) -> list[MonthTotals]:
    """Money in and out of the wallet per month (in ``zone``), oldest first, ``months`` long."""
    zone = zone or timezone.get_current_timezone()
    local_now = (now or timezone.now()).astimezone(zone)
    first = _month_start(local_now.date(), -(months - 1))
    month_list = [_month_start(first, i) for i in range(months)]
    totals = {m: [0, 0] for m in month_list}
    account = _wallet(user_id, currency)
    if account is not None:
        since = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
        posted = [TransferKind.SINGLE, TransferKind.POST]
        rows = (
            _touching(account.pk)
            .filter(kind__in=posted, created_at__gte=since)
            .annotate(month=TruncMonth("created_at", tzinfo=_as_zoneinfo(zone)))
            .values("month")
            .annotate(
                money_in=Coalesce(Sum("amount", filter=Q(credit_account_id=account.pk)), 0),
                money_out=Coalesce(Sum("amount", filter=Q(debit_account_id=account.pk)), 0),
            )
            .order_by("month")
        )
        for row in rows:
            month = row["month"]
            key = month.date() if isinstance(month, datetime.datetime) else month
            if key in totals:
                totals[key] = [int(row["money_in"]), int(row["money_out"])]
    return [MonthTotals(month=m, money_in=totals[m][0], money_out=totals[m][1]) for m in month_list]


def _as_zoneinfo(zone: datetime.tzinfo) -> Any:
    if isinstance(zone, zoneinfo.ZoneInfo):
        return zone
    return zoneinfo.ZoneInfo(str(zone)) if str(zone) else None


def _month_start(day: datetime.date, offset: int) -> datetime.date:
    index = day.year * 12 + (day.month - 1) + offset
    return datetime.date(index // 12, index % 12 + 1, 1)


# --- payments and the bank account ------------------------------------------------------------


def payment_get_for_user(*, user_id: int, ref: str) -> Payment:
    """A payment of this person by its key or id; anyone else's is a 404, never a 403."""
    qs = Payment.objects.filter(user_id=user_id)
    payment = qs.filter(pk=int(ref)).first() if ref.isdigit() else qs.filter(key=ref).first()
    if payment is None:
        raise Http404
    return payment


def bank_account_get(*, user_id: int) -> BankAccount | None:
    return BankAccount.objects.filter(user_id=user_id).first()


def decline_reason(code: str) -> str:
    """The provider's decline code as a sentence for the person who paid."""
    reasons = {
        "card_declined": _("The card was declined by the card issuer."),
        "insufficient_funds": _("The card has insufficient funds."),
        "amount_too_large": _("The amount is larger than the provider accepts."),
        "account_invalid": _("The bank refused the payout: check the bank account details."),
        "idempotency_key_reused": _("The payment request was inconsistent. Try again."),
    }
    return reasons.get(code, _("The payment was declined."))


def payment_status_label(payment: Payment) -> str:
    labels = {
        PaymentStatus.PROCESSING: _("Processing"),
        PaymentStatus.SUCCEEDED: _("Succeeded"),
        PaymentStatus.DECLINED: _("Declined"),
    }
    return labels.get(PaymentStatus(payment.status), payment.status)
