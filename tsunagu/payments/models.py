"""Payments through the provider, and the provider's webhook events.

A Payment is written *before* the provider is called (status processing) and finalised after,
so a crash in between leaves a row that the recovery job completes with the same idempotency
key: the provider answers with the same result, and the ledger keys derived from the payment make
the money move exactly once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaymentKind(models.TextChoices):
    TOP_UP = "top_up", _("top-up")
    FUND = "fund", _("escrow funding")
    PAYOUT = "payout", _("payout")


class PaymentStatus(models.TextChoices):
    PROCESSING = "processing", _("processing")
    SUCCEEDED = "succeeded", _("succeeded")
    DECLINED = "declined", _("declined")


FINAL_STATUSES = (PaymentStatus.SUCCEEDED, PaymentStatus.DECLINED)


class Payment(models.Model):
    key = models.CharField(_("idempotency key"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PaymentKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    fee = models.BigIntegerField(_("fee"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PROCESSING
    )
    decline_code = models.CharField(_("reason"), max_length=40, blank=True)
    provider = models.CharField(max_length=30)
    provider_ref = models.CharField(max_length=80, blank=True)
    cause_type = models.CharField(max_length=60, blank=True)
    cause_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finalized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [
            models.Index(fields=["cause_type", "cause_id"]),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="payment_fee_not_negative"),
            # One live payment per thing being paid for: a double click cannot charge twice.
            models.UniqueConstraint(
                fields=["kind", "cause_type", "cause_id"],
                condition=Q(status__in=["processing", "succeeded"]) & ~Q(cause_type=""),
                name="one_live_payment_per_cause",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_processing(self) -> bool:
        return self.status == PaymentStatus.PROCESSING

    @property
    def is_succeeded(self) -> bool:
        return self.status == PaymentStatus.SUCCEEDED

    @property
    def is_declined(self) -> bool:
        return self.status == PaymentStatus.DECLINED

    @property
    def is_payout(self) -> bool:
        return self.kind == PaymentKind.PAYOUT


class WebhookEvent(models.Model):
    """Each provider event is processed once; replays find their id here and stop."""

    provider = models.CharField(max_length=30)
    event_id = models.CharField(max_length=80)
    type = models.CharField(max_length=60)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id} {self.type}"


class SandboxOperation(models.Model):
    """The sandbox provider's own records, as a real provider keeps them on its side."""

    idempotency_key = models.CharField(max_length=80, unique=True)
    operation = models.CharField(max_length=10)  # charge | payout
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16)  # succeeded | declined | pending
    decline_code = models.CharField(max_length=40, blank=True)
    ref = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sandbox operation")
        verbose_name_plural = _("sandbox operations")

    def __str__(self) -> str:
        return self.ref


class BankAccountType(models.TextChoices):
    ORDINARY = "ordinary", _("ordinary (普通)")
    CHECKING = "checking", _("checking (当座)")
    SAVINGS = "savings", _("savings (貯蓄)")


class BankAccount(models.Model):
    """Where a person's payouts go. Kept as entered; the provider verifies it on payout."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bank_account"
    )
    bank_name = models.CharField(_("bank"), max_length=60)
    branch_name = models.CharField(_("branch"), max_length=60)
    account_type = models.CharField(
        _("account type"),
        max_length=10,
        choices=BankAccountType.choices,
        default=BankAccountType.ORDINARY,
    )
    account_number = models.CharField(_("account number"), max_length=7)
    holder_kana = models.CharField(_("account holder (katakana)"), max_length=60)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self) -> str:
        return f"{self.bank_name} {self.branch_name} ****{self.account_number[-3:]}"
