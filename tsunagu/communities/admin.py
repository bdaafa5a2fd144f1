"""Staff views of communities, memberships, activities, sign-ups, endorsements and posts.

Rows are read here, not edited: changes go through the services, which audit them. Staff can
hide posts (the one action here), recorded like a moderator's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.accounts.request import signed_in_user
from tsunagu.communities import services
from tsunagu.communities.errors import CommunityError
from tsunagu.communities.models import Activity, Community, Endorsement, Membership, Post, SignUp


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(admin.TabularInline[Membership, Community]):
    model = Membership
    extra = 0
    can_delete = False
    fields = ("user", "role", "state", "joined_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Community)
class CommunityAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "join_policy", "requires_real_name", "created_by", "created_at")
    list_filter = ("join_policy", "requires_real_name", "requires_face_photo")
    search_fields = ("name", "slug", "mission")
    list_select_related = ("created_by",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("community", "user", "role", "state", "joined_at")
    list_filter = ("role", "state")
    search_fields = ("community__name", "user__email")
    list_select_related = ("community", "user")


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("title", "community", "kind", "starts_at", "capacity", "organiser")
    list_filter = ("kind", "is_online")
    search_fields = ("title", "community__name")
    list_select_related = ("community", "organiser")


@admin.register(SignUp)
class SignUpAdmin(ReadOnlyAdmin):
    list_display = ("activity", "user", "created_at", "cancelled_at", "took_part")
    list_filter = ("took_part",)
    search_fields = ("activity__title", "user__email")
    list_select_related = ("activity", "user")


@admin.register(Endorsement)
class EndorsementAdmin(ReadOnlyAdmin):
    list_display = ("activity", "endorser", "endorsee", "created_at")
    search_fields = ("activity__title", "endorser__email", "endorsee__email")
    list_select_related = ("activity", "endorser", "endorsee")


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("id", "community", "author", "created_at", "pinned_at", "hidden_at")
    list_filter = (("hidden_at", admin.EmptyFieldListFilter),)
    search_fields = ("body", "author__email", "community__name")
    list_select_related = ("community", "author")
    actions = ["hide_posts"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # the list's action needs change permission; the form itself has every field read-only
        return bool(request.user.is_staff)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Post._meta.fields]

    @admin.action(description=gettext_lazy("Hide the selected posts"))
    def hide_posts(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        staff = signed_in_user(request)
        hidden = 0
        for post in queryset.select_related("community"):
            try:
                services.post_hide(post=post, by=staff, reason=_("Hidden by staff."))
            except CommunityError as exc:
                messages.warning(request, f"#{post.pk}: {exc.message}")
            else:
                hidden += 1
        messages.success(request, _("%(count)d posts were hidden.") % {"count": hidden})
