"""Two staff members deciding the same document at once: exactly one decision stands."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.accounts import files
from tests.accounts.factories import UserFactory
from tsunagu.accounts import services
from tsunagu.accounts.models import DocumentKind, ReviewStatus, User, VerificationDocument
from tsunagu.audit.models import AuditEvent


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approve_and_reject_one_wins() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    owner = UserFactory(legal_family_name="山田", legal_given_name="花子")
    document = services.verification_document_submit(
        user=owner,
        kind=DocumentKind.IDENTITY_DOCUMENT,
        upload=files.png(),
        document_type="passport",
    )
    first: User = UserFactory(is_staff=True)
    second: User = UserFactory(is_staff=True)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(action: str, reviewer: User) -> None:
        copy = VerificationDocument.objects.get(pk=document.pk)
        barrier.wait()
        try:
            if action == "approve":
                services.verification_document_approve(document=copy, reviewer=reviewer)
            else:
                services.verification_document_reject(
                    document=copy, reviewer=reviewer, reason="blurred"
                )
            outcomes.append(action)
        except ValidationError as exc:
            outcomes.append(str(exc.code))
        finally:
            connections.close_all()

    threads: list[Any] = [
        threading.Thread(target=decide, args=("approve", first)),
        threading.Thread(target=decide, args=("reject", second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes).count("already_reviewed") == 1, outcomes
    document.refresh_from_db()
    winner = next(o for o in outcomes if o != "already_reviewed")
    expected = ReviewStatus.APPROVED if winner == "approve" else ReviewStatus.REJECTED
    assert document.status == expected
    decisions = AuditEvent.objects.filter(
        event__in=["verification_document.approved", "verification_document.rejected"]
    )
    assert decisions.count() == 1
