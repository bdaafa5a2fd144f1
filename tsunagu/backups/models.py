"""A record of each backup archive: where it is, its size and sha256, and whether it was checked."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tsunagu.accounts.models import private_storage


class Trigger(models.TextChoices):
    MANUAL = "manual", _("by command")
    SCHEDULED = "scheduled", _("scheduled")


class Verification(models.TextChoices):
    PENDING = "pending", pgettext_lazy("backup", "not checked yet")
    VERIFIED = "verified", pgettext_lazy("backup", "verified")
    FAILED = "failed", pgettext_lazy("backup", "failed")
    PRUNED = "pruned", pgettext_lazy("backup", "removed by retention")


class Backup(models.Model):
    created_at = models.DateTimeField(_("created"), db_index=True)
    trigger = models.CharField(_("made"), max_length=10, choices=Trigger.choices)
    path = models.CharField(_("archive"), max_length=500, unique=True)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("sha256"), max_length=64)
    encrypted = models.BooleanField(_("encrypted"), default=False)
    database_vendor = models.CharField(_("database"), max_length=20)
    files = models.PositiveIntegerField(_("files"), default=0)
    verification = models.CharField(
        _("verification"),
        max_length=10,
        choices=Verification.choices,
        default=Verification.PENDING,
    )
    verified_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("backup")
        verbose_name_plural = _("backups")

    def __str__(self) -> str:
        return self.path


class ExportState(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("being built")
    READY = "ready", _("ready to download")
    DOWNLOADED = "downloaded", _("downloaded")
    EXPIRED = "expired", _("expired")
    FAILED = "failed", pgettext_lazy("export", "failed")


class DataExport(models.Model):
    """One person's request for everything Tsunagu holds about them, built into a ZIP by a
    background task. The download link carries a token whose hash is stored here; it works once,
    for this person only, until ``expires_at``."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="data_exports")
    state = models.CharField(max_length=10, choices=ExportState.choices, default=ExportState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    file = models.FileField(upload_to="exports/%Y/%m/", storage=private_storage, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    token_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.state})"
