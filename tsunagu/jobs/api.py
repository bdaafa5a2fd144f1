"""/api/v1/jobs: search public jobs (anonymous callers allowed) and read one job."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tsunagu.api.errors import error_body
from tsunagu.api.schemas import ErrorOut
from tsunagu.core.fields import BigInt, Int, Line
from tsunagu.jobs import selectors
from tsunagu.jobs.forms import JobSearchForm
from tsunagu.jobs.models import Job

router = Router(tags=["jobs"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 422, 429): ErrorOut}


class JobFilters(Schema):
    q: Line = Field("", description="Words to find, Japanese or English (at most 200 characters).")
    category: Line = Field("", description="Category slug, e.g. translation.")
    kind: Line = Field("", description="fixed, milestones or hourly.")
    budget_min: BigInt | None = Field(None, description="Yen; compared with the budget estimate.")
    budget_max: BigInt | None = None
    skills: list[Line] = Field(default_factory=list, description="Skill slugs; all required.")
    posted_within: Line = Field("", description="1, 3, 7 or 30 (days).")
    verification: Line = Field("", description="A verification level the client passed.")
    client_score_min: Int | None = Field(
        None, description="The client's trust score as a client, at least (0–100)."
    )
    sort: Line = Field(
        "", description="newest, budget, client_trust or relevance (default with q)."
    )
    page: Int = 1


class CategoryOut(Schema):
    slug: str
    name_ja: str
    name_en: str
    withholding_applies: bool


class JobOut(Schema):
    id: int
    title: str
    description: str
    category: CategoryOut | None
    skills: list[str]
    kind: str
    budget_min: int | None = Field(description="Yen: the total, or the hourly rate.")
    budget_max: int | None
    weekly_hours_cap: int | None
    deadline: datetime.date | None
    workers_wanted: int
    visibility: str = Field(description="public, invite_only or community.")
    community_id: int | None = Field(
        None, description="With visibility community: the community whose members see it."
    )
    status: str
    has_trial: bool
    trial_fee: int | None
    published_at: datetime.datetime | None
    client_id: int
    client_verified: list[str] = Field(default_factory=list)


class JobListOut(Schema):
    items: list[JobOut]
    count: int = Field(description="Jobs listed over all pages.")
    count_capped: bool = Field(
        False,
        description="True when more jobs match than `count` (show it as “1,000+”): a search "
        "by relevance lists the 1,000 newest matches; add words or filters to narrow it.",
    )
    page: int
    pages: int


def _out(job: Job, levels: set[str]) -> JobOut:
    category = job.category
    return JobOut(
        id=job.pk,
        title=job.title,
        description=job.description,
        category=CategoryOut(
            slug=category.slug,
            name_ja=category.name_ja,
            name_en=category.name_en,
            withholding_applies=category.withholding_applies,
        )
        if category
        else None,
        skills=[s.slug for s in job.skills.all()],
        kind=job.kind,
        budget_min=job.budget_min,
        budget_max=job.budget_max,
        weekly_hours_cap=job.weekly_hours_cap,
        deadline=job.deadline,
        workers_wanted=job.workers_wanted,
        visibility=job.visibility,
        community_id=job.community_id,
        status=job.status,
        has_trial=job.has_trial,
        trial_fee=job.trial_fee,
        published_at=job.published_at,
        client_id=job.client_id,
        client_verified=sorted(levels),
    )


@router.get("", response={200: JobListOut, **ERRORS}, auth=None, summary="Search jobs")
def list_jobs(request: HttpRequest, filters: Query[JobFilters]) -> Any:
    data = filters.model_dump(exclude={"page"})
    data = {k: v for k, v in data.items() if v not in (None, "", [])}
    form = JobSearchForm(data)
    if not form.is_valid():
        return Status(
            422,
            error_body(
                "invalid",
                _("Some of the values sent are not valid."),
                [
                    {"field": "" if f == "__all__" else f, "message": str(e[0])}
                    for f, e in form.errors.items()
                ],
            ),
        )
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    result = selectors.job_search(
        viewer=user, params=form.params(), page_number=max(filters.page, 1)
    )
    if result.page.number != filters.page:
        return Status(
            422,
            error_body(
                "page_out_of_range",
                _("There is no page %(page)d; there are %(pages)d pages.")
                % {"page": filters.page, "pages": result.page.paginator.num_pages},
                [{"field": "page", "message": _("Page out of range.")}],
            ),
        )
    return JobListOut(
        items=[_out(card.job, {b.code for b in card.badges}) for card in result.cards],
        count=result.page.paginator.count,
        count_capped=result.capped,
        page=result.page.number,
        pages=result.page.paginator.num_pages,
    )


@router.get("/{int:job_id}", response={200: JobOut, **ERRORS}, auth=None, summary="A job")
def get_job(request: HttpRequest, job_id: int) -> Any:
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    job = selectors.job_get_for_viewer(pk=job_id, viewer=user)
    from tsunagu.accounts.selectors import verified_levels_for

    levels = verified_levels_for(user_ids=[job.client_id]).get(job.client_id, set())
    return _out(job, levels)
