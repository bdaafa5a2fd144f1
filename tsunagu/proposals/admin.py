"""Staff views of proposals and interviews: read-only, changes go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tsunagu.proposals.models import Interview, InterviewSlot, Proposal, ResponseTime


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnly):
    list_display = ("id", "job", "worker", "price", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("job__title", "worker__email")
    list_select_related = ("job", "worker")


class SlotInline(admin.TabularInline[InterviewSlot, Any]):
    model = InterviewSlot
    extra = 0
    can_delete = False
    readonly_fields = ("starts_at", "ends_at", "in_overlap")


@admin.register(Interview)
class InterviewAdmin(ReadOnly):
    list_display = ("id", "title", "inviter", "invitee", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("inviter", "invitee")
    inlines = [SlotInline]


@admin.register(ResponseTime)
class ResponseTimeAdmin(ReadOnly):
    list_display = ("user", "median_seconds", "samples", "computed_at")
    list_select_related = ("user",)
