"""Staff see every invoice, read-only. The one thing they can do is issue a correction: a new
invoice with the issuer's next number that names the one it corrects (audited)."""

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
from tsunagu.billing import services
from tsunagu.billing.errors import BillingError
from tsunagu.billing.models import Invoice, InvoiceCounter


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"), widget=forms.Textarea, max_length=1000
    )


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin[Invoice]):
    list_display = [
        "display_number",
        "kind",
        "issued_on",
        "worker",
        "recipient",
        "total",
        "tax",
        "corrects",
        "correct_link",
    ]
    list_filter = ["kind", "issued_on"]
    search_fields = ["worker__email", "recipient__email", "source_key"]
    list_select_related = ["worker", "recipient", "corrects"]
    readonly_fields = [
        "issuer_key",
        "number",
        "kind",
        "source_key",
        "milestone",
        "worker",
        "recipient",
        "corrects",
        "correction_reason",
        "issued_on",
        "total",
        "tax",
        "document",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Invoice | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Invoice | None = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("correction"))
    def correct_link(self, obj: Invoice) -> str:
        url = reverse("admin:billing_invoice_correct", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Issue a correction"))

    def get_urls(self) -> list[URLPattern]:
        correct = path(
            "<int:pk>/correct/",
            self.admin_site.admin_view(self.correct_view),
            name="billing_invoice_correct",
        )
        return [correct, *super().get_urls()]

    def correct_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = Invoice.objects.select_related("corrects").filter(pk=pk).first()
        if invoice is None:
            raise Http404
        if not self.has_view_permission(request, invoice):
            raise PermissionDenied
        staff = request.user
        assert isinstance(staff, User)
        form = CorrectionForm(request.POST or None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    correction = services.invoice_correct(
                        invoice=invoice, by=staff, reason=form.cleaned_data["reason"]
                    )
                except BillingError as exc:
                    self.message_user(request, exc.message, messages.ERROR)
                else:
                    self.message_user(
                        request,
                        _("Correction %(number)s was issued.")
                        % {"number": correction.display_number},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:billing_invoice_change", args=[correction.pk])
                    )
            status = 400
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Issue a correction of invoice %(number)s")
            % {"number": invoice.display_number},
            "invoice": invoice,
            "form": form,
        }
        return TemplateResponse(
            request, "admin/billing/invoice/correct.html", context, status=status
        )


@admin.register(InvoiceCounter)
class InvoiceCounterAdmin(admin.ModelAdmin[InvoiceCounter]):
    list_display = ["issuer_key", "last_number"]
    readonly_fields = ["issuer_key", "last_number"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: InvoiceCounter | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: InvoiceCounter | None = None
    ) -> bool:
        return False
