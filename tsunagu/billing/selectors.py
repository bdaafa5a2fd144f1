"""Reads for the tax papers and invoices. Every figure comes from the ledger's release transfers
(``tsunagu.contracts.services.settlement.settle``): per paid milestone, ``release:m<id>`` posts
what the client paid (fee plus consumption tax) out of the hold, ``pay:m<id>`` moves the worker's
share to their wallet, ``fee:m<id>`` the platform fee and ``withholding:m<id>`` the withholding
tax. Nothing is copied, so nothing can drift."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone

from tsunagu.accounts.models import BusinessDetails, User
from tsunagu.billing.errors import BillingError
from tsunagu.billing.models import Invoice
from tsunagu.contracts.models import Milestone, Terms
from tsunagu.ledger.models import Transfer, TransferKind
from tsunagu.ledger.selectors import wallet_code

# The tax year (暦年) is counted in Japan's time.
TAX_TIME_ZONE = ZoneInfo("Asia/Tokyo")
CURRENCY = "JPY"


@dataclass(frozen=True)
class PaidMilestone:
    """One release to the worker, as the ledger holds it."""

    milestone_id: int
    contract_id: int
    contract_title: str
    milestone_title: str
    client_id: int
    client_name: str
    worker_name: str
    paid_at: datetime.datetime
    gross: int  # what the client paid for it: fee plus consumption tax
    amount: int  # tax-excluded fee released
    platform_fee: int
    withholding: int
    net: int  # what reached the worker's balance

    @property
    def consumption_tax(self) -> int:
        return self.gross - self.amount

    @property
    def paid_on(self) -> datetime.date:
        return self.paid_at.astimezone(TAX_TIME_ZONE).date()


@dataclass
class Figures:
    gross: int = 0
    consumption_tax: int = 0
    platform_fee: int = 0
    withholding: int = 0
    net: int = 0
    payments: int = 0

    def add(self, paid: PaidMilestone) -> None:
        self.gross += paid.gross
        self.consumption_tax += paid.consumption_tax
        self.platform_fee += paid.platform_fee
        self.withholding += paid.withholding
        self.net += paid.net
        self.payments += 1


@dataclass
class ClientFigures(Figures):
    client_id: int = 0
    client_name: str = ""
    contract_titles: list[str] = field(default_factory=list)


@dataclass
class MonthFigures(Figures):
    month: int = 0


@dataclass
class AnnualTotals:
    year: int
    worker_name: str
    total: Figures
    clients: list[ClientFigures]
    months: list[MonthFigures]
    payments: list[PaidMilestone]


def tax_today() -> datetime.date:
    return timezone.now().astimezone(TAX_TIME_ZONE).date()


def first_year(user: User) -> int:
    return user.date_joined.astimezone(TAX_TIME_ZONE).year


def billing_years(*, user: User, today: datetime.date | None = None) -> list[int]:
    """The years there can be papers for, newest first: from the account's opening to now."""
    this_year = (today or tax_today()).year
    return list(range(this_year, first_year(user) - 1, -1))


def year_parse(raw: object, *, user: User, today: datetime.date | None = None) -> int:
    """The tax year asked for, or a refusal: malformed, in the future, before the account."""
    text = str(raw).strip() if raw is not None else ""
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        raise BillingError.refuse("year_malformed", field="year")
    year = int(text)
    this_year = (today or tax_today()).year
    if year > this_year:
        raise BillingError.refuse("year_in_future", field="year", year=year)
    first = first_year(user)
    if year < first:
        raise BillingError.refuse("year_before_account", field="year", year=year, first=first)
    return year


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime(year, 1, 1, tzinfo=TAX_TIME_ZONE)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=TAX_TIME_ZONE)
    return start, end


def paid_milestones(
    *, worker: User, year: int | None = None, milestone_ids: list[int] | None = None
) -> list[PaidMilestone]:
    """The worker's releases (in ``year``, or of the given milestones), oldest first."""
    pays = Transfer.objects.filter(
        cause_type="milestone",
        reason="release",
        kind=TransferKind.SINGLE,
        credit_account__code=wallet_code(user_id=worker.pk, currency=CURRENCY),
    )
    if year is not None:
        start, end = _year_bounds(year)
        pays = pays.filter(created_at__gte=start, created_at__lt=end)
    if milestone_ids is not None:
        pays = pays.filter(cause_id__in=[str(pk) for pk in milestone_ids])
    pay_rows = list(pays.values_list("cause_id", "amount", "created_at"))
    if not pay_rows:
        return []
    ids = [cause_id for cause_id, _amount, _at in pay_rows]
    parts: dict[str, dict[str, int]] = defaultdict(dict)
    for cause_id, key, amount in Transfer.objects.filter(
        cause_type="milestone",
        cause_id__in=ids,
        reason__in=["release", "platform_fee", "withholding"],
    ).values_list("cause_id", "key", "amount"):
        parts[cause_id][key.split(":", 1)[0]] = amount
    milestones = {
        m.pk: m
        for m in Milestone.objects.filter(pk__in=[int(i) for i in ids]).select_related("contract")
    }
    contract_ids = {m.contract_id for m in milestones.values()}
    names = {
        contract_id: (data.get("client_name", ""), data.get("worker_name", ""))
        for contract_id, data in Terms.objects.filter(contract_id__in=contract_ids).values_list(
            "contract_id", "data"
        )
    }
    rows = []
    for cause_id, net, created_at in pay_rows:
        milestone = milestones[int(cause_id)]
        got = parts[cause_id]
        client_name, worker_name = names.get(milestone.contract_id, ("", ""))
        rows.append(
            PaidMilestone(
                milestone_id=milestone.pk,
                contract_id=milestone.contract_id,
                contract_title=milestone.contract.title,
                milestone_title=milestone.title,
                client_id=milestone.contract.client_id,
                client_name=client_name,
                worker_name=worker_name,
                paid_at=created_at,
                gross=got.get("release", 0),
                amount=milestone.released_amount,
                platform_fee=got.get("fee", 0),
                withholding=got.get("withholding", 0),
                net=net,
            )
        )
    rows.sort(key=lambda r: (r.paid_at, r.milestone_id))
    return rows


def person_name(user: User) -> str:
    """The name on papers: the trade or legal name of the business, the real name, or the
    display name."""
    business = BusinessDetails.objects.filter(user=user).first()
    if business is not None and business.legal_name:
        return business.legal_name
    if user.legal_name:
        return user.legal_name
    profile = getattr(user, "profile", None)
    return profile.display_name if profile is not None else user.email


def annual_totals(*, worker: User, year: int) -> AnnualTotals:
    """Gross, platform fees, withholding tax and net of one year, per client and per month."""
    payments = paid_milestones(worker=worker, year=year)
    total = Figures()
    clients: dict[int, ClientFigures] = {}
    months = [MonthFigures(month=m) for m in range(1, 13)]
    for paid in payments:
        total.add(paid)
        months[paid.paid_on.month - 1].add(paid)
        client = clients.get(paid.client_id)
        if client is None:
            client = clients[paid.client_id] = ClientFigures(
                client_id=paid.client_id, client_name=paid.client_name
            )
        client.add(paid)
        if paid.contract_title not in client.contract_titles:
            client.contract_titles.append(paid.contract_title)
    ordered = sorted(clients.values(), key=lambda c: (-c.gross, c.client_id))
    return AnnualTotals(
        year=year,
        worker_name=person_name(worker),
        total=total,
        clients=ordered,
        months=months,
        payments=payments,
    )


# 支払調書: 報酬、料金、契約金及び賞金の支払調書, the category of payments for work like this.
STATEMENT_CATEGORY = "報酬、料金、契約金及び賞金"


@dataclass(frozen=True)
class WithholdingStatement:
    """支払調書-style figures of one client's payments in one year."""

    year: int
    payer_id: int
    payer_name: str
    payee_name: str
    category: str
    description: str
    amount_paid: int  # including consumption tax, as paid
    consumption_tax: int
    withholding: int
    payments: int


def withholding_statements(*, worker: User, year: int) -> list[WithholdingStatement]:
    totals = annual_totals(worker=worker, year=year)
    return [
        WithholdingStatement(
            year=year,
            payer_id=client.client_id,
            payer_name=client.client_name,
            payee_name=totals.worker_name,
            category=STATEMENT_CATEGORY,
            description="、".join(client.contract_titles),
            amount_paid=client.gross,
            consumption_tax=client.consumption_tax,
            withholding=client.withholding,
            payments=client.payments,
        )
        for client in totals.clients
    ]


def invoices_visible_to(*, user: User) -> QuerySet[Invoice]:
    """The invoices a person may see: those of their work and those addressed to them."""
    return Invoice.objects.filter(Q(worker=user) | Q(recipient=user)).select_related("corrects")


def invoice_for(*, user: User, invoice_id: object) -> Invoice:
    """One invoice the person may see; any other (or none) is "not found"."""
    try:
        pk = int(str(invoice_id))
    except ValueError:
        raise BillingError.refuse("invoice_not_found") from None
    queryset = Invoice.objects.all() if user.is_staff else invoices_visible_to(user=user)
    invoice = queryset.select_related("corrects").filter(pk=pk).first()
    if invoice is None:
        raise BillingError.refuse("invoice_not_found")
    return invoice
