"""Accounts, identity verification and business details.

Verification levels, from the lightest to the strongest: e-mail (allauth's EmailAddress), phone
(an SMS code), identity document (reviewed by staff), real name (confirmed by staff against the
approved identity document) and face photo (reviewed by staff).
"""

from __future__ import annotations

from datetime import datetime
from os import PathLike
from typing import IO, Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UserManager(DjangoUserManager["User"]):
    """Users sign in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user_email(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user_email(email, password, **extra)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user_email(email, password, **extra)


class Language(models.TextChoices):
    JA = "ja", _("Japanese")
    EN = "en", _("English")


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.JA
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Tokyo")
    # Real name (本名) as on the identity document; shown only when the person chooses to.
    legal_family_name = models.CharField(_("family name"), max_length=60, blank=True)
    legal_given_name = models.CharField(_("given name"), max_length=60, blank=True)
    real_name_verified_at = models.DateTimeField(_("real name verified at"), null=True, blank=True)
    # Set when the person closed their account (accounts.closing): the row stays, for what
    # references it, with its personal data erased.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.email

    @property
    def legal_name(self) -> str:
        """Family name first, as written in Japan."""
        return " ".join(p for p in (self.legal_family_name, self.legal_given_name) if p)


class PhoneNumber(models.Model):
    """A person's verified phone number, in E.164."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone"
    )
    number = models.CharField(_("phone number"), max_length=20)
    verified_at = models.DateTimeField(_("verified at"))

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        constraints = [
            # One number proves one person: it cannot verify a second account.
            models.UniqueConstraint(fields=["number"], name="phone_number_unique"),
        ]

    def __str__(self) -> str:
        return self.number


class PhoneChallenge(models.Model):
    """One SMS code sent to a number: expires, allows a few attempts, is used once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_challenges"
    )
    number = models.CharField(_("phone number"), max_length=20)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("phone code")
        verbose_name_plural = _("phone codes")

    def __str__(self) -> str:
        return f"{self.number} @ {self.created_at:%Y-%m-%d %H:%M}"


class PrivateStorage(Storage):
    """Forwards every call to ``storages["private"]``, looked up each time.

    A FileField keeps the storage object it was given when the model class is built; forwarding
    lets the private backend be configured (or swapped, e.g. for object storage or in tests)
    without that object going stale. It never produces a URL: files are streamed by a view
    that checks permissions.
    """

    @property
    def target(self) -> Storage:
        return storages["private"]

    def open(self, name: str, mode: str = "rb") -> File:
        return self.target.open(name, mode)

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        return self.target.save(name, content, max_length=max_length)

    def get_valid_name(self, name: str) -> str:
        return self.target.get_valid_name(name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.target.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename: str | PathLike[str]) -> str:
        return self.target.generate_filename(filename)

    def path(self, name: str) -> str:
        return self.target.path(name)

    def delete(self, name: str) -> None:
        self.target.delete(name)

    def exists(self, name: str) -> bool:
        return self.target.exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.target.listdir(path)

    def size(self, name: str) -> int:
        return self.target.size(name)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("private files have no URL")

    def get_accessed_time(self, name: str) -> datetime:
        return self.target.get_accessed_time(name)

    def get_created_time(self, name: str) -> datetime:
        return self.target.get_created_time(name)

    def get_modified_time(self, name: str) -> datetime:
        return self.target.get_modified_time(name)


def private_storage() -> Storage:
    """Files that must never have a public URL (identity documents, face photos)."""
    return PrivateStorage()


class DocumentKind(models.TextChoices):
    IDENTITY_DOCUMENT = "identity_document", _("identity document")
    FACE_PHOTO = "face_photo", _("face photo")


class IdentityDocumentType(models.TextChoices):
    DRIVERS_LICENSE = "drivers_license", _("driver's licence")
    MY_NUMBER_CARD = "my_number_card", _("My Number card (front only)")
    PASSPORT = "passport", _("passport")
    RESIDENCE_CARD = "residence_card", _("residence card")
    HEALTH_INSURANCE = "health_insurance", _("health insurance card")
    OTHER = "other", _("other official document")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("waiting for review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class VerificationDocument(models.Model):
    """An identity document or face photo that staff review. Kept in private storage."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verification_documents"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    document_type = models.CharField(
        _("document type"), max_length=32, choices=IdentityDocumentType.choices, blank=True
    )
    file = models.FileField(_("file"), upload_to="verification/%Y/%m/", storage=private_storage)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    # The legal name the person had entered when submitting an identity document, so staff
    # compare the document with exactly this name.
    submitted_legal_name = models.CharField(_("name to confirm"), max_length=121, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("verification document")
        verbose_name_plural = _("verification documents")
        constraints = [
            # One document of each kind may wait for review at a time.
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(status="pending"),
                name="one_pending_document_per_kind",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_identity_document(self) -> bool:
        return self.kind == DocumentKind.IDENTITY_DOCUMENT

    @property
    def is_pending(self) -> bool:
        return self.status == ReviewStatus.PENDING

    @property
    def is_approved(self) -> bool:
        return self.status == ReviewStatus.APPROVED

    @property
    def is_rejected(self) -> bool:
        return self.status == ReviewStatus.REJECTED


class BusinessKind(models.TextChoices):
    INDIVIDUAL = "individual", _("individual (sole proprietor)")
    COMPANY = "company", _("company")


class BusinessDetails(models.Model):
    """Who a person does business as, and their qualified-invoice registration number."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="business"
    )
    kind = models.CharField(
        _("business type"),
        max_length=16,
        choices=BusinessKind.choices,
        default=BusinessKind.INDIVIDUAL,
    )
    legal_name = models.CharField(_("legal name or trade name"), max_length=120, blank=True)
    registration_number = models.CharField(
        _("qualified-invoice registration number"), max_length=14, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("business details")
        verbose_name_plural = _("business details")

    def __str__(self) -> str:
        return self.legal_name or str(self.user)


class DeviceSighting(models.Model):
    """A browser an account signed in from, known by a random cookie set at the first sign-in
    and kept only as a keyed hash. Accounts seen on one device are nearly one person to the
    trust network: their contracts with each other count for little."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_sightings"
    )
    device = models.CharField(_("device"), max_length=64, db_index=True)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"), auto_now=True)

    class Meta:
        verbose_name = _("device sighting")
        verbose_name_plural = _("device sightings")
        constraints = [
            models.UniqueConstraint(fields=["user", "device"], name="device_sighting_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.device[:8]}"
