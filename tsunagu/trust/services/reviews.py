"""Writing, editing, answering and reporting a review; the reveal when both sides have written.

Every write locks the contract row first, then its reviews in primary-key order: two parties
submitting at the same moment queue on the contract, so the second one sees the first review
and the pair is revealed exactly once.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.audit.services import audit_record
from tsunagu.contracts.models import Contract, Milestone
from tsunagu.contracts.states import PAID
from tsunagu.notifications.services import notify
from tsunagu.trust import rules
from tsunagu.trust.errors import ReviewError
from tsunagu.trust.models import Review, ReviewReport
from tsunagu.trust.rules import ReviewedRole, Window
from tsunagu.trust.scores import trust_scores_refresh_after_commit


def lock_contract(pk: int) -> Contract:
    return Contract.objects.select_for_update().select_related("client", "worker").get(pk=pk)


def lock_reviews(contract_id: int) -> list[Review]:
    return list(
        Review.objects.select_for_update()
        .select_related("author", "subject")
        .filter(contract_id=contract_id)
        .order_by("pk")
    )


def lock_review(review: Review) -> tuple[Contract, Review]:
    """Lock the contract, then the review: the one order every write uses."""
    contract_id = review.contract_id or Review.objects.values_list("contract_id", flat=True).get(
        pk=review.pk
    )
    contract = lock_contract(contract_id)
    locked = (
        Review.objects.select_for_update().select_related("author", "subject").get(pk=review.pk)
    )
    locked.contract = contract
    return contract, locked


def completion_of(contract_id: int) -> datetime.datetime | None:
    """When the contract's first milestone was paid out of escrow (see :mod:`..rules`)."""
    first: datetime.datetime | None = Milestone.objects.filter(
        contract_id=contract_id, status__in=PAID
    ).aggregate(first=Min("closed_at"))["first"]
    return first


def subject_role_for(contract: Contract, user: User) -> str:
    """The role of the person ``user`` reviews on ``contract``; refuse anyone but the parties."""
    if user.pk == contract.client_id:
        return ReviewedRole.WORKER
    if user.pk == contract.worker_id:
        return ReviewedRole.CLIENT
    raise ReviewError.refuse("not_a_party")


def _check_text(text: str, *, field: str, limit: int, required: bool = True) -> str:
    text = text.strip()
    if required and not text:
        raise ReviewError.refuse(
            "reason_required" if field == "reason" else "text_required", field=field
        )
    if len(text) > limit:
        raise ReviewError.refuse("text_too_long", field=field, limit=limit)
    return text


def _check_content(
    *, role: str, stars: int, tags: Sequence[str], text: str, private_feedback: str
) -> tuple[list[str], str, str]:
    if isinstance(stars, bool) or not isinstance(stars, int):
        raise ReviewError.refuse("stars_range", field="stars")
    if not rules.STARS_MIN <= stars <= rules.STARS_MAX:
        raise ReviewError.refuse("stars_range", field="stars")
    unknown = rules.unknown_tags(role, tags)
    if unknown:
        raise ReviewError.refuse("unknown_tags", field="tags", tags=", ".join(unknown))
    cleaned = rules.clean_tags(tags)
    if len(cleaned) > rules.TAGS_MAX:
        raise ReviewError.refuse("too_many_tags", field="tags", limit=rules.TAGS_MAX)
    return (
        cleaned,
        _check_text(text, field="text", limit=rules.TEXT_MAX),
        _check_text(
            private_feedback,
            field="private_feedback",
            limit=rules.PRIVATE_FEEDBACK_MAX,
            required=False,
        ),
    )


def _name(user: User) -> str:
    return user.profile.display_name


def write_url(contract: Contract) -> str:
    return reverse("trust:contract", args=[contract.pk])


def review_submit(
    *,
    contract: Contract,
    by: User,
    stars: int,
    tags: Sequence[str] = (),
    text: str,
    private_feedback: str = "",
    now: datetime.datetime | None = None,
) -> Review:
    """``by`` reviews the other party of ``contract``, once, within the blind period."""
    now = now or timezone.now()
    with transaction.atomic():
        contract = lock_contract(contract.pk)
        role = subject_role_for(contract, by)
        completed_at = completion_of(contract.pk)
        if completed_at is None:
            raise ReviewError.refuse("not_paid")
        if not Window(completed_at).is_open(now):
            raise ReviewError.refuse("window_closed")
        reviews = lock_reviews(contract.pk)
        if any(r.author_id == by.pk for r in reviews):
            raise ReviewError.refuse("already_reviewed")
        clean_tags, clean_text, clean_private = _check_content(
            role=role, stars=stars, tags=tags, text=text, private_feedback=private_feedback
        )
        subject = contract.other_party(by.pk)
        review = Review.objects.create(
            contract=contract,
            author=by,
            subject=subject,
            subject_role=role,
            stars=stars,
            tags=clean_tags,
            text=clean_text,
            private_feedback=clean_private,
            completed_at=completed_at,
        )
        audit_record(
            actor=by,
            subject=review,
            event="review.submitted",
            after={"contract": contract.pk, "stars": stars, "tags": clean_tags},
        )
        if reviews:
            reveal(contract, [*reviews, review], now=now, by=by)
        else:
            author_name = _name(by)
            notify(
                user=subject,
                kind="review.received",
                message=lambda: (
                    _(
                        "%(name)s has reviewed you for %(contract)s. Write your review: both "
                        "appear together."
                    )
                    % {"name": author_name, "contract": contract.title}
                ),
                url=write_url(contract),
            )
    return review


def reveal(
    contract: Contract, reviews: Sequence[Review], *, now: datetime.datetime, by: User | None
) -> None:
    """Publish the contract's reviews together; call it with the contract and reviews locked."""
    hidden = [r for r in reviews if r.revealed_at is None]
    if not hidden:
        return
    for review in hidden:
        review.revealed_at = now
        review.save(update_fields=["revealed_at"])
    audit_record(
        actor=by,
        subject=contract,
        event="reviews.revealed",
        after={"reviews": [r.pk for r in hidden]},
    )
    # Published stars count in the score at once (after the commit, outside the locks).
    people = [contract.client_id, contract.worker_id]
    transaction.on_commit(lambda: trust_scores_refresh_after_commit(user_ids=people))
    for review in hidden:
        notify(
            user=review.subject,
            kind="review.revealed",
            message=lambda: (
                _("The reviews of %(contract)s are now published.") % {"contract": contract.title}
            ),
            url=reverse("trust:contract", args=[contract.pk]),
        )


def review_edit(
    *,
    review: Review,
    by: User,
    stars: int,
    tags: Sequence[str] = (),
    text: str,
    private_feedback: str = "",
    now: datetime.datetime | None = None,
) -> Review:
    """The author changes the review while it is still hidden."""
    now = now or timezone.now()
    with transaction.atomic():
        _contract, review = lock_review(review)
        if review.author_id != by.pk:
            raise ReviewError.refuse("not_the_author")
        if review.is_revealed or not Window(review.completed_at).is_open(now):
            raise ReviewError.refuse("revealed")
        clean_tags, clean_text, clean_private = _check_content(
            role=review.subject_role,
            stars=stars,
            tags=tags,
            text=text,
            private_feedback=private_feedback,
        )
        before = {"stars": review.stars, "tags": review.tags, "text": review.text}
        review.stars = stars
        review.tags = clean_tags
        review.text = clean_text
        review.private_feedback = clean_private
        review.edited_at = now
        review.save(update_fields=["stars", "tags", "text", "private_feedback", "edited_at"])
        audit_record(
            actor=by,
            subject=review,
            event="review.edited",
            before=before,
            after={"stars": stars, "tags": clean_tags, "text": clean_text},
        )
    return review


def review_reply(
    *, review: Review, by: User, text: str, now: datetime.datetime | None = None
) -> Review:
    """The person reviewed answers in public, once, after the reveal."""
    now = now or timezone.now()
    with transaction.atomic():
        contract, review = lock_review(review)
        if review.subject_id != by.pk:
            raise ReviewError.refuse("not_the_subject")
        if not review.is_revealed:
            raise ReviewError.refuse("not_revealed")
        if review.replied_at is not None:
            raise ReviewError.refuse("already_replied")
        review.reply = _check_text(text, field="text", limit=rules.REPLY_MAX)
        review.replied_at = now
        review.save(update_fields=["reply", "replied_at"])
        audit_record(
            actor=by, subject=review, event="review.replied", after={"reply": review.reply}
        )
        name = _name(by)
        notify(
            user=review.author,
            kind="review.replied",
            message=lambda: (
                _("%(name)s replied to your review of %(contract)s.")
                % {"name": name, "contract": contract.title}
            ),
            url=reverse("trust:contract", args=[contract.pk]),
        )
    return review


def review_report(*, review: Review, by: User, reason: str) -> ReviewReport:
    """The person reviewed asks staff to look at a published review, once."""
    with transaction.atomic():
        _contract, review = lock_review(review)
        if review.subject_id != by.pk:
            raise ReviewError.refuse("not_the_subject")
        if not review.is_revealed:
            raise ReviewError.refuse("not_revealed")
        if ReviewReport.objects.filter(review=review, reporter=by).exists():
            raise ReviewError.refuse("already_reported")
        clean = _check_text(reason, field="reason", limit=rules.REPORT_REASON_MAX)
        report = ReviewReport.objects.create(review=review, reporter=by, reason=clean)
        audit_record(actor=by, subject=review, event="review.reported", after={"reason": clean})
    return report


def review_hide(
    *, review: Review, by: User, reason: str, now: datetime.datetime | None = None
) -> Review:
    """Staff hide a review's text for abuse; the stars still count. The author is told."""
    now = now or timezone.now()
    if not by.is_staff:
        raise ReviewError.refuse("not_staff")
    with transaction.atomic():
        contract, review = lock_review(review)
        if review.is_text_hidden:
            raise ReviewError.refuse("already_hidden")
        clean = _check_text(reason, field="reason", limit=rules.HIDE_REASON_MAX)
        review.text_hidden_at = now
        review.text_hidden_reason = clean
        review.text_hidden_by = by
        review.save(update_fields=["text_hidden_at", "text_hidden_reason", "text_hidden_by"])
        audit_record(
            actor=by,
            subject=review,
            event="review.text_hidden",
            before={"text_hidden": False},
            after={"text_hidden": True, "reason": clean},
        )
        notify(
            user=review.author,
            kind="review.text_hidden",
            message=lambda: (
                _("The text of your review of %(contract)s was hidden by staff: %(reason)s")
                % {"contract": contract.title, "reason": clean}
            ),
            url=reverse("trust:contract", args=[contract.pk]),
        )
    return review
