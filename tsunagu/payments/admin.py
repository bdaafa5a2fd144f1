"""Staff look at payments, provider events and bank accounts; money is never edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tsunagu.payments.models import BankAccount, Payment, WebhookEvent


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "user", "amount", "fee", "currency", "status", "created_at"]
    list_filter = ["status", "kind", "provider"]
    search_fields = ["key", "provider_ref", "user__email", "cause_id"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "provider", "type", "received_at"]
    list_filter = ["provider", "type"]
    search_fields = ["event_id"]


@admin.register(BankAccount)
class BankAccountAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "bank_name",
        "branch_name",
        "account_type",
        "masked_number",
        "updated_at",
    ]
    search_fields = ["user__email", "bank_name", "holder_kana"]
    list_select_related = ["user"]
    fields = [
        "user",
        "bank_name",
        "branch_name",
        "account_type",
        "masked_number",
        "holder_kana",
        "updated_at",
    ]
    readonly_fields = (
        "user",
        "bank_name",
        "branch_name",
        "account_type",
        "masked_number",
        "holder_kana",
        "updated_at",
    )

    @admin.display(description=_("account number"))
    def masked_number(self, obj: BankAccount) -> str:
        return f"****{obj.account_number[-3:]}"
