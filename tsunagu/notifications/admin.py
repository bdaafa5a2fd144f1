"""Staff can read notifications to help a person; what was sent is not edited afterwards."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from tsunagu.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["user", "kind", "message", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "kind", "message"]
    list_select_related = ["user"]
    readonly_fields = ["user", "kind", "message", "url", "created_at", "read_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False
