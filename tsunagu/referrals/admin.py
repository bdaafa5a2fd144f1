"""Staff views of connections, introductions and referral rewards. Read-only: every change
goes through the services (which audit it); staff can retry an owed reward, which is audited."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.audit.services import audit_record
from tsunagu.referrals.models import Connection, Referral, RewardPayout, RewardStatus
from tsunagu.referrals.rewards import referral_reward_pay


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Connection)
class ConnectionAdmin(ReadOnly, admin.ModelAdmin[Connection]):
    list_display = (
        "id",
        "user_low",
        "user_high",
        "requested_by",
        "status",
        "created_at",
        "accepted_at",
    )
    list_filter = ("status",)
    search_fields = ("user_low__email", "user_high__email")
    raw_id_fields = ("user_low", "user_high", "requested_by")


@admin.register(Referral)
class ReferralAdmin(ReadOnly, admin.ModelAdmin[Referral]):
    list_display = (
        "id",
        "kind",
        "referrer",
        "worker",
        "client",
        "job",
        "status",
        "reward",
        "created_at",
    )
    list_filter = ("kind", "status")
    search_fields = ("referrer__email", "worker__email", "client__email", "note")
    raw_id_fields = ("referrer", "worker", "client", "job", "room")


@admin.register(RewardPayout)
class RewardPayoutAdmin(ReadOnly, admin.ModelAdmin[RewardPayout]):
    list_display = (
        "id",
        "referral",
        "contract",
        "amount",
        "status",
        "attempts",
        "last_error",
        "paid_at",
    )
    list_filter = ("status",)
    raw_id_fields = ("referral", "contract")
    actions = ["retry"]

    @admin.action(description=gettext_lazy("Try to pay the selected owed rewards again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[RewardPayout]) -> None:
        paid = 0
        for payout in queryset.filter(status=RewardStatus.OWED).select_related(
            "referral", "contract"
        ):
            result = referral_reward_pay(referral=payout.referral, contract=payout.contract)
            audit_record(
                actor=request.user,
                subject=payout.referral,
                event="referral.reward_retried",
                after={"status": result.status if result is not None else ""},
            )
            if result is not None and result.status == RewardStatus.PAID:
                paid += 1
        messages.info(request, _("%(n)d reward(s) paid.") % {"n": paid})
