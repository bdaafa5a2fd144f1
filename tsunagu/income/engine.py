"""A worker's income as pipes, the month against a target, and the forecast, with no Django in it.

A *pipe* is the relationship with one client, read from the money that client's contracts
released to the worker, month by month:

- thickness: revenue over the last 12 months;
- length: whole months since the first paid month;
- rhythm: the usual (median) gap in days between the starts of consecutive paid months, i.e.
  how often this client comes back;
- trend: *thinning* when no money has come for longer than the rhythm allows
  (``THINNING_FACTOR`` × rhythm, at least ``MIN_SILENCE_DAYS``), or when the last six months
  brought less than ``FALLING_SHARE`` of the six before; *growing* when they brought more than
  ``RISING_SHARE`` of them; *steady* otherwise; *new* until there are two paid months.

The forecast of a month adds three parts, each shown: escrow already funded and due to be
released that month; recurring engagements × their pipe's retention (the share of the last
twelve months in which the client paid); open proposals × the worker's own win rate.
"""

from __future__ import annotations

import datetime
import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

THINNING_FACTOR = 1.5
MIN_SILENCE_DAYS = 45
FALLING_SHARE = 0.6
RISING_SHARE = 1.25
CONCENTRATION_WARNING = 0.5  # the top client's share of the last 12 months
FORECAST_MONTHS = 4  # this month and the next three


class Trend(StrEnum):
    NEW = "new"
    GROWING = "growing"
    STEADY = "steady"
    THINNING = "thinning"


@dataclass(frozen=True)
class Payment:
    """Money one client's contract released to the worker (gross, tax included), on a day."""

    client: int
    day: datetime.date
    amount: int


@dataclass(frozen=True)
class Pipe:
    client: int
    thickness: int  # revenue over the last 12 months
    total: int  # revenue since the start
    length_months: int
    rhythm_days: int | None  # None until there are two paid months
    trend: Trend
    first_day: datetime.date
    last_day: datetime.date
    silent_days: int  # days since the last payment
    months_paid_last_year: int  # of the last 12 months, in how many this client paid

    @property
    def is_thinning(self) -> bool:
        return self.trend is Trend.THINNING

    @property
    def retention(self) -> float:
        """The share of the last twelve months in which this client paid."""
        return self.months_paid_last_year / 12


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


@dataclass(frozen=True)
class ClientMonth:
    """One client's payments to the worker in one month: their total and first and last day."""

    client: int
    month: datetime.date  # the month's first day
    gross: int
    payments: int
    first_day: datetime.date
    last_day: datetime.date


def client_months(payments: Iterable[Payment]) -> list[ClientMonth]:
    """Payments summed per client and month (payments of no amount are ignored)."""
    months: dict[tuple[int, datetime.date], list[Any]] = {}
    for p in payments:
        if p.amount <= 0:
            continue
        key = (p.client, month_start(p.day))
        row = months.setdefault(key, [0, 0, p.day, p.day])
        row[0] += p.amount
        row[1] += 1
        row[2] = min(row[2], p.day)
        row[3] = max(row[3], p.day)
    return [
        ClientMonth(client, month, gross, count, first, last)
        for (client, month), (gross, count, first, last) in sorted(months.items())
    ]


def pipes(months: Iterable[ClientMonth], *, today: datetime.date) -> list[Pipe]:
    """One pipe per client that has paid, thickest first (ties: the longest, then the id)."""
    by_client: dict[int, dict[datetime.date, int]] = defaultdict(dict)
    first_day: dict[int, datetime.date] = {}
    last_day: dict[int, datetime.date] = {}
    for row in months:
        if row.gross <= 0 or row.first_day > today:
            continue
        by_client[row.client][row.month] = by_client[row.client].get(row.month, 0) + row.gross
        first_day[row.client] = min(first_day.get(row.client, row.first_day), row.first_day)
        last_day[row.client] = max(last_day.get(row.client, row.last_day), row.last_day)
    this_month = month_start(today)
    year_ago = add_months(this_month, -11)  # the last 12 months, this one included
    half = add_months(this_month, -5)
    previous_half = add_months(half, -6)
    result: list[Pipe] = []
    for client, paid in by_client.items():
        paid_months = sorted(paid)
        gaps = [(b - a).days for a, b in itertools.pairwise(paid_months)]
        rhythm = round(statistics.median(gaps)) if gaps else None
        recent = sum(v for m, v in paid.items() if m >= half)
        before = sum(v for m, v in paid.items() if previous_half <= m < half)
        silent = (today - last_day[client]).days
        result.append(
            Pipe(
                client=client,
                thickness=sum(v for m, v in paid.items() if m >= year_ago),
                total=sum(paid.values()),
                length_months=months_between(paid_months[0], this_month) + 1,
                rhythm_days=rhythm,
                trend=_trend(rhythm, silent, recent, before),
                first_day=first_day[client],
                last_day=last_day[client],
                silent_days=silent,
                months_paid_last_year=sum(1 for m in paid if m >= year_ago),
            )
        )
    result.sort(key=lambda p: (-p.thickness, -p.length_months, p.client))
    return result


def _trend(rhythm: int | None, silent: int, recent: int, before: int) -> Trend:
    if rhythm is None:
        return Trend.NEW
    if silent > max(THINNING_FACTOR * rhythm, MIN_SILENCE_DAYS):
        return Trend.THINNING
    if before > 0 and recent < FALLING_SHARE * before:
        return Trend.THINNING
    if recent > RISING_SHARE * before:
        return Trend.GROWING
    return Trend.STEADY


def monthly_totals(
    rows: Iterable[ClientMonth], *, first: datetime.date, months: int
) -> list[tuple[datetime.date, int]]:
    """Revenue per month for ``months`` months from ``first`` (a month's first day)."""
    totals: dict[datetime.date, int] = defaultdict(int)
    for row in rows:
        totals[row.month] += row.gross
    return [(add_months(first, k), totals.get(add_months(first, k), 0)) for k in range(months)]


@dataclass(frozen=True)
class Concentration:
    top_client: int | None
    top_share: float  # 0–1 of the last 12 months' revenue
    warning: bool


def concentration(
    pipes_: Sequence[Pipe], *, threshold: float = CONCENTRATION_WARNING
) -> Concentration:
    """The top client's share of the last 12 months (a warning above ``threshold``)."""
    total = sum(p.thickness for p in pipes_)
    if total <= 0:
        return Concentration(None, 0.0, False)
    top = max(pipes_, key=lambda p: (p.thickness, -p.client))
    share = top.thickness / total
    return Concentration(top.client, share, share > threshold)


def concentration_history(
    rows: Sequence[ClientMonth], *, today: datetime.date, months: int = 12
) -> list[tuple[datetime.date, float]]:
    """For each of the last ``months`` months, the top client's share of the 12 months ending
    with it: how dependence on one client has moved."""
    history: list[tuple[datetime.date, float]] = []
    this_month = month_start(today)
    for back in range(months - 1, -1, -1):
        end = add_months(this_month, -back)
        start = add_months(end, -11)
        per_client: dict[int, int] = defaultdict(int)
        for row in rows:
            if start <= row.month <= end:
                per_client[row.client] += row.gross
        total = sum(per_client.values())
        history.append((end, max(per_client.values()) / total if total else 0.0))
    return history


@dataclass(frozen=True)
class Recurring:
    """An engagement the worker expects to bring ``monthly`` each month, from ``client``
    (None: outside Tsunagu, counted at full retention)."""

    client: int | None
    monthly: int


@dataclass(frozen=True)
class Escrow:
    """Money funded in escrow now, due to be released by ``due`` (the milestone's due date)."""

    amount: int
    due: datetime.date


@dataclass(frozen=True)
class ForecastMonth:
    month: datetime.date
    escrow: int
    recurring: int
    proposals: int

    @property
    def total(self) -> int:
        return self.escrow + self.recurring + self.proposals


def win_rate(*, won: int, decided: int) -> float:
    """The worker's own share of decided proposals that became contracts, pulled toward 0.2
    by two imaginary proposals so that a first win is not read as 100 %."""
    return (won + 0.2 * 2) / (decided + 2)


def forecast(
    *,
    today: datetime.date,
    earned_this_month: int,
    escrow: Iterable[Escrow],
    recurring: Iterable[Recurring],
    retention: Mapping[int, float],
    open_proposals: int,
    rate: float,
    months: int = FORECAST_MONTHS,
) -> list[ForecastMonth]:
    """This month and the next ones: funded escrow by its due month (overdue counts in this
    month), recurring × retention, and open proposals × win rate spread over the first month.

    This month's figure adds what was already earned to the escrow part, so that the gap to the
    target reads the same as on the month's bar.
    """
    this_month = month_start(today)
    escrow_by_month: dict[datetime.date, int] = defaultdict(int)
    for held in escrow:
        escrow_by_month[max(month_start(held.due), this_month)] += held.amount
    expected = sum(
        round(r.monthly * (1.0 if r.client is None else retention.get(r.client, 0.0)))
        for r in recurring
    )
    result = []
    for k in range(months):
        month = add_months(this_month, k)
        result.append(
            ForecastMonth(
                month=month,
                escrow=escrow_by_month.get(month, 0) + (earned_this_month if k == 0 else 0),
                recurring=expected,
                proposals=round(open_proposals * rate) if k == 0 else 0,
            )
        )
    return result
