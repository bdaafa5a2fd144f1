"""/api/v1/reviews: write, edit, reply to and report reviews; read a person's published ones.

The same services and selectors as the pages. Only the two parties reach a contract's reviews
(404 for anyone else); a refusal (a ``ReviewError``) is answered by the API's one error handler
with its stable code: 403 for the wrong person, 422 for bad values, 409 when the stage of the
review does not allow it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from tsunagu.accounts.request import signed_in_user
from tsunagu.api.schemas import ErrorOut
from tsunagu.contracts.selectors import contract_for_party
from tsunagu.core.fields import Int
from tsunagu.profiles.models import Profile
from tsunagu.trust import rules, selectors, services
from tsunagu.trust.models import Review
from tsunagu.trust.schemas import (
    ContractReviewsOut,
    MyReviewOut,
    PendingOut,
    PublicReviewOut,
    ReplyIn,
    ReportIn,
    ReportOut,
    ReviewIn,
    ReviewListOut,
    SummaryOut,
    TagOut,
    TagsOut,
)

router = Router(tags=["reviews"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 409, 422, 429): ErrorOut}


class PageFilter(Schema):
    page: Int = 1


def _tags(role: str, codes: list[str]) -> list[TagOut]:
    return [TagOut(code=code, label=rules.tag_label(role, code)) for code in codes]


def _mine(review: Review) -> MyReviewOut:
    return MyReviewOut(
        id=review.pk,
        contract_id=review.contract_id,
        role=review.subject_role,  # type: ignore[arg-type]
        stars=review.stars,
        tags=_tags(review.subject_role, review.tags),
        text=review.text,
        private_feedback=review.private_feedback,
        created_at=review.created_at,
        edited_at=review.edited_at,
        revealed_at=review.revealed_at,
        text_hidden=review.is_text_hidden,
        reply=review.reply or None,
    )


def _public(review: selectors.PublicReview) -> PublicReviewOut:
    fields = asdict(review)
    fields["tags"] = [TagOut(**tag) for tag in fields["tags"]]
    return PublicReviewOut(**fields)


def _contract_reviews(request: HttpRequest, contract_id: int) -> ContractReviewsOut:
    user = signed_in_user(request)
    contract = contract_for_party(pk=contract_id, viewer=user)
    state = selectors.contract_reviews(contract=contract, viewer=user)
    now = timezone.now()
    return ContractReviewsOut(
        contract_id=contract.pk,
        role=state.role,  # type: ignore[arg-type]
        completed_at=state.completed_at,
        reveal_at=state.reveal_at,
        can_write=state.can_write(now),
        can_edit=state.can_edit(now),
        mine=_mine(state.mine) if state.mine is not None else None,
        theirs=_public(state.theirs) if state.theirs is not None else None,
        theirs_written=state.theirs_written,
    )


@router.get("/tags", response={200: TagsOut, **ERRORS}, auth=None, summary="The review tags")
def tags(request: HttpRequest) -> Any:
    return TagsOut(
        worker=_tags(rules.ReviewedRole.WORKER, list(rules.WORKER_TAGS)),
        client=_tags(rules.ReviewedRole.CLIENT, list(rules.CLIENT_TAGS)),
    )


@router.get("/pending", response={200: list[PendingOut], **ERRORS}, summary="Reviews to write")
def pending(request: HttpRequest) -> Any:
    return [
        PendingOut(
            contract_id=p.contract.pk,
            title=p.contract.title,
            role=p.role,  # type: ignore[arg-type]
            other_name=p.other_name,
            completed_at=p.completed_at,
            reveal_at=p.reveal_at,
        )
        for p in selectors.pending_reviews(user=signed_in_user(request))
    ]


@router.get(
    "/contracts/{int:contract_id}",
    response={200: ContractReviewsOut, **ERRORS},
    summary="A contract's reviews, as one of its parties sees them",
)
def contract_reviews(request: HttpRequest, contract_id: int) -> Any:
    return _contract_reviews(request, contract_id)


@router.post(
    "/contracts/{int:contract_id}",
    response={201: ContractReviewsOut, **ERRORS},
    summary="Review the other party of a paid contract",
)
def submit(request: HttpRequest, contract_id: int, payload: ReviewIn) -> Any:
    user = signed_in_user(request)
    contract = contract_for_party(pk=contract_id, viewer=user)
    services.review_submit(
        contract=contract,
        by=user,
        stars=payload.stars,
        tags=payload.tags,
        text=payload.text,
        private_feedback=payload.private_feedback,
    )
    return Status(201, _contract_reviews(request, contract_id))


@router.put(
    "/contracts/{int:contract_id}",
    response={200: ContractReviewsOut, **ERRORS},
    summary="Change my review while it is still hidden",
)
def edit(request: HttpRequest, contract_id: int, payload: ReviewIn) -> Any:
    user = signed_in_user(request)
    contract = contract_for_party(pk=contract_id, viewer=user)
    review = selectors.review_of_author(contract=contract, author=user)
    if review is None:
        raise Http404
    services.review_edit(
        review=review,
        by=user,
        stars=payload.stars,
        tags=payload.tags,
        text=payload.text,
        private_feedback=payload.private_feedback,
    )
    return _contract_reviews(request, contract_id)


@router.post(
    "/{int:review_id}/reply",
    response={200: ContractReviewsOut, **ERRORS},
    summary="Reply in public to a review of me (once, after it is published)",
)
def reply(request: HttpRequest, review_id: int, payload: ReplyIn) -> Any:
    user = signed_in_user(request)
    review = selectors.review_for_subject(pk=review_id, viewer=user)
    services.review_reply(review=review, by=user, text=payload.text)
    return _contract_reviews(request, review.contract_id)


@router.post(
    "/{int:review_id}/report",
    response={201: ReportOut, **ERRORS},
    summary="Ask staff to look at a review of me",
)
def report(request: HttpRequest, review_id: int, payload: ReportIn) -> Any:
    user = signed_in_user(request)
    review = selectors.review_for_subject(pk=review_id, viewer=user)
    made = services.review_report(review=review, by=user, reason=payload.reason)
    return Status(201, ReportOut(id=made.pk, review_id=made.review_id, created_at=made.created_at))


@router.get(
    "/people/{int:profile_id}/{role}",
    response={200: ReviewListOut, **ERRORS},
    auth=None,
    summary="A person's published reviews as a worker or as a client, newest first",
)
def person_reviews(
    request: HttpRequest, profile_id: int, role: str, filters: Query[PageFilter]
) -> Any:
    profile = Profile.objects.filter(pk=profile_id, user__is_active=True).first()
    if profile is None or role not in rules.ReviewedRole.values:
        raise Http404
    page = selectors.review_page(
        user_id=profile.user_id, role=role, page_number=max(filters.page, 1)
    )
    summary = selectors.review_summary(user_id=profile.user_id)[role]
    return ReviewListOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        summary=SummaryOut(count=summary.count, average=summary.average),
        items=[_public(r) for r in selectors.public_reviews(page)],
    )
