"""Staff admin: accounts, the identity review queue, phone numbers and business details.

Review decisions are never made by editing a row: the review page calls
``verification_document_approve`` / ``verification_document_reject``, which lock the document,
refuse a second decision, write the audit row and e-mail the person after commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts import services
from tsunagu.accounts.models import (
    BusinessDetails,
    DeviceSighting,
    PhoneNumber,
    ReviewStatus,
    User,
    VerificationDocument,
)


class UserCreationForm(BaseUserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(DjangoUserChangeForm[User]):
    class Meta:
        model = User
        fields = "__all__"


class RealNameVerifiedFilter(admin.SimpleListFilter):
    title = _("real name verified")
    parameter_name = "real_name_verified"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(real_name_verified_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(real_name_verified_at__isnull=True)
        return queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["-date_joined"]
    list_display = ["email", "legal_name", "language", "is_active", "is_staff", "date_joined"]
    list_filter = [
        "is_active",
        "is_staff",
        "is_superuser",
        "language",
        RealNameVerifiedFilter,
        "date_joined",
    ]
    search_fields = ["email", "legal_family_name", "legal_given_name"]
    readonly_fields = [
        "legal_family_name",
        "legal_given_name",
        "real_name_verified_at",
        "last_login",
        "date_joined",
    ]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Preferences"),
            {"fields": ("language", "time_zone")},
        ),
        (
            _("Real name"),
            {"fields": ("legal_family_name", "legal_given_name", "real_name_verified_at")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class ReviewStatusFilter(admin.SimpleListFilter):
    """Status filter that shows the documents waiting for review unless told otherwise."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [*ReviewStatus.choices, (self.ALL, _("All"))]

    def value(self) -> str:
        return str(super().value() or ReviewStatus.PENDING)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == self.ALL:
            return queryset
        if value not in ReviewStatus.values:
            return queryset.none()
        return queryset.filter(status=value)

    def choices(self, changelist: ChangeList) -> Iterator[Any]:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason shown to the person"),
        max_length=services.REJECTION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_('Say what to fix, e.g. "The photo is blurred; the name cannot be read."'),
    )


@admin.register(VerificationDocument)
class VerificationDocumentAdmin(admin.ModelAdmin[VerificationDocument]):
    list_display = [
        "submitted_at",
        "user",
        "kind",
        "document_type",
        "submitted_legal_name",
        "status",
        "review_link",
    ]
    list_filter = [ReviewStatusFilter, "kind", "document_type"]
    list_select_related = ["user"]
    search_fields = ["user__email", "submitted_legal_name", "sha256"]
    ordering = ["submitted_at"]
    readonly_fields = [
        "user",
        "kind",
        "document_type",
        "preview_link",
        "content_type",
        "size",
        "sha256",
        "submitted_legal_name",
        "status",
        "rejection_reason",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
    ]
    exclude = ["file"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: VerificationDocument | None = None
    ) -> bool:
        return False

    @admin.display(description=_("review"))
    def review_link(self, obj: VerificationDocument) -> str:
        url = reverse("admin:accounts_verificationdocument_review", args=[obj.pk])
        label = _("Review") if obj.status == ReviewStatus.PENDING else _("Details")
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description=_("file"))
    def preview_link(self, obj: VerificationDocument) -> str:
        url = reverse("accounts:document_file", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open"))

    def get_urls(self) -> list[URLPattern]:
        review = path(
            "<int:pk>/review/",
            self.admin_site.admin_view(self.review_view),
            name="accounts_verificationdocument_review",
        )
        return [review, *super().get_urls()]

    def review_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = (
            VerificationDocument.objects.select_related("user", "reviewed_by").filter(pk=pk).first()
        )
        if document is None:
            raise Http404
        if not self.has_view_permission(request, document):
            raise PermissionDenied
        reject_form = RejectForm()
        if request.method == "POST":
            if not self.has_change_permission(request, document):
                raise PermissionDenied
            reviewer = request.user
            assert isinstance(reviewer, User)
            action = request.POST.get("action")
            try:
                if action == "approve":
                    services.verification_document_approve(document=document, reviewer=reviewer)
                    self.message_user(request, _("The document was approved."), messages.SUCCESS)
                    return HttpResponseRedirect(self._queue_url())
                if action == "reject":
                    reject_form = RejectForm(request.POST)
                    if reject_form.is_valid():
                        services.verification_document_reject(
                            document=document,
                            reviewer=reviewer,
                            reason=reject_form.cleaned_data["reason"],
                        )
                        self.message_user(
                            request, _("The document was rejected."), messages.SUCCESS
                        )
                        return HttpResponseRedirect(self._queue_url())
                else:
                    self.message_user(request, _("Choose approve or reject."), messages.ERROR)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, message, messages.ERROR)
                document.refresh_from_db()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Review %(document)s") % {"document": document},
            "document": document,
            "owner": document.user,
            "reject_form": reject_form,
            "file_url": reverse("accounts:document_file", args=[document.pk]),
            "is_image": document.content_type.startswith("image/"),
            "can_decide": document.status == ReviewStatus.PENDING
            and self.has_change_permission(request, document)
            and document.user_id != request.user.pk,
            "other_documents": VerificationDocument.objects.filter(user=document.user)
            .exclude(pk=document.pk)
            .order_by("-submitted_at")[:10],
        }
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request, "admin/accounts/verificationdocument/review.html", context, status=status
        )

    def _queue_url(self) -> str:
        return reverse("admin:accounts_verificationdocument_changelist")


@admin.register(PhoneNumber)
class PhoneNumberAdmin(admin.ModelAdmin[PhoneNumber]):
    list_display = ["number", "user", "verified_at"]
    search_fields = ["number", "user__email"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PhoneNumber | None = None) -> bool:
        return False


@admin.register(DeviceSighting)
class DeviceSightingAdmin(admin.ModelAdmin[DeviceSighting]):
    """Browsers accounts signed in from (a keyed hash, never the cookie): staff look here when
    several accounts seem to be one person."""

    list_display = ["user", "device", "first_seen", "last_seen"]
    search_fields = ["user__email", "device"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: DeviceSighting | None = None
    ) -> bool:
        return False


@admin.register(BusinessDetails)
class BusinessDetailsAdmin(admin.ModelAdmin[BusinessDetails]):
    list_display = ["legal_name", "user", "kind", "registration_number", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["legal_name", "registration_number", "user__email"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: BusinessDetails | None = None
    ) -> bool:
        return False
