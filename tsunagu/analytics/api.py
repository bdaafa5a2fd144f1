"""/api/v1/analytics: the caller's own profile analytics."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tsunagu.accounts.request import signed_in_user
from tsunagu.analytics import selectors
from tsunagu.api.schemas import ErrorOut

router = Router(tags=["analytics"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 422, 429): ErrorOut}


class SummaryQuery(Schema):
    days: int = Field(30, ge=1, le=90, description="How many days back, today included (1–90).")


class DayOut(Schema):
    day: datetime.date
    views: int
    unique_viewers: int


class FunnelOut(Schema):
    views: int
    inquiries: int
    proposals: int | None = Field(description="Empty until job postings and proposals exist.")
    contracts: int


class SummaryOut(Schema):
    days: int
    since: datetime.datetime
    total_views: int
    unique_viewers: int = Field(description="Unique visitors counted per day, added up.")
    per_day: list[DayOut]
    sources: dict[str, int]
    funnel: FunnelOut


@router.get("/summary", response={200: SummaryOut, **ERRORS}, summary="My profile analytics")
def summary(request: HttpRequest, query: Query[SummaryQuery]) -> Any:
    profile = selectors.own_profile(user=signed_in_user(request))
    result = selectors.profile_summary(profile=profile, days=query.days)
    assert result.funnel is not None
    return SummaryOut(
        days=query.days,
        since=result.since,
        total_views=result.total_views,
        unique_viewers=result.unique_viewers,
        per_day=[
            DayOut(day=d.day, views=d.views, unique_viewers=d.unique_viewers) for d in result.days
        ],
        sources=result.sources,
        funnel=FunnelOut(
            views=result.funnel.views,
            inquiries=result.funnel.inquiries,
            proposals=result.funnel.proposals,
            contracts=result.funnel.contracts,
        ),
    )
