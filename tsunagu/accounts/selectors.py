"""Reads for accounts: verification levels for one person, and badges for many at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import (
    BusinessDetails,
    DocumentKind,
    PhoneChallenge,
    PhoneNumber,
    ReviewStatus,
    User,
    VerificationDocument,
)

LEVEL_CODES = ("email", "phone", "identity_document", "real_name", "face_photo")

VERIFIED = "verified"
PENDING = "pending"
REJECTED = "rejected"
MISSING = "missing"


@dataclass(frozen=True)
class VerificationLevel:
    code: str
    label: str
    state: str
    url: str
    detail: str = ""

    @property
    def is_verified(self) -> bool:
        return self.state == VERIFIED

    @property
    def is_pending(self) -> bool:
        return self.state == PENDING

    @property
    def is_rejected(self) -> bool:
        return self.state == REJECTED

    @property
    def is_missing(self) -> bool:
        return self.state == MISSING

    @property
    def needs_action(self) -> bool:
        return self.state in (MISSING, REJECTED)


def level_label(code: str) -> str:
    labels = {
        "email": _("E-mail address"),
        "phone": _("Phone number"),
        "identity_document": _("Identity document"),
        "real_name": _("Real name"),
        "face_photo": _("Face photo"),
    }
    return labels[code]


def _latest_documents(user: User) -> dict[str, VerificationDocument]:
    """The most recent document of each kind, preferring an approved one over older rejections."""
    latest: dict[str, VerificationDocument] = {}
    approved: dict[str, VerificationDocument] = {}
    for document in VerificationDocument.objects.filter(user=user).order_by("-submitted_at", "-pk"):
        latest.setdefault(document.kind, document)
        if document.status == ReviewStatus.APPROVED:
            approved.setdefault(document.kind, document)
    result = dict(approved)
    for kind, document in latest.items():
        # a newer pending upload is what the person is waiting for; show it
        if kind not in result or document.status == ReviewStatus.PENDING:
            result[kind] = document
    return result


def _document_level(
    code: str, document: VerificationDocument | None, url: str
) -> VerificationLevel:
    if document is None:
        return VerificationLevel(code, level_label(code), MISSING, url)
    if document.status == ReviewStatus.APPROVED:
        return VerificationLevel(code, level_label(code), VERIFIED, url)
    if document.status == ReviewStatus.PENDING:
        return VerificationLevel(
            code, level_label(code), PENDING, url, _("Waiting for review by our staff.")
        )
    return VerificationLevel(code, level_label(code), REJECTED, url, document.rejection_reason)


def verification_levels(*, user: User) -> list[VerificationLevel]:
    """Each verification level with its state and the page where the person can act."""
    email_verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    phone = PhoneNumber.objects.filter(user=user).first()
    documents = _latest_documents(user)
    levels = [
        VerificationLevel(
            "email",
            level_label("email"),
            VERIFIED if email_verified else MISSING,
            reverse("account_email"),
            "" if email_verified else _("Open the link in the e-mail we sent you."),
        )
    ]
    phone_url = reverse("accounts:phone")
    if phone is not None:
        levels.append(VerificationLevel("phone", level_label("phone"), VERIFIED, phone_url))
    else:
        waiting = PhoneChallenge.objects.filter(
            user=user, consumed_at__isnull=True, expires_at__gt=timezone.now()
        ).exists()
        levels.append(
            VerificationLevel(
                "phone",
                level_label("phone"),
                PENDING if waiting else MISSING,
                phone_url,
                _("Enter the code we sent by SMS.") if waiting else "",
            )
        )
    identity = documents.get(DocumentKind.IDENTITY_DOCUMENT)
    levels.append(
        _document_level("identity_document", identity, reverse("accounts:identity_document"))
    )
    levels.append(_real_name_level(user, identity))
    levels.append(
        _document_level(
            "face_photo", documents.get(DocumentKind.FACE_PHOTO), reverse("accounts:face_photo")
        )
    )
    return levels


def _real_name_level(user: User, identity: VerificationDocument | None) -> VerificationLevel:
    url = reverse("accounts:real_name")
    label = level_label("real_name")
    if user.real_name_verified_at:
        return VerificationLevel("real_name", label, VERIFIED, url)
    if not user.legal_name:
        return VerificationLevel(
            "real_name", label, MISSING, url, _("Enter your name as on your identity document.")
        )
    if identity is not None and identity.submitted_legal_name == user.legal_name:
        if identity.status == ReviewStatus.PENDING:
            return VerificationLevel(
                "real_name", label, PENDING, url, _("Waiting for review by our staff.")
            )
        if identity.status == ReviewStatus.REJECTED:
            return VerificationLevel("real_name", label, REJECTED, url, identity.rejection_reason)
    return VerificationLevel(
        "real_name",
        label,
        MISSING,
        reverse("accounts:identity_document"),
        _("Upload an identity document that shows this name."),
    )


def next_verification_step(*, user: User) -> VerificationLevel | None:
    """The first level the person can act on now (missing or rejected), or None."""
    for level in verification_levels(user=user):
        if level.needs_action:
            return level
    return None


def verified_levels_for(*, user_ids: Iterable[int]) -> dict[int, set[str]]:
    """Verified level codes for each user id, in one query whatever the number of users."""
    ids = list({int(pk) for pk in user_ids})
    result: dict[int, set[str]] = {pk: set() for pk in ids}
    if not ids:
        return result

    def approved(kind: str) -> Exists:
        return Exists(
            VerificationDocument.objects.filter(
                user=OuterRef("pk"), kind=kind, status=ReviewStatus.APPROVED
            )
        )

    rows = (
        User.objects.filter(pk__in=ids)
        .annotate(
            v_email=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
            v_phone=Exists(PhoneNumber.objects.filter(user=OuterRef("pk"))),
            v_identity=approved(DocumentKind.IDENTITY_DOCUMENT),
            v_face=approved(DocumentKind.FACE_PHOTO),
        )
        .values_list("pk", "v_email", "v_phone", "v_identity", "real_name_verified_at", "v_face")
    )
    for pk, email, phone, identity, real_name_at, face in rows:
        flags = {
            "email": email,
            "phone": phone,
            "identity_document": identity,
            "real_name": real_name_at is not None,
            "face_photo": face,
        }
        result[pk] = {code for code in LEVEL_CODES if flags[code]}
    return result


def verified_levels(*, user: User) -> set[str]:
    """Verified level codes of one person, for badges on their profile."""
    return verified_levels_for(user_ids=[user.pk]).get(user.pk, set())


def document_for_viewer(*, viewer: User, document_pk: int) -> VerificationDocument | None:
    """A document the viewer may open: their own, or any for staff allowed to see documents."""
    if not viewer.is_authenticated:
        return None
    documents = VerificationDocument.objects.filter(pk=document_pk)
    if not (viewer.is_staff and viewer.has_perm("accounts.view_verificationdocument")):
        documents = documents.filter(user=viewer)
    return documents.first()


def documents_of(*, user: User, kind: str) -> list[VerificationDocument]:
    """The person's own documents of one kind, newest first."""
    return list(VerificationDocument.objects.filter(user=user, kind=kind).order_by("-submitted_at"))


def business_details_of(*, user: User) -> BusinessDetails | None:
    return BusinessDetails.objects.filter(user=user).first()
