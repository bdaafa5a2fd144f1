"""Staff views of reviews and reports. Nothing is edited here directly: hiding a text goes
through ``review_hide``, which audits it and tells the author."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.accounts.models import User
from tsunagu.trust import rules, services
from tsunagu.trust.errors import ReviewError
from tsunagu.trust.models import (
    NetworkRun,
    Review,
    ReviewReminder,
    ReviewReport,
    TrackRecordCard,
)
from tsunagu.trust.network import network_trust_start


class HideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("reason (sent to the author)"),
        max_length=rules.HIDE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportInline(admin.TabularInline[ReviewReport, Review]):
    model = ReviewReport
    extra = 0
    can_delete = False
    readonly_fields = ("reporter", "reason", "created_at")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin[Review]):
    list_display = (
        "id",
        "contract",
        "author",
        "subject",
        "subject_role",
        "stars",
        "revealed_at",
        "text_hidden_at",
    )
    list_filter = ("subject_role", "stars", ("revealed_at", admin.EmptyFieldListFilter))
    search_fields = ("text", "author__email", "subject__email")
    list_select_related = ("contract", "author", "subject")
    inlines = [ReportInline]
    readonly_fields = (
        "contract",
        "author",
        "subject",
        "subject_role",
        "stars",
        "tags",
        "text",
        "private_feedback",
        "completed_at",
        "created_at",
        "edited_at",
        "revealed_at",
        "reply",
        "replied_at",
        "text_hidden_at",
        "text_hidden_reason",
        "text_hidden_by",
        "hide_link",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("moderation"))
    def hide_link(self, obj: Review) -> str:
        url = reverse("admin:trust_review_hide", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Hide the text"))

    def get_urls(self) -> list[URLPattern]:
        hide = path(
            "<int:pk>/hide/", self.admin_site.admin_view(self.hide_view), name="trust_review_hide"
        )
        return [hide, *super().get_urls()]

    def hide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        review = Review.objects.prefetch_related("reports").filter(pk=pk).first()
        if review is None:
            raise Http404
        if not self.has_view_permission(request, review):
            raise PermissionDenied
        staff = request.user
        assert isinstance(staff, User)
        form = HideForm(request.POST or None)
        status = 200
        if request.method == "POST":
            if not staff.has_perm("trust.change_review"):
                raise PermissionDenied
            if form.is_valid():
                try:
                    services.review_hide(
                        review=review, by=staff, reason=form.cleaned_data["reason"]
                    )
                except ReviewError as exc:
                    self.message_user(request, exc.message, messages.ERROR)
                else:
                    self.message_user(request, _("The review's text is hidden."), messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:trust_review_changelist"))
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Hide the text of review %(id)s") % {"id": review.pk},
            "review": review,
            "form": form,
        }
        return TemplateResponse(request, "admin/trust/review/hide.html", context, status=status)


@admin.register(ReviewReport)
class ReviewReportAdmin(admin.ModelAdmin[ReviewReport]):
    list_display = ("id", "review", "reporter", "created_at")
    list_select_related = ("review", "reporter")
    readonly_fields = ("review", "reporter", "reason", "created_at", "review_link")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ReviewReport | None = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("moderation"))
    def review_link(self, obj: ReviewReport) -> str:
        url = reverse("admin:trust_review_hide", args=[obj.review_id])
        return format_html('<a href="{}">{}</a>', url, _("Hide the text"))


@admin.register(ReviewReminder)
class ReviewReminderAdmin(admin.ModelAdmin[ReviewReminder]):
    list_display = ("contract", "user", "day", "sent_at")
    readonly_fields = ("contract", "user", "day", "sent_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(NetworkRun)
class NetworkRunAdmin(admin.ModelAdmin[NetworkRun]):
    """Every network-trust recompute with its numbers. "Compute again now" (a button above the
    list) queues one and opens its page, which follows the run's progress until it is done."""

    list_display = (
        "started_at",
        "status",
        "progress_bar",
        "finished_at",
        "people",
        "edges",
        "seeds",
        "iterations",
    )
    list_filter = ("status",)
    readonly_fields = (
        "started_at",
        "finished_at",
        "status",
        "progress_bar",
        "people",
        "edges",
        "seeds",
        "iterations",
        "residual",
        "error",
    )
    fields = readonly_fields
    actions = ["recompute_now"]
    change_list_template = "admin/trust/networkrun/change_list.html"
    change_form_template = "admin/trust/networkrun/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: NetworkRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: NetworkRun | None = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "recompute/",
                self.admin_site.admin_view(self.recompute_view),
                name="trust_networkrun_recompute",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("progress"))
    def progress_bar(self, run: NetworkRun) -> str:
        stages = {
            "queued": _("queued"),
            "read": _("reading the records"),
            "rank": _("ranking"),
            "store": _("storing the result"),
        }
        if not run.is_running:
            return str(run.get_status_display())
        total = max(run.stage_total, 1)
        return format_html(
            '<progress value="{}" max="{}" aria-label="{}"></progress> {} {}/{}',
            run.stage_done,
            total,
            _("progress"),
            stages.get(run.stage, run.stage),
            run.stage_done,
            run.stage_total,
        )

    def recompute_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:trust_networkrun_changelist"))
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._start(request)

    def _start(self, request: HttpRequest) -> HttpResponse:
        run = network_trust_start()
        self.message_user(request, _("The recompute was started; this page follows it."))
        return HttpResponseRedirect(reverse("admin:trust_networkrun_change", args=[run.pk]))

    @admin.action(description=gettext_lazy("Compute network trust again now (in the background)"))
    def recompute_now(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        return self._start(request)


@admin.register(TrackRecordCard)
class TrackRecordCardAdmin(admin.ModelAdmin[TrackRecordCard]):
    """Published cards, read-only: only their owner publishes or revokes them."""

    list_display = ("public_id", "owner", "created_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("public_id", "owner__email")
    readonly_fields = ("public_id", "owner", "fields", "created_at", "expires_at", "revoked_at")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: TrackRecordCard | None = None
    ) -> bool:
        return False
