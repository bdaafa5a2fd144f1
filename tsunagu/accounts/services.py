"""Writes for accounts: phone verification, identity documents, names, preferences, business.

Each function is the only way to make its change. Refusals raise ``ValidationError`` with a
translated message and a stable ``code`` and leave the database as it was (failed phone code
attempts are the one deliberate exception: they are counted even though the call fails).
Row locks are always taken user first, then the user's documents.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import unicodedata
import uuid
import zoneinfo
from collections.abc import Callable
from datetime import timedelta

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tsunagu.accounts import invoice_number
from tsunagu.accounts.models import (
    BusinessDetails,
    BusinessKind,
    DocumentKind,
    IdentityDocumentType,
    Language,
    PhoneChallenge,
    PhoneNumber,
    ReviewStatus,
    User,
    VerificationDocument,
    private_storage,
)
from tsunagu.accounts.sms import SmsError, get_sms_provider
from tsunagu.audit.services import audit_record
from tsunagu.core import ratelimit
from tsunagu.core.links import site_url
from tsunagu.core.text import has_markup
from tsunagu.core.uploads import check_upload

logger = logging.getLogger(__name__)

PHONE_DEFAULT_REGION = "JP"
PHONE_CODE_DIGITS = 6
PHONE_CODE_TTL = timedelta(minutes=10)
PHONE_MAX_ATTEMPTS = 5
PHONE_SENDS_PER_USER = 3
PHONE_SENDS_PER_NUMBER = 5
PHONE_SEND_WINDOW_SECONDS = 15 * 60

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_ALLOWED_KINDS: dict[str, set[str]] = {
    DocumentKind.IDENTITY_DOCUMENT: {"jpeg", "png", "pdf"},
    DocumentKind.FACE_PHOTO: {"jpeg", "png"},
}
_EXTENSION_FOR_KIND = {"jpeg": ".jpg", "png": ".png", "pdf": ".pdf"}
_CONTENT_TYPE_FOR_KIND = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}

NAME_MAX_LENGTH = 60
REJECTION_REASON_MAX_LENGTH = 1000


# --- Phone --------------------------------------------------------------------------------------


def phone_number_parse(raw: str, *, region: str = PHONE_DEFAULT_REGION) -> str:
    """``raw`` as an E.164 number, or ValidationError. Full-width digits are accepted."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="phone_required")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("This does not look like a phone number."), code="phone_invalid"
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("This phone number does not exist. Check the digits and the country code."),
            code="phone_invalid",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _phone_code_hash(*, user_id: int, number: str, code: str) -> str:
    # Keyed with SECRET_KEY: a leaked table does not let anyone try the million codes offline.
    return salted_hmac(
        "tsunagu.accounts.phone_code", f"{user_id}:{number}:{code}", algorithm="sha256"
    ).hexdigest()


def phone_challenge_start(*, user: User, raw_number: str) -> PhoneChallenge:
    """Send a fresh six-digit code to ``raw_number``; earlier open codes stop working."""
    number = phone_number_parse(raw_number)
    if PhoneNumber.objects.filter(number=number).exclude(user=user).exists():
        raise ValidationError(
            _("This phone number is already verified on another account."), code="phone_taken"
        )
    if PhoneNumber.objects.filter(user=user, number=number).exists():
        raise ValidationError(
            _("This phone number is already verified on your account."),
            code="phone_already_verified",
        )
    window = PHONE_SEND_WINDOW_SECONDS
    number_key = hashlib.sha256(number.encode()).hexdigest()[:32]
    if not ratelimit.hit(
        key=f"phone-send:user:{user.pk}", limit=PHONE_SENDS_PER_USER, window_seconds=window
    ) or not ratelimit.hit(
        key=f"phone-send:number:{number_key}", limit=PHONE_SENDS_PER_NUMBER, window_seconds=window
    ):
        raise ValidationError(
            _("Too many codes were requested. Please wait 15 minutes and try again."),
            code="phone_rate_limited",
        )
    code = f"{secrets.randbelow(10**PHONE_CODE_DIGITS):0{PHONE_CODE_DIGITS}d}"
    now = timezone.now()
    with transaction.atomic():
        PhoneChallenge.objects.filter(
            user=user, consumed_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        challenge = PhoneChallenge.objects.create(
            user=user,
            number=number,
            code_hash=_phone_code_hash(user_id=user.pk, number=number, code=code),
            expires_at=now + PHONE_CODE_TTL,
        )
    # The provider is called outside the transaction: no row is locked across the network.
    with translation.override(user.language):
        body = _("Tsunagu verification code: %(code)s (valid for 10 minutes)") % {"code": code}
    try:
        get_sms_provider().send(to=number, body=body)
    except SmsError as exc:
        logger.warning("SMS to user %s failed: %s", user.pk, exc)
        PhoneChallenge.objects.filter(pk=challenge.pk).update(expires_at=now)
        raise ValidationError(
            _("The code could not be sent. Please try again later."), code="sms_failed"
        ) from exc
    return challenge


def phone_challenge_open(*, user: User) -> PhoneChallenge | None:
    """The code the person may still enter, if any."""
    return (
        PhoneChallenge.objects.filter(
            user=user,
            consumed_at__isnull=True,
            expires_at__gt=timezone.now(),
            attempts__lt=PHONE_MAX_ATTEMPTS,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def phone_challenge_verify(*, user: User, code: str) -> PhoneNumber:
    """Check ``code`` against the latest code sent; on success the number becomes verified."""
    entered = "".join(unicodedata.normalize("NFKC", code or "").split())
    now = timezone.now()
    error: ValidationError | None = None
    phone: PhoneNumber | None = None
    with transaction.atomic():
        challenge = (
            PhoneChallenge.objects.select_for_update()
            .filter(user=user, consumed_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if challenge is None:
            error = ValidationError(
                _("There is no code waiting. Request a new code."), code="phone_no_code"
            )
        elif challenge.expires_at <= now:
            error = ValidationError(
                _("This code has expired. Request a new code."), code="phone_code_expired"
            )
        elif challenge.attempts >= PHONE_MAX_ATTEMPTS:
            error = ValidationError(
                _("Too many wrong codes. Request a new code."), code="phone_too_many_attempts"
            )
        else:
            challenge.attempts += 1
            expected = _phone_code_hash(user_id=user.pk, number=challenge.number, code=entered)
            if not constant_time_compare(expected, challenge.code_hash):
                challenge.save(update_fields=["attempts"])
                left = PHONE_MAX_ATTEMPTS - challenge.attempts
                if left:
                    message = ngettext(
                        "The code is not correct. You have %(left)d try left.",
                        "The code is not correct. You have %(left)d tries left.",
                        left,
                    ) % {"left": left}
                    error = ValidationError(message, code="phone_code_wrong")
                else:
                    error = ValidationError(
                        _("Too many wrong codes. Request a new code."),
                        code="phone_too_many_attempts",
                    )
            else:
                challenge.consumed_at = now
                challenge.save(update_fields=["attempts", "consumed_at"])
                try:
                    with transaction.atomic():
                        before = PhoneNumber.objects.filter(user=user).first()
                        phone, _created = PhoneNumber.objects.update_or_create(
                            user=user,
                            defaults={"number": challenge.number, "verified_at": now},
                        )
                        audit_record(
                            actor=user,
                            subject=phone,
                            event="phone.verified",
                            before={"number": before.number} if before else None,
                            after={"number": phone.number},
                        )
                except IntegrityError:
                    phone = None
                    error = ValidationError(
                        _("This phone number is already verified on another account."),
                        code="phone_taken",
                    )
    if error is not None:
        raise error
    assert phone is not None
    return phone


# --- Names --------------------------------------------------------------------------------------


def _clean_name(value: str, *, label: str) -> str:
    """A name part as plain text. Markup is refused rather than silently altered."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        raise ValidationError(_("Enter your %(part)s.") % {"part": label}, code="name_required")
    if len(text) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("Your %(part)s can be at most %(max)d characters.")
            % {"part": label, "max": NAME_MAX_LENGTH},
            code="name_too_long",
        )
    if has_markup(text) or any(ch in text for ch in "<>") or not text.isprintable():
        raise ValidationError(
            _("Enter your %(part)s as plain text, without symbols such as < and >.")
            % {"part": label},
            code="name_markup",
        )
    return text


def user_legal_name_set(*, user: User, family_name: str, given_name: str) -> User:
    """Record the legal name; a changed name has to be confirmed by staff again."""
    family = _clean_name(family_name, label=_("family name"))
    given = _clean_name(given_name, label=_("given name"))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if (locked.legal_family_name, locked.legal_given_name) == (family, given):
            return locked
        if VerificationDocument.objects.filter(
            user=locked, kind=DocumentKind.IDENTITY_DOCUMENT, status=ReviewStatus.PENDING
        ).exists():
            raise ValidationError(
                _(
                    "Your identity document is being reviewed. You can change your name after "
                    "the review."
                ),
                code="name_locked",
            )
        before = {"legal_name": locked.legal_name, "verified": bool(locked.real_name_verified_at)}
        locked.legal_family_name = family
        locked.legal_given_name = given
        locked.real_name_verified_at = None
        locked.save(
            update_fields=["legal_family_name", "legal_given_name", "real_name_verified_at"]
        )
        audit_record(
            actor=user,
            subject=locked,
            event="user.legal_name_changed",
            before=before,
            after={"legal_name": locked.legal_name, "verified": False},
        )
    user.legal_family_name, user.legal_given_name = family, given
    user.real_name_verified_at = None
    return locked


# --- Verification documents ---------------------------------------------------------------------


def verification_document_submit(
    *, user: User, kind: str, upload: UploadedFile, document_type: str = ""
) -> VerificationDocument:
    """Store an identity document or face photo for staff to review."""
    if kind not in DOCUMENT_ALLOWED_KINDS:
        raise ValidationError(_("Unknown kind of document."), code="document_kind")
    if kind == DocumentKind.IDENTITY_DOCUMENT:
        if document_type not in IdentityDocumentType.values:
            raise ValidationError(
                _("Choose which document you are uploading."), code="document_type"
            )
    else:
        document_type = ""
    checked = check_upload(
        upload, allowed_kinds=DOCUMENT_ALLOWED_KINDS[kind], max_bytes=DOCUMENT_MAX_BYTES
    )
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            if kind == DocumentKind.IDENTITY_DOCUMENT and not (
                locked.legal_family_name and locked.legal_given_name
            ):
                raise ValidationError(
                    _("Enter your legal name first, exactly as it is written on the document."),
                    code="name_missing",
                )
            if VerificationDocument.objects.filter(
                user=locked, kind=kind, status=ReviewStatus.PENDING
            ).exists():
                raise ValidationError(
                    _("A document of this kind is already waiting for review."),
                    code="document_pending",
                )
            # Never keep the uploader's file name: it may carry personal data or odd characters.
            upload.name = f"{uuid.uuid4().hex}{_EXTENSION_FOR_KIND[checked.kind]}"
            document = VerificationDocument(
                user=locked,
                kind=kind,
                document_type=document_type,
                content_type=_CONTENT_TYPE_FOR_KIND[checked.kind],
                size=checked.size,
                sha256=checked.sha256,
                submitted_legal_name=(
                    locked.legal_name if kind == DocumentKind.IDENTITY_DOCUMENT else ""
                ),
            )
            document.file.save(upload.name, upload, save=False)
            stored.append(document.file.name)
            document.save()
            audit_record(
                actor=user,
                subject=document,
                event="verification_document.submitted",
                after={"kind": kind, "document_type": document_type, "sha256": checked.sha256},
            )
    except BaseException:
        # The row was rolled back: do not leave the file behind in private storage.
        for name in stored:
            private_storage().delete(name)
        raise
    return document


def _lock_document(document: VerificationDocument) -> tuple[User, VerificationDocument]:
    """Lock the owner, then the document (the one lock order used everywhere)."""
    owner = User.objects.select_for_update().get(pk=document.user_id)
    locked = VerificationDocument.objects.select_for_update().get(pk=document.pk)
    return owner, locked


def _check_reviewer(*, document: VerificationDocument, reviewer: User) -> None:
    if not reviewer.is_staff:
        raise ValidationError(_("Only staff can review documents."), code="not_staff")
    if document.user_id == reviewer.pk:
        raise ValidationError(_("You cannot review your own document."), code="own_document")
    if document.status != ReviewStatus.PENDING:
        raise ValidationError(
            _("This document has already been reviewed."), code="already_reviewed"
        )


def verification_document_approve(
    *, document: VerificationDocument, reviewer: User
) -> VerificationDocument:
    """Approve a pending document; an identity document also confirms the submitted name."""
    with transaction.atomic():
        owner, locked = _lock_document(document)
        _check_reviewer(document=locked, reviewer=reviewer)
        now = timezone.now()
        locked.status = ReviewStatus.APPROVED
        locked.reviewed_by = reviewer
        locked.reviewed_at = now
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        real_name_verified = False
        if (
            locked.kind == DocumentKind.IDENTITY_DOCUMENT
            and owner.legal_name
            and owner.legal_name == locked.submitted_legal_name
        ):
            owner.real_name_verified_at = now
            owner.save(update_fields=["real_name_verified_at"])
            real_name_verified = True
        audit_record(
            actor=reviewer,
            subject=locked,
            event="verification_document.approved",
            before={"status": ReviewStatus.PENDING},
            after={
                "status": ReviewStatus.APPROVED,
                "real_name_verified": real_name_verified,
                "legal_name": locked.submitted_legal_name,
            },
        )
        document_pk = locked.pk
        transaction.on_commit(lambda: verification_decision_notify(document_pk=document_pk))
    return locked


def verification_document_reject(
    *, document: VerificationDocument, reviewer: User, reason: str
) -> VerificationDocument:
    """Reject a pending document with a reason the person will read."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Give a reason so the person knows what to fix."), code="reason_required"
        )
    if len(reason) > REJECTION_REASON_MAX_LENGTH:
        raise ValidationError(
            _("The reason can be at most %(max)d characters.")
            % {"max": REJECTION_REASON_MAX_LENGTH},
            code="reason_too_long",
        )
    with transaction.atomic():
        _owner, locked = _lock_document(document)
        _check_reviewer(document=locked, reviewer=reviewer)
        locked.status = ReviewStatus.REJECTED
        locked.rejection_reason = reason
        locked.reviewed_by = reviewer
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=reviewer,
            subject=locked,
            event="verification_document.rejected",
            before={"status": ReviewStatus.PENDING},
            after={"status": ReviewStatus.REJECTED, "reason": reason},
        )
        document_pk = locked.pk
        transaction.on_commit(lambda: verification_decision_notify(document_pk=document_pk))
    return locked


def verification_decision_notify(*, document_pk: int) -> None:
    """E-mail the owner the decision on a document, in the owner's language."""
    document = VerificationDocument.objects.select_related("user").get(pk=document_pk)
    user = document.user
    path = reverse("accounts:verification")
    with translation.override(user.language):
        context = {"document": document, "user": user, "url": site_url(path)}
        subject = render_to_string("accounts/email/verification_decided_subject.txt", context)
        body = render_to_string("accounts/email/verification_decided_message.txt", context)
    send_mail(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        message=body,
        from_email=None,
        recipient_list=[user.email],
    )


# --- Preferences and business details -----------------------------------------------------------


def user_preferences_update(*, user: User, language: str, time_zone: str) -> User:
    """Change the language and time zone used for this person's pages, e-mails and times."""
    if language not in Language.values:
        raise ValidationError({"language": _("Choose Japanese or English.")})
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError({"time_zone": _("Choose a time zone from the list.")}) from exc
    if time_zone not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": _("Choose a time zone from the list.")})
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(language=language, time_zone=time_zone)
    user.language = language
    user.time_zone = time_zone
    return user


_INVOICE_MESSAGES: dict[str, Callable[[], str]] = {
    invoice_number.InvoiceNumberError.PREFIX: lambda: _(
        "A registration number starts with T, for example T1234567890123."
    ),
    invoice_number.InvoiceNumberError.CHARACTERS: lambda: _("Only digits may follow the T."),
    invoice_number.InvoiceNumberError.LENGTH: lambda: _(
        "The T must be followed by exactly 13 digits."
    ),
    invoice_number.InvoiceNumberError.CHECK_DIGIT: lambda: _(
        "The check digit does not match: this is not a valid corporate number. Check the digits."
    ),
}


def registration_number_clean(raw: str, *, kind: str) -> str:
    """The canonical registration number, "" when none was entered, or ValidationError."""
    if not invoice_number.normalise(raw):
        return ""
    try:
        return invoice_number.parse(raw, company=kind == BusinessKind.COMPANY).value
    except invoice_number.InvoiceNumberError as exc:
        message = _INVOICE_MESSAGES.get(exc.code, lambda: _("Enter a valid registration number."))
        raise ValidationError(message(), code=f"registration_{exc.code}") from exc


def business_details_update(
    *, user: User, kind: str, legal_name: str, registration_number: str
) -> BusinessDetails:
    """Save who the person does business as and their registration number (canonical form)."""
    if kind not in BusinessKind.values:
        raise ValidationError(_("Choose individual or company."), code="business_kind")
    name = unicodedata.normalize("NFKC", legal_name or "").strip()
    if not name:
        raise ValidationError(_("Enter your legal name or trade name."), code="legal_name")
    if len(name) > 120 or has_markup(name) or any(ch in name for ch in "<>"):
        raise ValidationError(
            _("Enter the name as plain text of at most 120 characters."), code="legal_name"
        )
    number = registration_number_clean(registration_number, kind=kind)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        details = BusinessDetails.objects.filter(user=user).first()
        before = (
            {
                "kind": details.kind,
                "legal_name": details.legal_name,
                "registration_number": details.registration_number,
            }
            if details
            else None
        )
        if details is None:
            details = BusinessDetails(user=user)
        details.kind = kind
        details.legal_name = name
        details.registration_number = number
        details.save()
        audit_record(
            actor=user,
            subject=details,
            event="business_details.updated",
            before=before,
            after={"kind": kind, "legal_name": name, "registration_number": number},
        )
    return details
