"""Staff views of rooms and of what the contact guard stopped. Both are read-only: the record
of a room is changed by nobody, and a guard event is evidence of an attempt."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from tsunagu.messaging import display
from tsunagu.messaging.models import GuardEvent, Room, RoomMember

REPEAT_WINDOW = datetime.timedelta(days=30)
REPEAT_THRESHOLD = 3


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _blocked_recently() -> Subquery:
    since = timezone.now() - REPEAT_WINDOW
    return Subquery(
        GuardEvent.objects.filter(sender=OuterRef("sender"), blocked=True, created_at__gte=since)
        .order_by()
        .values("sender")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


class RepeatOffenderFilter(admin.SimpleListFilter):
    title = _("repeat offenders")
    parameter_name = "repeat"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("3 or more blocked in 30 days"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(blocked_30d__gte=REPEAT_THRESHOLD)
        return queryset


@admin.register(GuardEvent)
class GuardEventAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "room_link",
        "sender",
        "verdict",
        "blocked",
        "blocked_in_30_days",
        "text_short",
    ]
    list_filter = [RepeatOffenderFilter, "blocked", "verdict", "created_at"]
    list_select_related = ["room", "sender"]
    search_fields = ["sender__email", "text", "room__title"]
    date_hierarchy = "created_at"
    fields = (
        "created_at",
        "room_link",
        "sender",
        "verdict",
        "blocked",
        "blocked_in_30_days",
        "text_marked",
        "findings_list",
        "message",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[GuardEvent]:
        return super().get_queryset(request).annotate(blocked_30d=Coalesce(_blocked_recently(), 0))

    @admin.display(description=_("blocked in the last 30 days"), ordering="blocked_30d")
    def blocked_in_30_days(self, obj: GuardEvent) -> int:
        return int(getattr(obj, "blocked_30d", 0))

    @admin.display(description=_("room"))
    def room_link(self, obj: GuardEvent) -> SafeString:
        url = reverse("messaging:staff_history", args=[obj.room_id])
        return format_html('<a href="{}">{}</a>', url, obj.room.title)

    @admin.display(description=_("text"))
    def text_short(self, obj: GuardEvent) -> str:
        return obj.text if len(obj.text) <= 80 else obj.text[:79] + "…"

    @admin.display(description=_("text with findings"))
    def text_marked(self, obj: GuardEvent) -> SafeString:
        return format_html(
            '<div class="guard-preview">{}</div>', display.highlight(obj.text, obj.findings or [])
        )

    @admin.display(description=_("findings"))
    def findings_list(self, obj: GuardEvent) -> SafeString:
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} — {}</li>",
                (
                    (display.kind_label(str(f.get("kind", ""))), f.get("text", ""))
                    for f in obj.findings or []
                ),
            ),
        )


class RoomMemberInline(admin.TabularInline):
    model = RoomMember
    fields = (
        "user",
        "role",
        "joined_at",
        "removed_at",
        "removed_after_seq",
        "last_read_seq",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Room)
class RoomAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "client", "last_seq", "last_message_at", "record_link"]
    list_filter = ["kind"]
    list_select_related = ["client"]
    search_fields = ["title", "client__email", "members__user__email"]
    fields = (
        "title",
        "kind",
        "client",
        "contract",
        "subject_type",
        "subject_id",
        "created_by",
        "created_at",
        "last_seq",
        "head_hash",
        "last_message_at",
        "record_link",
    )
    readonly_fields = fields
    inlines = [RoomMemberInline]

    @admin.display(description=_("full record"))
    def record_link(self, obj: Room) -> SafeString:
        url = reverse("messaging:staff_history", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Full record and chain check"))
