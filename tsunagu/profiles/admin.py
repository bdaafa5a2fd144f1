from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from tsunagu.profiles.models import PortfolioItem, Profile, Skill


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin[Skill]):
    list_display = ("slug", "category", "name_ja", "name_en")
    list_filter = ("category",)
    search_fields = ("slug", "name_ja", "name_en")


class PortfolioItemInline(admin.TabularInline[PortfolioItem, Profile]):
    model = PortfolioItem
    extra = 0
    fields = ("kind", "title", "url", "file", "size", "sha256")
    readonly_fields = ("size", "sha256")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin[Profile]):
    """Staff look at profiles (moderation); owners change them through their own pages."""

    list_display = ("display_name", "user", "is_worker", "is_client", "availability", "updated_at")
    list_filter = ("is_worker", "is_client", "availability", "currency")
    search_fields = ("display_name", "headline", "user__email")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("bio_html", "created_at", "updated_at")
    filter_horizontal = ("skills",)
    inlines = (PortfolioItemInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # every account gets its profile when it is created

    def save_model(self, request: HttpRequest, obj: Profile, form: Any, change: bool) -> None:
        """Staff edits keep the rules: the bio is re-rendered and the change is audited."""
        from tsunagu.audit.services import audit_record
        from tsunagu.core.text import render_markdown

        with transaction.atomic():
            obj.bio_html = render_markdown(obj.bio)
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                subject=obj,
                event="profile.updated_by_staff",
                after={"fields": sorted(form.changed_data)},
            )
