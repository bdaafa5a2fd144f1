"""The staff review queue: who can reach it, the default filter, approve and reject views."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client

from tests.accounts import files
from tests.accounts.factories import UserFactory
from tsunagu.accounts import services
from tsunagu.accounts.models import DocumentKind, ReviewStatus, User, VerificationDocument
from tsunagu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

QUEUE = "/admin/accounts/verificationdocument/"


def review_url(document: VerificationDocument) -> str:
    return f"{QUEUE}{document.pk}/review/"


def identity(user: User | None = None) -> VerificationDocument:
    owner = user or UserFactory(legal_family_name="山田", legal_given_name="花子")
    return services.verification_document_submit(
        user=owner,
        kind=DocumentKind.IDENTITY_DOCUMENT,
        upload=files.png(),
        document_type="drivers_license",
    )


@pytest.fixture
def reviewer() -> User:
    user: User = UserFactory(is_staff=True, is_superuser=True)
    return user


def test_non_staff_cannot_reach_the_queue_or_the_review_view(client: Client) -> None:
    document = identity()
    client.force_login(UserFactory())
    for url in (QUEUE, review_url(document)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client.post(review_url(document), {"action": "approve"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == ReviewStatus.PENDING


def test_staff_without_permission_is_refused(client: Client) -> None:
    document = identity()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(review_url(document)).status_code == 403
    assert client.post(review_url(document), {"action": "approve"}).status_code == 403
    document.refresh_from_db()
    assert document.status == ReviewStatus.PENDING


def test_staff_who_may_only_view_cannot_decide(client: Client) -> None:
    document = identity()
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_verificationdocument"))
    client.force_login(viewer)
    assert client.get(review_url(document)).status_code == 200
    assert client.post(review_url(document), {"action": "approve"}).status_code == 403
    document.refresh_from_db()
    assert document.status == ReviewStatus.PENDING


def test_queue_shows_pending_documents_by_default(client: Client, reviewer: User) -> None:
    waiting = identity(
        UserFactory(email="waiting@example.com", legal_family_name="a", legal_given_name="b")
    )
    decided = identity(
        UserFactory(email="decided@example.com", legal_family_name="c", legal_given_name="d")
    )
    services.verification_document_reject(document=decided, reviewer=reviewer, reason="blurred")
    client.force_login(reviewer)
    html = client.get(QUEUE).content.decode()
    assert "waiting@example.com" in html and "decided@example.com" not in html
    assert review_url(waiting) in html
    html = client.get(QUEUE + "?status=all").content.decode()
    assert "waiting@example.com" in html and "decided@example.com" in html
    html = client.get(QUEUE + "?status=rejected").content.decode()
    assert "waiting@example.com" not in html and "decided@example.com" in html


def test_queue_runs_a_constant_number_of_queries(
    client: Client, reviewer: User, django_assert_max_num_queries: Any
) -> None:
    client.force_login(reviewer)
    identity()
    client.get(QUEUE)  # warm the session and content types
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE)
    for i in range(5):
        identity(UserFactory(legal_family_name="x", legal_given_name=str(i)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(QUEUE)


def test_review_page_previews_the_file(client: Client, reviewer: User) -> None:
    document = identity()
    client.force_login(reviewer)
    html = client.get(review_url(document)).content.decode()
    assert f"/account/verification/documents/{document.pk}/file/" in html
    assert "山田 花子" in html
    assert 'name="reason"' in html


def test_approve_from_the_admin(
    client: Client, reviewer: User, django_capture_on_commit_callbacks: Any
) -> None:
    document = identity()
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(document), {"action": "approve"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == ReviewStatus.APPROVED and document.reviewed_by == reviewer
    assert document.user.real_name_verified_at is not None
    assert AuditEvent.objects.filter(event="verification_document.approved").count() == 1
    assert len(mail.outbox) == 1
    # the audit row is visible to staff in the admin
    html = client.get("/admin/audit/auditevent/").content.decode()
    assert "verification_document.approved" in html


def test_reject_requires_a_reason(client: Client, reviewer: User) -> None:
    document = identity()
    client.force_login(reviewer)
    response = client.post(review_url(document), {"action": "reject", "reason": "  "})
    assert response.status_code == 400
    document.refresh_from_db()
    assert document.status == ReviewStatus.PENDING
    assert not AuditEvent.objects.filter(event="verification_document.rejected").exists()
    assert mail.outbox == []


def test_reject_with_a_reason(
    client: Client, reviewer: User, django_capture_on_commit_callbacks: Any
) -> None:
    document = identity()
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            review_url(document), {"action": "reject", "reason": "The licence has expired."}
        )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == ReviewStatus.REJECTED
    assert document.rejection_reason == "The licence has expired."
    assert "The licence has expired." in mail.outbox[0].body


def test_second_decision_from_the_admin_is_refused(client: Client, reviewer: User) -> None:
    document = identity()
    client.force_login(reviewer)
    client.post(review_url(document), {"action": "approve"})
    response = client.post(review_url(document), {"action": "reject", "reason": "late"})
    assert response.status_code == 400
    document.refresh_from_db()
    assert document.status == ReviewStatus.APPROVED
    assert AuditEvent.objects.filter(event="verification_document.rejected").count() == 0


def test_rows_cannot_be_edited_or_deleted_in_the_admin(client: Client, reviewer: User) -> None:
    document = identity()
    client.force_login(reviewer)
    client.post(f"{QUEUE}{document.pk}/change/", {"status": "approved"})
    document.refresh_from_db()
    assert document.status == ReviewStatus.PENDING
    assert client.get(f"{QUEUE}{document.pk}/delete/").status_code == 403


def test_user_admin_search_by_email(client: Client, reviewer: User) -> None:
    UserFactory(email="findme@example.com")
    UserFactory(email="other@example.com")
    client.force_login(reviewer)
    html = client.get("/admin/accounts/user/?q=findme").content.decode()
    assert "findme@example.com" in html and "other@example.com" not in html
    assert client.get("/admin/accounts/user/add/").status_code == 200
    assert client.get("/admin/accounts/businessdetails/").status_code == 200
    assert client.get("/admin/accounts/phonenumber/").status_code == 200
