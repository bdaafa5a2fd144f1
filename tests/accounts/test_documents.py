"""Identity documents and face photos: upload checks, review decisions, audit and e-mail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import storages

from tests.accounts import files
from tests.accounts.factories import UserFactory
from tsunagu.accounts import services
from tsunagu.accounts.models import DocumentKind, ReviewStatus, User, VerificationDocument
from tsunagu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def named_user(**kwargs: Any) -> User:
    user: User = UserFactory(legal_family_name="山田", legal_given_name="花子", **kwargs)
    return user


def submit_identity(user: User, upload: Any = None) -> VerificationDocument:
    return services.verification_document_submit(
        user=user,
        kind=DocumentKind.IDENTITY_DOCUMENT,
        upload=upload or files.pdf(),
        document_type="drivers_license",
    )


def private_files() -> list[str]:
    storage = storages["private"]
    found: list[str] = []

    def walk(path: str) -> None:
        dirs, names = storage.listdir(path) if storage.exists(path) else ([], [])
        found.extend(f"{path}/{n}" for n in names)
        for d in dirs:
            walk(f"{path}/{d}")

    walk("verification")
    return found


@pytest.fixture
def staff() -> User:
    user: User = UserFactory(is_staff=True, is_superuser=True)
    return user


# --- submitting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [files.pdf, files.png, files.jpeg])
def test_identity_document_accepts_pdf_png_and_jpeg(make: Callable[[], Any]) -> None:
    user = named_user()
    document = submit_identity(user, make())
    assert document.status == ReviewStatus.PENDING
    assert document.submitted_legal_name == "山田 花子"
    assert len(document.sha256) == 64
    assert storages["private"].exists(document.file.name)
    # the uploader's file name is not kept
    assert "licence" not in document.file.name and "card" not in document.file.name
    assert AuditEvent.objects.filter(event="verification_document.submitted").count() == 1


def test_wrong_magic_bytes_are_refused_and_nothing_is_stored() -> None:
    user = named_user()
    with pytest.raises(ValidationError) as info:
        submit_identity(user, files.exe_named_pdf())
    assert info.value.code == "file_type"
    assert not VerificationDocument.objects.exists()
    assert private_files() == []


def test_oversized_upload_is_refused() -> None:
    user = named_user()
    with pytest.raises(ValidationError) as info:
        submit_identity(user, files.oversized_pdf())
    assert info.value.code == "file_too_large"
    assert not VerificationDocument.objects.exists()


def test_face_photo_must_be_an_image() -> None:
    user = UserFactory()
    with pytest.raises(ValidationError) as info:
        services.verification_document_submit(
            user=user, kind=DocumentKind.FACE_PHOTO, upload=files.pdf()
        )
    assert info.value.code == "file_type"
    document = services.verification_document_submit(
        user=user, kind=DocumentKind.FACE_PHOTO, upload=files.jpeg()
    )
    assert document.content_type == "image/jpeg"


def test_identity_document_needs_the_legal_name_first() -> None:
    user = UserFactory()
    with pytest.raises(ValidationError) as info:
        submit_identity(user)
    assert info.value.code == "name_missing"
    assert not VerificationDocument.objects.exists()
    assert private_files() == []


def test_identity_document_needs_a_document_type() -> None:
    with pytest.raises(ValidationError) as info:
        services.verification_document_submit(
            user=named_user(), kind=DocumentKind.IDENTITY_DOCUMENT, upload=files.pdf()
        )
    assert info.value.code == "document_type"


def test_only_one_document_of_a_kind_waits_for_review() -> None:
    user = named_user()
    submit_identity(user)
    with pytest.raises(ValidationError) as info:
        submit_identity(user, files.png())
    assert info.value.code == "document_pending"
    assert VerificationDocument.objects.count() == 1
    assert len(private_files()) == 1


# --- deciding -----------------------------------------------------------------------------------


def test_approve_confirms_the_real_name_writes_audit_and_mails_after_commit(
    staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    user = named_user(language="en")
    document = submit_identity(user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.verification_document_approve(document=document, reviewer=staff)
    # nothing is mailed until the transaction commits
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    document.refresh_from_db()
    user.refresh_from_db()
    assert document.status == ReviewStatus.APPROVED
    assert document.reviewed_by == staff
    assert user.real_name_verified_at is not None
    event = AuditEvent.objects.get(event="verification_document.approved")
    assert event.actor == staff and event.subject_id == str(document.pk)
    assert event.after["real_name_verified"] is True  # type: ignore[index]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "approved" in mail.outbox[0].subject


def test_reject_carries_the_reason_to_the_user(
    staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    user = named_user(language="en")
    document = submit_identity(user)
    with django_capture_on_commit_callbacks(execute=True):
        services.verification_document_reject(
            document=document, reviewer=staff, reason="The photo is blurred."
        )
    document.refresh_from_db()
    user.refresh_from_db()
    assert document.status == ReviewStatus.REJECTED
    assert document.rejection_reason == "The photo is blurred."
    assert user.real_name_verified_at is None
    assert AuditEvent.objects.filter(event="verification_document.rejected").count() == 1
    assert "The photo is blurred." in mail.outbox[0].body


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_without_reason_changes_nothing(staff: User, reason: str) -> None:
    document = submit_identity(named_user())
    with pytest.raises(ValidationError) as info:
        services.verification_document_reject(document=document, reviewer=staff, reason=reason)
    assert info.value.code == "reason_required"
    document.refresh_from_db()
    assert document.status == ReviewStatus.PENDING
    assert not AuditEvent.objects.filter(event__startswith="verification_document.rej").exists()


@pytest.mark.parametrize("second", ["approve", "reject"])
@pytest.mark.parametrize("first", ["approve", "reject"])
def test_a_document_is_decided_once(
    staff: User, first: str, second: str, django_capture_on_commit_callbacks: Any
) -> None:
    document = submit_identity(named_user())

    def decide(action: str) -> None:
        if action == "approve":
            services.verification_document_approve(document=document, reviewer=staff)
        else:
            services.verification_document_reject(document=document, reviewer=staff, reason="no")

    with django_capture_on_commit_callbacks(execute=True):
        decide(first)
    status_after_first = VerificationDocument.objects.get(pk=document.pk).status
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as info:
        decide(second)
    assert info.value.code == "already_reviewed"
    assert VerificationDocument.objects.get(pk=document.pk).status == status_after_first
    assert (
        AuditEvent.objects.filter(event__startswith="verification_document.")
        .exclude(event="verification_document.submitted")
        .count()
        == 1
    )
    assert len(mail.outbox) == 1


def test_stale_copy_cannot_decide_again(staff: User) -> None:
    """The service re-reads the row under lock: an old in-memory copy does not help."""
    document = submit_identity(named_user())
    stale = VerificationDocument.objects.get(pk=document.pk)
    services.verification_document_approve(document=document, reviewer=staff)
    assert stale.status == ReviewStatus.PENDING
    with pytest.raises(ValidationError):
        services.verification_document_reject(document=stale, reviewer=staff, reason="late")
    assert VerificationDocument.objects.get(pk=document.pk).status == ReviewStatus.APPROVED


def test_staff_cannot_review_their_own_document(staff: User) -> None:
    staff.legal_family_name, staff.legal_given_name = "鈴木", "一郎"
    staff.save()
    document = submit_identity(staff)
    with pytest.raises(ValidationError) as info:
        services.verification_document_approve(document=document, reviewer=staff)
    assert info.value.code == "own_document"
    document.refresh_from_db()
    assert document.status == ReviewStatus.PENDING


def test_non_staff_cannot_decide() -> None:
    document = submit_identity(named_user())
    with pytest.raises(ValidationError) as info:
        services.verification_document_approve(document=document, reviewer=UserFactory())
    assert info.value.code == "not_staff"


def test_changed_name_is_not_confirmed_by_an_older_document(staff: User) -> None:
    user = named_user()
    document = submit_identity(user)
    services.verification_document_approve(document=document, reviewer=staff)
    user.refresh_from_db()
    assert user.real_name_verified_at is not None
    services.user_legal_name_set(user=user, family_name="佐藤", given_name="花子")
    user.refresh_from_db()
    assert user.real_name_verified_at is None
    assert AuditEvent.objects.filter(event="user.legal_name_changed").exists()


def test_name_cannot_change_while_the_document_is_reviewed() -> None:
    user = named_user()
    submit_identity(user)
    with pytest.raises(ValidationError) as info:
        services.user_legal_name_set(user=user, family_name="佐藤", given_name="花子")
    assert info.value.code == "name_locked"
    user.refresh_from_db()
    assert user.legal_name == "山田 花子"


@pytest.mark.parametrize(
    ("family", "given", "code"),
    [
        ("<script>alert(1)</script>", "花子", "name_markup"),
        ("山田", "<b>花子</b>", "name_markup"),
        ("山田", "a < b", "name_markup"),
        ("", "花子", "name_required"),
        ("山" * 61, "花子", "name_too_long"),
    ],
)
def test_names_with_markup_are_refused_not_altered(family: str, given: str, code: str) -> None:
    """Decision: names are plain text. Markup is refused with a message, never silently
    stripped, so the stored name is always exactly what the person typed and sees."""
    user = UserFactory()
    with pytest.raises(ValidationError) as info:
        services.user_legal_name_set(user=user, family_name=family, given_name=given)
    assert info.value.code == code
    user.refresh_from_db()
    assert user.legal_name == ""
