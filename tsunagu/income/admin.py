"""Staff views of income data: read-only, since each row is the worker's own or the ledger's."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tsunagu.income.models import (
    IncomeMonth,
    IncomeTarget,
    OutsideIncome,
    RecurringEngagement,
    RollupRun,
)


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(IncomeTarget)
class IncomeTargetAdmin(ReadOnly):
    list_display = ("user", "monthly_amount", "concentration_limit", "updated_at")
    search_fields = ("user__email",)


@admin.register(OutsideIncome)
class OutsideIncomeAdmin(ReadOnly):
    list_display = ("user", "received_on", "source", "amount", "imported")
    list_filter = ("imported",)
    search_fields = ("user__email", "source")


@admin.register(RecurringEngagement)
class RecurringEngagementAdmin(ReadOnly):
    list_display = ("user", "label", "client", "monthly_amount")
    search_fields = ("user__email", "label")


@admin.register(IncomeMonth)
class IncomeMonthAdmin(ReadOnly):
    list_display = ("worker", "client", "month", "gross", "payments")
    search_fields = ("worker__email", "client__email")
    date_hierarchy = "month"

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(RollupRun)
class RollupRunAdmin(ReadOnly):
    list_display = ("started_at", "finished_at", "workers")
