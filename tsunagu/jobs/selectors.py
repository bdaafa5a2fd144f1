"""Reads of jobs: who may see which job, the search with filters, sorting and pages, worker
search, and a client's own jobs. Views and the API call these; so will proposals and offers."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.accounts.selectors import LEVEL_CODES, verified_levels_for
from tsunagu.jobs import audience, search, tokenize
from tsunagu.jobs.models import Category, Job, JobStatus, SavedSearch, Visibility
from tsunagu.profiles.models import Profile, Skill
from tsunagu.profiles.selectors import badges_from

JOBS_PER_PAGE = 20
WORKERS_PER_PAGE = 20
POSTED_WITHIN = {"1": 1, "3": 3, "7": 7, "30": 30}  # days
SORTS = ("newest", "budget", "relevance")
# A search by relevance works on at most this many matches, the most recently created ones,
# and says "1,000+" when more match; other sorts and filters list every match.
SEARCH_LIMIT = 1000


def jobs_visible_to(*, viewer: Any) -> QuerySet[Job]:
    """Jobs ``viewer`` may open: public published jobs, invite-only jobs they were invited to,
    and all of their own jobs (drafts included). ``viewer`` may be anonymous."""
    published = ~Q(status=JobStatus.DRAFT)
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return Job.objects.filter(published, visibility=Visibility.PUBLIC)
    return Job.objects.filter(
        Q(client=viewer)
        | (published & Q(visibility=Visibility.PUBLIC))
        | (published & Q(visibility=Visibility.INVITE_ONLY, invitations__worker=viewer))
        | (published & audience.community_jobs_q(viewer.pk))
    ).distinct()


def job_get_for_viewer(*, pk: int, viewer: Any) -> Job:
    """One job with its category, skills and attachments, or Http404 when ``viewer`` may not
    see it (an invite-only job looks exactly like a missing one to others)."""
    base = Job.objects.filter(pk=pk)
    if viewer is None or not viewer.is_authenticated:
        base = base.exclude(status=JobStatus.DRAFT).filter(visibility=Visibility.PUBLIC)
    else:
        base = base.filter(
            Q(client=viewer)
            | (~Q(status=JobStatus.DRAFT) & Q(visibility=Visibility.PUBLIC))
            | (
                ~Q(status=JobStatus.DRAFT)
                & Q(visibility=Visibility.INVITE_ONLY)
                & Q(invitations__worker=viewer)
            )
            | (~Q(status=JobStatus.DRAFT) & audience.community_jobs_q(viewer.pk))
        ).distinct()
    job = (
        base.select_related("category", "client", "client__profile")
        .prefetch_related("skills", "attachments")
        .first()
    )
    if job is None:
        raise Http404
    return job


def job_for_client(*, pk: int, client: Any) -> Job:
    """A job the signed-in ``client`` posted, or Http404."""
    job = (
        Job.objects.filter(pk=pk, client_id=getattr(client, "pk", None))
        .select_related("category")
        .prefetch_related("skills", "attachments", "invitations__worker__profile")
        .first()
    )
    if job is None:
        raise Http404
    return job


def jobs_of_client(*, client: User) -> list[Job]:
    return list(
        Job.objects.filter(client=client)
        .select_related("category")
        .order_by("status", "-updated_at", "-id")
    )


@dataclass
class SearchParams:
    """A validated search: what JobSearchForm and the API produce, and what saved searches keep."""

    query: str = ""
    category: str = ""  # slug
    kind: str = ""
    budget_min: int | None = None
    budget_max: int | None = None
    skills: list[str] = field(default_factory=list)  # slugs, all required
    posted_within: str = ""  # key of POSTED_WITHIN
    verification: str = ""  # a level code the client passed
    client_score_min: int | None = None  # the client's trust score as a client, at least
    sort: str = ""

    @property
    def terms(self) -> list[tokenize.Term]:
        return tokenize.query_terms(self.query) if self.query else []

    def filters(self) -> dict[str, Any]:
        """The filters (not the query or the sort) as saved with a saved search."""
        return {
            "category": self.category,
            "kind": self.kind,
            "budget_min": self.budget_min,
            "budget_max": self.budget_max,
            "skills": list(self.skills),
            "posted_within": self.posted_within,
            "verification": self.verification,
            "client_score_min": self.client_score_min,
        }

    @classmethod
    def from_saved(cls, saved: SavedSearch) -> SearchParams:
        f = saved.filters or {}
        return cls(
            query=saved.query,
            category=str(f.get("category") or ""),
            kind=str(f.get("kind") or ""),
            budget_min=f.get("budget_min"),
            budget_max=f.get("budget_max"),
            skills=[str(s) for s in f.get("skills") or []],
            posted_within=str(f.get("posted_within") or ""),
            verification=str(f.get("verification") or ""),
            client_score_min=f.get("client_score_min"),
        )


def _clients_with_level(level: str) -> list[int]:
    client_ids = (
        Job.objects.filter(status=JobStatus.OPEN).values_list("client_id", flat=True).distinct()
    )
    levels = verified_levels_for(user_ids=list(client_ids))
    return [pk for pk, codes in levels.items() if level in codes]


def job_search_queryset(*, viewer: Any, params: SearchParams) -> QuerySet[Job]:
    """Open jobs ``viewer`` may see that match ``params``, in the order asked for.

    Invite-only jobs appear only to their client and invited workers. With a query, rows are
    matched through the full-text index; ``relevance`` (the default with a query) orders by
    bm25 / ts_rank_cd, ``budget`` by the budget estimate (highest first), ``newest`` by date.
    """
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        qs = Job.objects.filter(status=JobStatus.OPEN).filter(
            Q(visibility=Visibility.PUBLIC)
            | Q(client=viewer)
            | Q(pk__in=viewer.job_invitations.values("job_id"))
            | audience.community_jobs_q(viewer.pk)
        )
    else:
        qs = Job.objects.filter(status=JobStatus.OPEN, visibility=Visibility.PUBLIC)
    if params.category:
        qs = qs.filter(category__slug=params.category)
    if params.kind:
        qs = qs.filter(kind=params.kind)
    if params.budget_min is not None:
        qs = qs.filter(budget_estimate__gte=params.budget_min)
    if params.budget_max is not None:
        qs = qs.filter(budget_estimate__lte=params.budget_max)
    for slug in params.skills:
        qs = qs.filter(pk__in=Job.skills.through.objects.filter(skill__slug=slug).values("job_id"))
    if params.posted_within in POSTED_WITHIN:
        since = timezone.now() - datetime.timedelta(days=POSTED_WITHIN[params.posted_within])
        qs = qs.filter(published_at__gte=since)
    if params.verification in LEVEL_CODES:
        qs = qs.filter(client_id__in=_clients_with_level(params.verification))
    if params.client_score_min is not None:
        qs = qs.filter(client__profile__client_trust_score__gte=params.client_score_min)
    terms = params.terms
    sort = params.sort or ("relevance" if terms else "newest")
    if terms:
        qs = search.matching(qs, kind="job", terms=terms, ranked=sort == "relevance")
    if sort == "relevance" and terms:
        return qs.order_by("-rank", "-published_at", "-id")
    if sort == "budget":
        return qs.order_by("-budget_estimate", "-published_at", "-id")
    if sort == "client_trust":  # clients new as clients last
        return qs.order_by(
            F("client__profile__client_trust_score").desc(nulls_last=True), "-published_at", "-id"
        )
    return qs.order_by("-published_at", "-id")


@dataclass(frozen=True)
class JobCard:
    job: Job
    badges: list[Any]


@dataclass(frozen=True)
class JobPage:
    page: Page[Job]
    cards: list[JobCard]
    requested_number: str
    clamped: bool
    capped: bool = False  # more jobs match than the page count says (it shows "1,000+")


def job_search(*, viewer: Any, params: SearchParams, page_number: str | int | None) -> JobPage:
    """One page of search results with category, skills and the client's verification badges,
    in a fixed number of queries whatever the number of rows. A page past the end shows the
    last page and says so (``clamped``).

    Words sorted by relevance (the default with words) with at most a category and a type as
    filters are answered from the index alone (:func:`_index_search`): when more than
    ``SEARCH_LIMIT`` open jobs match, the newest ``SEARCH_LIMIT`` of them are ranked and listed
    and ``capped`` is set. Anything else pages through :func:`job_search_queryset`.
    """
    capped = False
    items: Sequence[Job] | QuerySet[Job]
    if _index_answers(params):
        ids, capped = _index_search(viewer=viewer, params=params)
        items = _JobsByIds(ids, _with_card_details(Job.objects.all()))
    else:
        items = _with_card_details(job_search_queryset(viewer=viewer, params=params))
    paginator = Paginator(items, JOBS_PER_PAGE)
    raw = str(page_number or "1")
    page = paginator.get_page(raw)
    clamped = not raw.isdigit() or int(raw) != page.number
    jobs = list(page.object_list)
    levels = verified_levels_for(user_ids=[j.client_id for j in jobs])
    cards = [JobCard(job=j, badges=badges_from(levels.get(j.client_id, set()))) for j in jobs]
    return JobPage(page=page, cards=cards, requested_number=raw, clamped=clamped, capped=capped)


def _with_card_details(qs: QuerySet[Job]) -> QuerySet[Job]:
    return qs.select_related("category", "client__profile").prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by("category", "slug"))
    )


def _index_answers(params: SearchParams) -> bool:
    """Whether the index alone can answer: words, sorted by relevance, no filter the index
    does not carry (budget, skills, date posted and verification need the jobs table)."""
    return (
        bool(params.terms)
        and (params.sort or "relevance") == "relevance"
        and params.budget_min is None
        and params.budget_max is None
        and not params.skills
        and params.posted_within not in POSTED_WITHIN
        and params.verification not in LEVEL_CODES
    )


def _index_search(*, viewer: Any, params: SearchParams) -> tuple[list[int], bool]:
    """Ids of the jobs ``viewer`` may see that match ``params``, most relevant first (then
    newest), at most ``SEARCH_LIMIT``, and whether more match.

    The index picks the newest matches of listed jobs plus the viewer's invite-only jobs (the
    ones they posted or were invited to, looked up apart: the index never says who was invited);
    the jobs table then confirms status and visibility of those rows only, so a job whose index
    entry is out of date can never be shown.
    """
    markers = []
    category_id = None
    if params.category:
        category_id = (
            Category.objects.filter(slug=params.category).values_list("pk", flat=True).first()
        )
        if category_id is None:
            return [], False
        markers.append(search.category_marker(category_id))
    if params.kind:
        markers.append(search.kind_marker(params.kind))
    private: list[int] = []
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        private = list(
            Job.objects.filter(status=JobStatus.OPEN)
            .filter(
                (
                    Q(visibility__in=[Visibility.INVITE_ONLY, Visibility.COMMUNITY])
                    & Q(client=viewer)
                )
                | Q(visibility=Visibility.INVITE_ONLY, invitations__worker=viewer)
                | audience.community_jobs_q(viewer.pk)
            )
            .values_list("pk", flat=True)
            .distinct()
        )
    found = search.job_candidates(
        terms=params.terms, markers=markers, private_ids=private, limit=SEARCH_LIMIT
    )
    if not found.ranks:
        return [], False
    # the jobs table has the last word on status and visibility, for these rows only, and
    # orders them by date for the ties in rank
    confirmed = Job.objects.filter(
        pk__in=search.id_set(list(found.ranks)), status=JobStatus.OPEN
    ).filter(Q(visibility=Visibility.PUBLIC) | Q(pk__in=search.id_set(private)))
    if category_id is not None:
        confirmed = confirmed.filter(category_id=category_id)
    if params.kind:
        confirmed = confirmed.filter(kind=params.kind)
    ids = list(confirmed.order_by("-published_at", "-id").values_list("pk", flat=True))
    ids.sort(key=found.ranks.__getitem__, reverse=True)  # stable: equal ranks stay newest first
    return ids, found.more


class _JobsByIds(Sequence[Job]):
    """Jobs in the order of ``ids``, fetched a slice (one page) at a time for the paginator."""

    def __init__(self, ids: list[int], qs: QuerySet[Job]) -> None:
        self.ids = ids
        self.qs = qs

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Job: ...

    @overload
    def __getitem__(self, index: slice) -> list[Job]: ...

    def __getitem__(self, index: int | slice) -> Job | list[Job]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = self.ids[index]
        by_pk = {job.pk: job for job in self.qs.filter(pk__in=ids)}
        return [by_pk[pk] for pk in ids if pk in by_pk]


@dataclass(frozen=True)
class WorkerPage:
    page: Page[Profile]
    profiles: list[Profile]
    requested_number: str
    clamped: bool


def worker_search(*, query: str, page_number: str | int | None) -> WorkerPage:
    """Workers whose name, headline, bio, skills or tags hold every word of ``query``, most
    relevant first."""
    terms = tokenize.query_terms(query)
    qs = Profile.objects.filter(is_worker=True, user__is_active=True)
    if terms:
        qs = search.matching(qs, kind="profile", terms=terms, ranked=True).order_by("-rank", "-id")
    else:
        qs = qs.order_by("-updated_at", "-id")
    qs = qs.select_related("user").prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by("category", "slug"))
    )
    paginator = Paginator(qs, WORKERS_PER_PAGE)
    raw = str(page_number or "1")
    page = paginator.get_page(raw)
    clamped = not raw.isdigit() or int(raw) != page.number
    return WorkerPage(
        page=page, profiles=list(page.object_list), requested_number=raw, clamped=clamped
    )


def categories() -> list[Category]:
    return list(Category.objects.all())


def saved_searches_of(*, user: User) -> list[SavedSearch]:
    return list(SavedSearch.objects.filter(user=user))
