"""Verification levels for one person, and badges for many in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from tests.accounts import files
from tests.accounts.factories import UserFactory
from tsunagu.accounts import selectors, services
from tsunagu.accounts.models import DocumentKind, PhoneNumber, User

pytestmark = pytest.mark.django_db


def states(user: User) -> dict[str, str]:
    return {level.code: level.state for level in selectors.verification_levels(user=user)}


def test_new_account_has_only_its_email_verified() -> None:
    user = UserFactory()
    assert states(user) == {
        "email": "verified",
        "phone": "missing",
        "identity_document": "missing",
        "real_name": "missing",
        "face_photo": "missing",
    }
    assert selectors.verified_levels(user=user) == {"email"}
    step = selectors.next_verification_step(user=user)
    assert step is not None and step.code == "phone" and step.url == "/account/verification/phone/"


def test_unverified_email_is_the_first_step() -> None:
    user = UserFactory(verified_email=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    step = selectors.next_verification_step(user=user)
    assert step is not None and step.code == "email" and step.state == "missing"


def test_levels_follow_the_review(sms: list[Any]) -> None:
    staff = UserFactory(is_staff=True)
    user = UserFactory(legal_family_name="山田", legal_given_name="花子")
    identity = services.verification_document_submit(
        user=user,
        kind=DocumentKind.IDENTITY_DOCUMENT,
        upload=files.png(),
        document_type="passport",
    )
    assert states(user)["identity_document"] == "pending"
    assert states(user)["real_name"] == "pending"
    services.verification_document_reject(
        document=identity, reviewer=staff, reason="The corners are cut off."
    )
    levels = {level.code: level for level in selectors.verification_levels(user=user)}
    assert levels["identity_document"].state == "rejected"
    assert levels["identity_document"].detail == "The corners are cut off."
    assert levels["real_name"].state == "rejected"
    step = selectors.next_verification_step(user=user)
    assert step is not None and step.code == "phone"

    second = services.verification_document_submit(
        user=user,
        kind=DocumentKind.IDENTITY_DOCUMENT,
        upload=files.pdf(),
        document_type="passport",
    )
    services.verification_document_approve(document=second, reviewer=staff)
    user.refresh_from_db()
    assert states(user)["identity_document"] == "verified"
    assert states(user)["real_name"] == "verified"
    assert selectors.verified_levels(user=user) == {"email", "identity_document", "real_name"}


def test_phone_is_pending_while_a_code_is_open(sms: list[Any]) -> None:
    user = UserFactory()
    services.phone_challenge_start(user=user, raw_number="090-1234-5678")
    assert states(user)["phone"] == "pending"
    PhoneNumber.objects.create(user=user, number="+819012345678", verified_at=timezone.now())
    assert states(user)["phone"] == "verified"


def test_labels_are_translated() -> None:
    from django.utils import translation

    user = UserFactory()
    with translation.override("en"):
        assert selectors.verification_levels(user=user)[1].label == "Phone number"
    with translation.override("ja"):
        assert selectors.verification_levels(user=user)[1].label == "電話番号"


def make_verified_user(index: int, staff: User) -> User:
    user: User = UserFactory(
        legal_family_name="山田",
        legal_given_name=f"花子{index}",
        real_name_verified_at=timezone.now() - timedelta(days=1),
    )
    PhoneNumber.objects.create(
        user=user, number=f"+8190123400{index:02d}", verified_at=timezone.now()
    )
    face = services.verification_document_submit(
        user=user, kind=DocumentKind.FACE_PHOTO, upload=files.jpeg()
    )
    services.verification_document_approve(document=face, reviewer=staff)
    return user


@pytest.mark.parametrize("count", [1, 6])
def test_verified_levels_for_runs_one_query_whatever_the_rows(
    count: int, django_assert_num_queries: Any
) -> None:
    staff = UserFactory(is_staff=True)
    users = [make_verified_user(i, staff) for i in range(count)]
    plain = UserFactory(verified_email=False)
    ids = [u.pk for u in users] + [plain.pk, 999_999]
    with django_assert_num_queries(1):
        result = selectors.verified_levels_for(user_ids=ids)
    for user in users:
        assert result[user.pk] == {"email", "phone", "real_name", "face_photo"}
    assert result[plain.pk] == set()
    assert result[999_999] == set()


def test_verified_levels_for_nothing_asks_nothing(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert selectors.verified_levels_for(user_ids=[]) == {}
