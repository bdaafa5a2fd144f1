"""Reads for reviews: what anyone may see of a person's published reviews, and what each party
of a contract may do next.

Nothing here hands another user a hidden review or anyone's private feedback: public reads
return :class:`PublicReview`, which has no field for it, and only published reviews.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract, Milestone
from tsunagu.contracts.states import PAID
from tsunagu.trust import rules
from tsunagu.trust.models import Review
from tsunagu.trust.rules import ReviewedRole, Window

PER_PAGE = 10


@dataclass(frozen=True)
class Tag:
    code: str
    label: str


@dataclass(frozen=True)
class PublicReview:
    """A published review as anyone may see it: no private feedback, no exact amount."""

    id: int
    contract_id: int
    role: str
    author_name: str
    author_profile_id: int | None
    stars: int
    tags: list[Tag]
    text: str | None  # None when staff hid it
    text_hidden: bool
    reply: str | None
    replied_at: datetime.datetime | None
    revealed_at: datetime.datetime
    category: str | None
    value_band: str


@dataclass(frozen=True)
class Summary:
    count: int
    average: float | None


def _contract_value() -> Subquery:
    return Subquery(
        Milestone.objects.filter(contract_id=OuterRef("contract_id"))
        .order_by()
        .values("contract_id")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=IntegerField(),
    )


def _published(*, user_id: int, role: str) -> QuerySet[Review]:
    return Review.objects.filter(
        subject_id=user_id, subject_role=role, revealed_at__isnull=False
    ).order_by("-revealed_at", "-id")


def public_review(review: Review) -> PublicReview:
    """A published review as anyone sees it (``review`` comes from :func:`review_page`)."""
    assert review.revealed_at is not None
    profile = getattr(review.author, "profile", None)
    proposal = getattr(review.contract, "proposal", None)
    category = proposal.job.category if proposal is not None and proposal.job else None
    value = getattr(review, "contract_value", None) or 0
    return PublicReview(
        id=review.pk,
        contract_id=review.contract_id,
        role=review.subject_role,
        author_name=profile.display_name if profile is not None else "",
        author_profile_id=profile.pk if profile is not None else None,
        stars=review.stars,
        tags=[Tag(code, rules.tag_label(review.subject_role, code)) for code in review.tags],
        text=None if review.is_text_hidden else review.text,
        text_hidden=review.is_text_hidden,
        reply=review.reply or None,
        replied_at=review.replied_at,
        revealed_at=review.revealed_at,
        category=category.name if category is not None else None,
        value_band=rules.value_band(value),
    )


def review_page(
    *, user_id: int, role: str, page_number: int | str | None = 1, per_page: int = PER_PAGE
) -> Page[Review]:
    """One page of the published reviews of ``user_id`` in ``role``, newest first.

    Two queries whatever the page size: the count and the page, with the author's profile, the
    contract's category and its value (summed in the same query).
    """
    if role not in ReviewedRole.values:
        raise Http404
    rows: QuerySet[Review] = (
        _published(user_id=user_id, role=role)
        .select_related(
            "author__profile", "contract__proposal__job__category", "contract__proposal__job"
        )
        .defer("private_feedback")
        .annotate(contract_value=Coalesce(_contract_value(), 0))
    )
    page: Page[Review] = Paginator(rows, per_page).get_page(page_number)
    return page


def public_reviews(page: Page[Review]) -> list[PublicReview]:
    return [public_review(review) for review in page.object_list]


def review_summary(*, user_id: int) -> dict[str, Summary]:
    """Count and average stars of the published reviews, per role (hidden texts still count)."""
    rows = (
        Review.objects.filter(subject_id=user_id, revealed_at__isnull=False)
        .values("subject_role")
        .annotate(count=Count("id"), average=Avg("stars"))
        .order_by()
    )
    found = {row["subject_role"]: row for row in rows}
    return {
        role: Summary(
            count=found[role]["count"] if role in found else 0,
            average=round(found[role]["average"], 1) if role in found else None,
        )
        for role in ReviewedRole.values
    }


@dataclass(frozen=True)
class PendingReview:
    contract: Contract
    completed_at: datetime.datetime
    reveal_at: datetime.datetime
    other_name: str
    role: str  # the role of the person to review


def pending_reviews(*, user: User, now: datetime.datetime | None = None) -> list[PendingReview]:
    """Contracts ``user`` may still review: paid, within the blind period, not yet reviewed."""
    now = now or timezone.now()
    contracts = (
        Contract.objects.filter(Q(client=user) | Q(worker=user))
        .annotate(completed_at=Min("milestones__closed_at", filter=Q(milestones__status__in=PAID)))
        .filter(completed_at__isnull=False, completed_at__gt=now - rules.BLIND_PERIOD)
        .exclude(reviews__author=user)
        .select_related("client__profile", "worker__profile")
        .order_by("completed_at", "pk")
    )
    out = []
    for contract in contracts:
        completed_at: datetime.datetime = contract.completed_at
        other = contract.other_party(user.pk)
        out.append(
            PendingReview(
                contract=contract,
                completed_at=completed_at,
                reveal_at=Window(completed_at).reveal_at,
                other_name=other.profile.display_name,
                role=ReviewedRole.WORKER if user.pk == contract.client_id else ReviewedRole.CLIENT,
            )
        )
    return out


@dataclass(frozen=True)
class ContractReviews:
    """What one party of a contract sees of its reviews, and may do with them."""

    contract: Contract
    role: str  # the role of the person the viewer reviews
    completed_at: datetime.datetime | None
    mine: Review | None  # the viewer's own review, private feedback included
    theirs: PublicReview | None  # the other side's review, only once published
    theirs_written: bool  # the other side has written (its content stays hidden until reveal)

    @property
    def window(self) -> Window | None:
        return Window(self.completed_at) if self.completed_at is not None else None

    def is_open(self, now: datetime.datetime) -> bool:
        return self.window is not None and self.window.is_open(now)

    def can_write(self, now: datetime.datetime) -> bool:
        return self.mine is None and self.is_open(now)

    def can_edit(self, now: datetime.datetime) -> bool:
        return self.mine is not None and not self.mine.is_revealed and self.is_open(now)

    @property
    def can_reply(self) -> bool:
        return self.theirs is not None and self.theirs.reply is None

    @property
    def reveal_at(self) -> datetime.datetime | None:
        return self.window.reveal_at if self.window is not None else None


def contract_reviews(*, contract: Contract, viewer: User) -> ContractReviews:
    """The reviews of ``contract`` as its party ``viewer`` may see them; 404 for anyone else."""
    if not contract.is_party(viewer.pk):
        raise Http404
    completed_at: datetime.datetime | None = Milestone.objects.filter(
        contract=contract, status__in=PAID
    ).aggregate(first=Min("closed_at"))["first"]
    rows = list(
        Review.objects.filter(contract=contract)
        .select_related(
            "author__profile", "contract__proposal__job__category", "contract__proposal__job"
        )
        .annotate(contract_value=Coalesce(_contract_value(), 0))
    )
    mine = next((r for r in rows if r.author_id == viewer.pk), None)
    other = next((r for r in rows if r.author_id != viewer.pk), None)
    return ContractReviews(
        contract=contract,
        role=ReviewedRole.WORKER if viewer.pk == contract.client_id else ReviewedRole.CLIENT,
        completed_at=completed_at,
        mine=mine,
        theirs=public_review(other) if other is not None and other.is_revealed else None,
        theirs_written=other is not None,
    )


def can_review_now(
    *, contract: Contract, viewer: User, now: datetime.datetime | None = None
) -> bool | None:
    """For the contract page, in one query: None while nothing was paid (no box to show), else
    whether ``viewer`` may write a review now."""
    if not contract.is_party(viewer.pk):
        return None
    row = Milestone.objects.filter(contract=contract).aggregate(
        completed_at=Min("closed_at", filter=Q(status__in=PAID)),
        reviewed=Count(
            "contract__reviews", filter=Q(contract__reviews__author=viewer), distinct=True
        ),
    )
    completed_at: datetime.datetime | None = row["completed_at"]
    if completed_at is None:
        return None
    return not row["reviewed"] and Window(completed_at).is_open(now or timezone.now())


def review_for_subject(*, pk: int, viewer: User) -> Review:
    """A review of ``viewer`` (to reply to or report); 404 for anyone else.

    The person reviewed was told that a review was written, so an unpublished one is found and
    the service refuses the action with ``not_revealed``; its content is never returned here.
    """
    review = Review.objects.filter(pk=pk, subject=viewer).select_related("contract").first()
    if review is None:
        raise Http404
    return review


def review_of_author(*, contract: Contract, author: User) -> Review | None:
    return Review.objects.filter(contract=contract, author=author).first()
