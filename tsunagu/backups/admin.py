"""Backups in the admin: read-only records, with an action to read an archive again."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tsunagu.backups.models import Backup
from tsunagu.backups.services import backup_verify


@admin.register(Backup)
class BackupAdmin(admin.ModelAdmin[Backup]):
    list_display = ("created_at", "trigger", "path", "size", "encrypted", "verification")
    list_filter = ("verification", "trigger", "encrypted")
    readonly_fields = [f.name for f in Backup._meta.fields]
    actions = ["verify_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Read the archives again and check them"))
    def verify_again(self, request: HttpRequest, queryset: QuerySet[Backup]) -> None:
        failed = 0
        for backup in queryset:
            failed += backup_verify(backup=backup).verification == "failed"
        level = messages.ERROR if failed else messages.SUCCESS
        self.message_user(
            request,
            _("%(n)d checked, %(failed)d failed.") % {"n": len(queryset), "failed": failed},
            level,
        )
