"""Staff admin for contracts: contracts are read-only (every change goes through the services
on the contract page); open disputes form a queue with a decision page that calls
``dispute_decide`` and shows the evidence."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.accounts.models import User
from tsunagu.contracts import selectors, services
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.forms import DisputeDecisionForm
from tsunagu.contracts.models import Contract, Dispute, DisputeStatus, Milestone


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MilestoneInline(admin.TabularInline[Milestone, Contract]):
    model = Milestone
    fields = (
        "position",
        "title",
        "amount",
        "tax",
        "due_date",
        "status",
        "revisions_used",
        "funded_at",
        "delivered_at",
        "inspection_deadline",
        "released_amount",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "client", "worker", "status", "created_at", "page_link"]
    list_filter = ["status"]
    list_select_related = ["client", "worker"]
    search_fields = ["title", "client__email", "worker__email"]
    readonly_fields = (
        "title",
        "client",
        "worker",
        "currency",
        "status",
        "created_at",
        "accepted_at",
        "closed_at",
        "page_link",
        "terms_hash",
    )
    fields = readonly_fields
    inlines = [MilestoneInline]

    @admin.display(description=gettext_lazy("contract page and timeline"))
    def page_link(self, obj: Contract) -> str:
        url = reverse("contracts:detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open the contract page"))

    @admin.display(description=gettext_lazy("terms fingerprint (SHA-256)"))
    def terms_hash(self, obj: Contract) -> str:
        terms = getattr(obj, "terms", None)
        return terms.sha256 if terms is not None else "—"


class DisputeStatusFilter(admin.SimpleListFilter):
    """Open disputes first: the queue staff work through."""

    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("open", DisputeStatus.OPEN.label),
            ("decided", DisputeStatus.DECIDED.label),
            ("all", gettext_lazy("all")),
        ]

    def value(self) -> str:
        return super().value() or "open"

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "all":
            return queryset
        return queryset.filter(status=value)

    def choices(self, changelist: Any) -> Any:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "contract_title",
        "milestone",
        "opened_by",
        "status",
        "decide_link",
    ]
    list_filter = [DisputeStatusFilter]
    list_select_related = ["milestone__contract", "opened_by"]
    ordering = ["created_at"]
    readonly_fields = (
        "milestone",
        "opened_by",
        "reason",
        "status",
        "previous_status",
        "release_amount",
        "decision_note",
        "decided_by",
        "created_at",
        "decided_at",
    )
    fields = readonly_fields

    @admin.display(description=gettext_lazy("contract"))
    def contract_title(self, obj: Dispute) -> str:
        return obj.milestone.contract.title

    @admin.display(description=gettext_lazy("decision"))
    def decide_link(self, obj: Dispute) -> str:
        url = reverse("admin:contracts_dispute_decide", args=[obj.pk])
        label = _("Decide") if obj.status == DisputeStatus.OPEN else _("Details")
        return format_html('<a href="{}">{}</a>', url, label)

    def get_urls(self) -> list[URLPattern]:
        decide = path(
            "<int:pk>/decide/",
            self.admin_site.admin_view(self.decide_view),
            name="contracts_dispute_decide",
        )
        return [decide, *super().get_urls()]

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        dispute = (
            Dispute.objects.select_related(
                "milestone__contract__client__profile",
                "milestone__contract__worker__profile",
                "opened_by__profile",
                "decided_by",
            )
            .filter(pk=pk)
            .first()
        )
        if dispute is None:
            raise Http404
        if not self.has_view_permission(request, dispute):
            raise PermissionDenied
        milestone = dispute.milestone
        form = DisputeDecisionForm(maximum=milestone.amount)
        status = 200
        staff = request.user
        assert isinstance(staff, User)
        may_decide = staff.has_perm("contracts.change_dispute")
        if request.method == "POST":
            if not may_decide:
                raise PermissionDenied
            form = DisputeDecisionForm(request.POST, maximum=milestone.amount)
            if form.is_valid():
                try:
                    services.dispute_decide(
                        dispute=dispute,
                        by=staff,
                        release_amount=form.cleaned_data["release_amount"],
                        note=form.cleaned_data["note"],
                    )
                except ContractError as exc:
                    self.message_user(request, str(exc.message), messages.ERROR)
                except ValidationError as exc:
                    for message in exc.messages:
                        self.message_user(request, message, messages.ERROR)
                else:
                    self.message_user(request, _("The dispute was decided."), messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:contracts_dispute_changelist"))
            status = 400
            dispute.refresh_from_db()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Dispute on %(milestone)s") % {"milestone": milestone.title},
            "dispute": dispute,
            "milestone": milestone,
            "contract": milestone.contract,
            "form": form,
            "deliveries": selectors.dispute_evidence(dispute=dispute),
            "can_decide": dispute.status == DisputeStatus.OPEN and may_decide,
        }
        return TemplateResponse(
            request, "admin/contracts/dispute/decide.html", context, status=status
        )
