"""Staff read the ledger. Transfers are append-only, so nothing can be added, changed or deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tsunagu.ledger.models import Account, Transfer


class _ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(_ReadOnly):
    list_display = ["code", "kind", "owner", "currency", "balance_display", "debits_pending"]
    list_filter = ["kind", "currency"]
    search_fields = ["code", "owner__email"]
    list_select_related = ["owner"]

    @admin.display(description=_("balance"))
    def balance_display(self, obj: Account) -> int:
        return obj.balance


@admin.register(Transfer)
class TransferAdmin(_ReadOnly):
    list_display = [
        "key",
        "kind",
        "debit_account",
        "credit_account",
        "amount",
        "currency",
        "reason",
        "created_at",
    ]
    list_filter = ["kind", "reason", "currency"]
    search_fields = ["key", "cause_id", "debit_account__code", "credit_account__code"]
    list_select_related = ["debit_account", "credit_account"]
    date_hierarchy = "created_at"
    raw_id_fields = ["debit_account", "credit_account", "pending"]
