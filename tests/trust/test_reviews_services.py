"""Reviews: who may write them and when, the blind period, replies, reports, moderation and the
periodic reveal and reminders. Every refusal leaves every row as it was."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.trust.factories import completed_at, funded, paid_contract, revealed_pair, review
from tsunagu.audit.models import AuditEvent
from tsunagu.notifications.models import Notification
from tsunagu.trust import selectors
from tsunagu.trust.errors import ReviewError
from tsunagu.trust.models import Review, ReviewReminder, ReviewReport
from tsunagu.trust.rules import TEXT_MAX, ReviewedRole
from tsunagu.trust.services import (
    review_edit,
    review_hide,
    review_reminders_send,
    review_reply,
    review_report,
    reviews_reveal_due,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def snapshot() -> dict[str, Any]:
    return {
        "reviews": list(Review.objects.order_by("pk").values()),
        "reports": list(ReviewReport.objects.order_by("pk").values()),
        "reminders": list(ReviewReminder.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


def refused(call: Callable[[], object], code: str) -> ReviewError:
    before = snapshot()
    with pytest.raises(ReviewError) as caught:
        call()
    assert caught.value.code == code
    assert snapshot() == before, "a refused action changed something"
    return caught.value


# --- writing and the reveal -------------------------------------------------------------------


def test_each_review_stays_hidden_until_the_second_one_reveals_both() -> None:
    contract = paid_contract()
    first = review(contract, contract.client, tags=("on_time", "high_quality"))
    assert first.revealed_at is None
    assert first.subject_id == contract.worker_id and first.subject_role == ReviewedRole.WORKER
    assert first.completed_at == completed_at(contract)
    # the worker is told a review waits, without its content
    told = Notification.objects.get(user=contract.worker, kind="review.received")
    assert "丁寧" not in told.message

    second = review(contract, contract.worker, stars=4, tags=("pays_promptly",))
    first.refresh_from_db()
    assert second.subject_role == ReviewedRole.CLIENT
    assert first.revealed_at is not None and first.revealed_at == second.revealed_at
    assert AuditEvent.objects.filter(event="reviews.revealed").count() == 1
    assert Notification.objects.filter(kind="review.revealed").count() == 2


def test_a_stranger_cannot_review_someone_elses_contract() -> None:
    contract = paid_contract()
    stranger = UserFactory()
    refused(lambda: review(contract, stranger), "not_a_party")


def test_a_second_review_of_the_same_contract_is_refused() -> None:
    contract = paid_contract()
    review(contract, contract.client)
    refused(lambda: review(contract, contract.client, stars=1), "already_reviewed")


def test_no_review_before_money_has_moved() -> None:
    contract = funded()  # money held in escrow, nothing paid out
    refused(lambda: review(contract, contract.client), "not_paid")
    refused(lambda: review(contract, contract.worker), "not_paid")


@pytest.mark.parametrize("stars", [0, 6, -1, True])
def test_stars_out_of_range_are_refused(stars: int) -> None:
    contract = paid_contract()
    error = refused(lambda: review(contract, contract.client, stars=stars), "stars_range")
    assert error.field == "stars"


def test_the_database_refuses_stars_out_of_range_and_a_second_review() -> None:
    contract = paid_contract()
    good = review(contract, contract.client)
    fields = {
        "contract": contract,
        "subject": contract.client,
        "subject_role": ReviewedRole.CLIENT,
        "text": "x",
        "completed_at": good.completed_at,
    }
    with transaction.atomic(), pytest.raises(IntegrityError):
        Review.objects.create(author=contract.worker, stars=6, **fields)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Review.objects.create(
            **{**fields, "subject": contract.worker, "subject_role": ReviewedRole.WORKER},
            author=contract.client,
            stars=3,
        )


def test_text_over_the_limit_or_empty_is_refused() -> None:
    contract = paid_contract()
    error = refused(
        lambda: review(contract, contract.client, text="あ" * (TEXT_MAX + 1)), "text_too_long"
    )
    assert str(TEXT_MAX) in error.message
    refused(lambda: review(contract, contract.client, text="   "), "text_required")
    refused(lambda: review(contract, contract.client, private_feedback="x" * 5000), "text_too_long")


def test_unknown_tags_and_tags_of_the_other_role_are_refused() -> None:
    contract = paid_contract()
    refused(lambda: review(contract, contract.client, tags=("nice",)), "unknown_tags")
    # "pays_promptly" judges a client; the client reviews the worker
    refused(lambda: review(contract, contract.client, tags=("pays_promptly",)), "unknown_tags")


def test_the_window_closes_when_the_blind_period_ends() -> None:
    contract = paid_contract()
    later = completed_at(contract) + 14 * DAY
    refused(lambda: review(contract, contract.client, now=later), "window_closed")


# --- editing ----------------------------------------------------------------------------------


def test_the_author_edits_while_hidden_and_never_after_the_reveal() -> None:
    contract = paid_contract()
    mine = review(contract, contract.client, stars=3)
    refused(
        lambda: review_edit(review=mine, by=contract.worker, stars=1, text="x"), "not_the_author"
    )
    review_edit(review=mine, by=contract.client, stars=4, tags=["on_time"], text="良かったです")
    mine.refresh_from_db()
    assert (mine.stars, mine.tags, mine.text) == (4, ["on_time"], "良かったです")
    assert mine.edited_at is not None
    assert AuditEvent.objects.filter(event="review.edited", subject_id=str(mine.pk)).exists()

    review(contract, contract.worker)
    refused(
        lambda: review_edit(review=mine, by=contract.client, stars=1, text="やっぱり不満"),
        "revealed",
    )


def test_no_edit_after_the_blind_period_even_before_the_tick_publishes() -> None:
    contract = paid_contract()
    mine = review(contract, contract.client)
    later = completed_at(contract) + 15 * DAY
    refused(
        lambda: review_edit(review=mine, by=contract.client, stars=1, text="x", now=later),
        "revealed",
    )


def test_an_edit_with_bad_values_changes_nothing() -> None:
    contract = paid_contract()
    mine = review(contract, contract.client)
    refused(lambda: review_edit(review=mine, by=contract.client, stars=9, text="x"), "stars_range")


# --- replies and reports ----------------------------------------------------------------------


def test_one_public_reply_by_the_person_reviewed_after_the_reveal() -> None:
    contract = paid_contract()
    of_worker = review(contract, contract.client)
    refused(lambda: review_reply(review=of_worker, by=contract.worker, text="x"), "not_revealed")
    review(contract, contract.worker)
    refused(lambda: review_reply(review=of_worker, by=contract.client, text="x"), "not_the_subject")
    review_reply(review=of_worker, by=contract.worker, text="ありがとうございました")
    of_worker.refresh_from_db()
    assert of_worker.reply == "ありがとうございました" and of_worker.replied_at is not None
    refused(
        lambda: review_reply(review=of_worker, by=contract.worker, text="もう一度"),
        "already_replied",
    )


def test_the_person_reviewed_reports_once() -> None:
    _contract, of_worker, _of_client = revealed_pair()
    worker = of_worker.subject
    refused(
        lambda: review_report(review=of_worker, by=of_worker.author, reason="x"), "not_the_subject"
    )
    refused(lambda: review_report(review=of_worker, by=worker, reason=" "), "reason_required")
    review_report(review=of_worker, by=worker, reason="事実と異なる内容です")
    assert ReviewReport.objects.filter(review=of_worker, reporter=worker).count() == 1
    refused(lambda: review_report(review=of_worker, by=worker, reason="again"), "already_reported")


# --- moderation -------------------------------------------------------------------------------


def test_staff_hide_the_text_the_stars_still_count_and_the_author_is_told() -> None:
    _contract, of_worker, _of_client = revealed_pair()
    refused(lambda: review_hide(review=of_worker, by=of_worker.subject, reason="x"), "not_staff")
    staff = UserFactory(is_staff=True)
    refused(lambda: review_hide(review=of_worker, by=staff, reason=""), "reason_required")
    review_hide(review=of_worker, by=staff, reason="個人情報が含まれているため")
    of_worker.refresh_from_db()
    assert of_worker.is_text_hidden and of_worker.text_hidden_by == staff
    event = AuditEvent.objects.get(event="review.text_hidden", subject_id=str(of_worker.pk))
    assert event.after is not None
    assert event.actor == staff and event.after["reason"] == "個人情報が含まれているため"
    assert Notification.objects.filter(user=of_worker.author, kind="review.text_hidden").exists()

    page = selectors.review_page(user_id=of_worker.subject_id, role=ReviewedRole.WORKER)
    [shown] = selectors.public_reviews(page)
    assert shown.text is None and shown.text_hidden and shown.stars == 5
    summary = selectors.review_summary(user_id=of_worker.subject_id)[ReviewedRole.WORKER]
    assert summary.count == 1 and summary.average == 5.0
    refused(lambda: review_hide(review=of_worker, by=staff, reason="again"), "already_hidden")


# --- the periodic tick ------------------------------------------------------------------------


def test_a_lone_review_is_published_when_the_blind_period_ends_once() -> None:
    contract = paid_contract()
    lone = review(contract, contract.client)
    start = completed_at(contract)
    assert reviews_reveal_due(now=start + 13 * DAY) == 0
    lone.refresh_from_db()
    assert lone.revealed_at is None
    assert reviews_reveal_due(now=start + 14 * DAY) == 1
    lone.refresh_from_db()
    assert lone.revealed_at == start + 14 * DAY
    assert reviews_reveal_due(now=start + 15 * DAY) == 0
    assert AuditEvent.objects.filter(event="reviews.revealed").count() == 1


def test_reminders_at_3_and_10_days_once_each_to_the_side_that_has_not_reviewed() -> None:
    contract = paid_contract()
    start = completed_at(contract)
    assert review_reminders_send(now=start + 2 * DAY) == 0
    assert review_reminders_send(now=start + 3 * DAY) == 2
    assert review_reminders_send(now=start + 3 * DAY + datetime.timedelta(hours=1)) == 0
    review(contract, contract.client, now=start + 4 * DAY)
    assert review_reminders_send(now=start + 10 * DAY) == 1
    assert review_reminders_send(now=start + 11 * DAY) == 0
    assert set(ReviewReminder.objects.values_list("user_id", "day")) == {
        (contract.client_id, 3),
        (contract.worker_id, 3),
        (contract.worker_id, 10),
    }
    assert Notification.objects.filter(user=contract.worker, kind="review.reminder").count() == 2
    assert review_reminders_send(now=start + 15 * DAY) == 0


def test_a_late_tick_sends_one_reminder_and_records_both_days() -> None:
    contract = paid_contract()
    start = completed_at(contract)
    assert review_reminders_send(now=start + 11 * DAY) == 2
    assert ReviewReminder.objects.count() == 4
    assert review_reminders_send(now=start + 12 * DAY) == 0


def test_pending_reviews_list_what_is_still_to_write() -> None:
    contract = paid_contract()
    other = paid_contract(client=contract.client)
    funded(client=contract.client)  # not paid: nothing to review
    pending = selectors.pending_reviews(user=contract.client)
    assert [p.contract.pk for p in pending] == [contract.pk, other.pk]
    review(contract, contract.client)
    assert [p.contract.pk for p in selectors.pending_reviews(user=contract.client)] == [other.pk]
    later = timezone.now() + 15 * DAY
    assert selectors.pending_reviews(user=contract.client, now=later) == []
