"""A record of each backup archive: where it is, its size and sha256, and whether it was checked."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
