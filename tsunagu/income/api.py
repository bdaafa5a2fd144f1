"""/api/v1/income: the signed-in worker's own income picture, target and outside income.

Only one's own: there is no id of another person to ask for, so nothing to refuse beyond
signing in (the API's default authentication).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from tsunagu.accounts.request import signed_in_user
from tsunagu.api.schemas import ErrorOut
from tsunagu.core.fields import Day, Line
from tsunagu.income import selectors, services, weekly
from tsunagu.income.errors import IncomeError
from tsunagu.income.forms import MAX_UPLOAD_BYTES
from tsunagu.income.models import MAX_AMOUNT, OutsideIncome

router = Router(tags=["income"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 404, 409, 422, 429): ErrorOut}


class PipeOut(Schema):
    client_id: int
    client_name: str
    thickness: int = Field(description="revenue over the last 12 months, yen")
    total: int
    length_months: int
    rhythm_days: int | None = Field(description="the usual gap between paid months")
    trend: str = Field(description="new, growing, steady or thinning")
    first_payment: datetime.date
    last_payment: datetime.date
    open_contracts: int
    escrow_now: int


class MonthOut(Schema):
    month: datetime.date
    tsunagu: int
    outside: int


class ForecastOut(Schema):
    month: datetime.date
    escrow: int = Field(description="earned and funded in escrow, due that month")
    recurring: int = Field(description="recurring engagements × their pipe's retention")
    proposals: int = Field(description="open proposals × the worker's win rate")
    total: int


class IncomeOut(Schema):
    today: datetime.date
    target: int | None
    concentration_limit_percent: int
    earned_this_month: int
    outside_this_month: int
    gap: int | None
    months: list[MonthOut]
    pipes: list[PipeOut]
    top_client_id: int | None
    top_client_share: float
    concentration_warning: bool
    forecast: list[ForecastOut]
    win_rate: float
    open_proposals: int
    matching_job_ids: list[int]


def _out(d: selectors.Dashboard) -> IncomeOut:
    return IncomeOut(
        today=d.today,
        target=d.target.monthly_amount if d.target else None,
        concentration_limit_percent=d.target.concentration_limit if d.target else 50,
        earned_this_month=d.earned_this_month,
        outside_this_month=d.outside_this_month,
        gap=d.gap,
        months=[MonthOut(month=m.month, tsunagu=m.tsunagu, outside=m.outside) for m in d.months],
        pipes=[
            PipeOut(
                client_id=r.pipe.client,
                client_name=r.client_name,
                thickness=r.pipe.thickness,
                total=r.pipe.total,
                length_months=r.pipe.length_months,
                rhythm_days=r.pipe.rhythm_days,
                trend=str(r.pipe.trend),
                first_payment=r.pipe.first_day,
                last_payment=r.pipe.last_day,
                open_contracts=r.open_contracts,
                escrow_now=r.escrow_now,
            )
            for r in d.pipes
        ],
        top_client_id=d.concentration.top_client,
        top_client_share=round(d.concentration.top_share, 4),
        concentration_warning=d.concentration_warning,
        forecast=[
            ForecastOut(
                month=f.month,
                escrow=f.escrow,
                recurring=f.recurring,
                proposals=f.proposals,
                total=f.total,
            )
            for f in d.forecast
        ],
        win_rate=round(d.win_rate, 4),
        open_proposals=d.open_proposals,
        matching_job_ids=[job.pk for job in d.matching_jobs],
    )


@router.get("", response={200: IncomeOut, **ERRORS}, summary="My income, pipes and forecast")
def income(request: HttpRequest) -> IncomeOut:
    return _out(selectors.income_dashboard(worker=signed_in_user(request)))


class TargetIn(Schema):
    monthly_amount: int = Field(ge=1, le=MAX_AMOUNT)
    concentration_limit: int = Field(50, ge=10, le=100)


@router.put("/target", response={200: IncomeOut, **ERRORS}, summary="Set my monthly target")
def target_set(request: HttpRequest, payload: TargetIn) -> IncomeOut:
    user = signed_in_user(request)
    services.income_target_set(user=user, **payload.dict())
    return _out(selectors.income_dashboard(worker=user))


class WeeklyEmailOut(Schema):
    receive: bool


class WeeklyEmailIn(Schema):
    receive: bool


@router.get("/weekly-email", response={200: WeeklyEmailOut, **ERRORS}, summary="My weekly e-mail")
def weekly_email_get(request: HttpRequest) -> WeeklyEmailOut:
    return WeeklyEmailOut(receive=selectors.weekly_email_on(user=signed_in_user(request)))


@router.put(
    "/weekly-email",
    response={200: WeeklyEmailOut, **ERRORS},
    summary="Turn my weekly e-mail on/off",
)
def weekly_email_set(request: HttpRequest, payload: WeeklyEmailIn) -> WeeklyEmailOut:
    user = signed_in_user(request)
    weekly.weekly_email_set(user=user, receive=payload.receive)
    return WeeklyEmailOut(receive=selectors.weekly_email_on(user=user))


@router.delete("/target", response={204: None, **ERRORS}, summary="Remove my monthly target")
def target_clear(request: HttpRequest) -> Status[None]:
    services.income_target_clear(user=signed_in_user(request))
    return Status(204, None)


class OutsideIn(Schema):
    received_on: Day
    amount: int = Field(ge=1, le=MAX_AMOUNT)
    source: Line = Field(min_length=1, max_length=services.SOURCE_MAX)
    note: Line = Field("", max_length=services.NOTE_MAX)


class OutsideOut(Schema):
    id: int
    received_on: datetime.date
    amount: int
    source: str
    note: str
    imported: bool


@router.get("/outside", response={200: list[OutsideOut], **ERRORS}, summary="My outside income")
def outside_list(request: HttpRequest) -> list[OutsideOut]:
    rows = OutsideIncome.objects.filter(user=signed_in_user(request))[:500]
    return [OutsideOut.from_orm(row) for row in rows]


@router.post("/outside", response={201: OutsideOut, **ERRORS}, summary="Add outside income")
def outside_add(request: HttpRequest, payload: OutsideIn) -> Status[OutsideOut]:
    row = services.outside_income_add(user=signed_in_user(request), **payload.dict())
    return Status(201, OutsideOut.from_orm(row))


class ImportOut(Schema):
    rows: int
    total: int


@router.post(
    "/outside/import",
    response={201: ImportOut, **ERRORS},
    summary="Import outside income from CSV (date,amount,source,note); all rows or none",
)
def outside_import(request: HttpRequest, file: File[UploadedFile]) -> Status[ImportOut]:
    if file.size is None or file.size > MAX_UPLOAD_BYTES:
        raise IncomeError.refuse("csv_too_large", field="file", limit=services.CSV_MAX_ROWS)
    result = services.outside_income_import(user=signed_in_user(request), data=file.read())
    return Status(201, ImportOut(rows=result.rows, total=result.total))


@router.delete("/outside/{entry_id}", response={204: None, **ERRORS}, summary="Remove an entry")
def outside_remove(request: HttpRequest, entry_id: int) -> Status[None]:
    if not 0 < entry_id < 2**63:
        raise IncomeError.refuse("not_yours")
    services.outside_income_remove(user=signed_in_user(request), pk=entry_id)
    return Status(204, None)
