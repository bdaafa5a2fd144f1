"""Reads of the income app: the worker's dashboard in a constant number of queries, from the
monthly roll-up (``rollups``), never from the raw transfers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.contracts.models import Milestone
from tsunagu.contracts.selectors import Capacity, capacity_for
from tsunagu.contracts.states import ESCROWED
from tsunagu.income import engine
from tsunagu.income.models import (
    IncomeMonth,
    IncomeTarget,
    OutsideIncome,
    RecurringEngagement,
    WeeklySummaryOptOut,
)
from tsunagu.jobs.models import Job, JobKind, JobStatus, Visibility
from tsunagu.profiles.models import Profile
from tsunagu.proposals.models import Proposal, ProposalStatus

HISTORY_MONTHS = 12
MATCHING_JOBS = 5


@dataclass(frozen=True)
class PipeRow:
    pipe: engine.Pipe
    client_name: str
    open_contracts: int
    escrow_now: int


@dataclass(frozen=True)
class MonthBar:
    month: datetime.date
    tsunagu: int
    outside: int

    @property
    def total(self) -> int:
        return self.tsunagu + self.outside


@dataclass(frozen=True)
class Dashboard:
    today: datetime.date
    target: IncomeTarget | None
    earned_this_month: int
    outside_this_month: int
    months: list[MonthBar]
    pipes: list[PipeRow]
    concentration: engine.Concentration
    concentration_history: list[tuple[datetime.date, float]]
    forecast: list[engine.ForecastMonth]
    win_rate: float
    open_proposals: int
    open_proposal_value: int
    outside_recent: list[OutsideIncome]
    recurring: list[RecurringEngagement]
    capacity: Capacity
    matching_jobs: list[Job] = field(default_factory=list)

    @property
    def this_month_total(self) -> int:
        return self.earned_this_month + self.outside_this_month

    @property
    def gap(self) -> int | None:
        """What is left to reach this month's target (None without a target; 0 when reached)."""
        if self.target is None:
            return None
        return max(0, self.target.monthly_amount - self.this_month_total)

    @property
    def target_share(self) -> float:
        if self.target is None:
            return 0.0
        return min(1.0, self.this_month_total / self.target.monthly_amount)

    @property
    def top_client_name(self) -> str:
        top = self.concentration.top_client
        return next((row.client_name for row in self.pipes if row.pipe.client == top), "")

    @property
    def concentration_warning(self) -> bool:
        limit = (self.target.concentration_limit if self.target else 50) / 100
        return self.concentration.top_client is not None and self.concentration.top_share > limit


def _local_today() -> datetime.date:
    return timezone.localdate()


def income_dashboard(*, worker: User, today: datetime.date | None = None) -> Dashboard:
    """Everything on the worker's income page."""
    today = today or _local_today()
    this_month = engine.month_start(today)
    first_month = engine.add_months(this_month, -(HISTORY_MONTHS - 1))
    rows = [
        engine.ClientMonth(*values)
        for values in IncomeMonth.objects.filter(worker=worker).values_list(
            "client_id", "month", "gross", "payments", "first_day", "last_day"
        )
    ]
    pipes = engine.pipes(rows, today=today)
    names = dict(
        Profile.objects.filter(user_id__in=[p.client for p in pipes]).values_list(
            "user_id", "display_name"
        )
    )
    # one read of the money held now: the forecast's escrow and each pipe's open contracts
    held = list(
        Milestone.objects.filter(contract__worker=worker, status__in=ESCROWED).values_list(
            "amount", "due_date", "contract__client_id", "contract_id"
        )
    )
    escrow = [engine.Escrow(amount=amount, due=due) for amount, due, _client, _id in held]
    escrow_by_client: dict[int, int] = {}
    contracts_by_client: dict[int, set[int]] = {}
    for amount, _due, client, contract in held:
        escrow_by_client[client] = escrow_by_client.get(client, 0) + amount
        contracts_by_client.setdefault(client, set()).add(contract)
    outside_by_month: dict[datetime.date, int] = {}
    for day, amount in OutsideIncome.objects.filter(
        user=worker, received_on__gte=first_month, received_on__lte=today
    ).values_list("received_on", "amount"):
        month = engine.month_start(day)
        outside_by_month[month] = outside_by_month.get(month, 0) + amount
    monthly = engine.monthly_totals(rows, first=first_month, months=HISTORY_MONTHS)
    months = [MonthBar(m, total, outside_by_month.get(m, 0)) for m, total in monthly]
    proposals = Proposal.objects.filter(worker=worker).aggregate(
        won=Count("pk", filter=Q(status=ProposalStatus.OFFERED)),
        decided=Count("pk", filter=Q(status__in=[ProposalStatus.OFFERED, ProposalStatus.DECLINED])),
        open=Count(
            "pk", filter=Q(status__in=[ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED])
        ),
        open_value=Sum(
            "price", filter=Q(status__in=[ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED])
        ),
    )
    rate = engine.win_rate(won=proposals["won"], decided=proposals["decided"])
    recurring = list(
        RecurringEngagement.objects.filter(user=worker).select_related("client__profile")
    )
    retention = {p.client: p.retention for p in pipes}
    earned = months[-1].tsunagu
    forecast = engine.forecast(
        today=today,
        earned_this_month=earned + months[-1].outside,
        escrow=escrow,
        recurring=[engine.Recurring(r.client_id, r.monthly_amount) for r in recurring],
        retention=retention,
        open_proposals=proposals["open_value"] or 0,
        rate=rate,
    )
    target = IncomeTarget.objects.filter(user=worker).first()
    dashboard = Dashboard(
        today=today,
        target=target,
        earned_this_month=earned,
        outside_this_month=months[-1].outside,
        months=months,
        pipes=[
            PipeRow(
                pipe=p,
                client_name=names.get(p.client, ""),
                open_contracts=len(contracts_by_client.get(p.client, ())),
                escrow_now=escrow_by_client.get(p.client, 0),
            )
            for p in pipes
        ],
        concentration=engine.concentration(pipes),
        concentration_history=engine.concentration_history(rows, today=today),
        forecast=forecast,
        win_rate=rate,
        open_proposals=proposals["open"],
        open_proposal_value=proposals["open_value"] or 0,
        outside_recent=list(OutsideIncome.objects.filter(user=worker)[:10]),
        recurring=recurring,
        capacity=capacity_for(worker_id=worker.pk),
    )
    if dashboard.gap:
        dashboard.matching_jobs.extend(
            matching_jobs(worker=worker, hours_left=dashboard.capacity.remaining)
        )
    return dashboard


def matching_jobs(
    *, worker: User, hours_left: int | None = None, limit: int = MATCHING_JOBS
) -> list[Job]:
    """Open public jobs that ask for the worker's skills, that they have not proposed to and
    that fit the hours they have left (an hourly job's weekly cap), those with a paid trial task
    first, then the newest."""
    skills = Profile.objects.filter(user=worker).values("skills")
    jobs = Job.objects.filter(
        status=JobStatus.OPEN, visibility=Visibility.PUBLIC, skills__in=skills
    )
    if hours_left is not None:
        jobs = jobs.exclude(kind=JobKind.HOURLY, weekly_hours_cap__gt=hours_left)
    return list(
        jobs.exclude(client=worker)
        .exclude(proposals__worker=worker)
        .select_related("category")
        .distinct()
        .order_by(F("trial_fee").desc(nulls_last=True), "-published_at", "-pk")[:limit]
    )


def paid_client_choices(*, worker: User) -> list[tuple[int, str]]:
    """The clients who have paid the worker (from the roll-up), as form choices."""
    clients = IncomeMonth.objects.filter(worker=worker).values("client_id").distinct()
    return list(
        Profile.objects.filter(user_id__in=clients)
        .order_by("display_name", "user_id")
        .values_list("user_id", "display_name")
    )


def weekly_email_on(*, user: User) -> bool:
    """Whether the worker receives the weekly income e-mail (they do unless they opted out)."""
    return not WeeklySummaryOptOut.objects.filter(user=user).exists()
