"""Ledger tables. Transfers are inserted and never changed; account totals move with them.

The running totals on Account are a cache of the sum of its transfers, kept in the same
database transaction and verified by ``tsunagu ledger check``. Check constraints in the database
back the account flags, so even a bug above cannot let a wallet go below zero.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tsunagu.ledger.engine import TransferKind as EngineTransferKind


class AccountKind(models.TextChoices):
    WALLET = "wallet", _("wallet")
    ESCROW = "escrow", _("escrow")
    PLATFORM_FEES = "platform_fees", _("platform fees")
    WITHHOLDING_PAYABLE = "withholding_payable", _("withholding tax payable")
    PROVIDER_CLEARING = "provider_clearing", _("payment provider clearing")


class Account(models.Model):
    code = models.CharField(_("code"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=AccountKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("owner"),
    )
    currency = models.CharField(_("currency"), max_length=3)
    debits_must_not_exceed_credits = models.BooleanField(default=False)
    credits_must_not_exceed_debits = models.BooleanField(default=False)
    debits_pending = models.BigIntegerField(default=0)
    debits_posted = models.BigIntegerField(default=0)
    credits_pending = models.BigIntegerField(default=0)
    credits_posted = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(debits_pending__gte=0)
                & Q(debits_posted__gte=0)
                & Q(credits_pending__gte=0)
                & Q(credits_posted__gte=0),
                name="ledger_account_totals_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(debits_must_not_exceed_credits=False)
                | Q(credits_posted__gte=F("debits_pending") + F("debits_posted")),
                name="ledger_account_debits_within_credits",
            ),
            models.CheckConstraint(
                condition=Q(credits_must_not_exceed_debits=False)
                | Q(debits_posted__gte=F("credits_pending") + F("credits_posted")),
                name="ledger_account_credits_within_debits",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def balance(self) -> int:
        return self.credits_posted - self.debits_posted

    @property
    def available(self) -> int:
        return self.credits_posted - self.debits_posted - self.debits_pending


class TransferKind(models.TextChoices):
    SINGLE = EngineTransferKind.SINGLE.value, _("posted")
    PENDING = EngineTransferKind.PENDING.value, _("held")
    POST = EngineTransferKind.POST.value, _("hold posted")
    VOID = EngineTransferKind.VOID.value, _("hold voided")
    EXPIRE = EngineTransferKind.EXPIRE.value, _("hold expired")


class Transfer(models.Model):
    # The caller's id: the same key with the same fields returns the existing transfer. Unique
    # by a constraint (Meta) rather than ``unique=True``, which on PostgreSQL adds a second index
    # for LIKE that no query of the ledger uses.
    key = models.CharField(_("id"), max_length=120)
    kind = models.CharField(_("kind"), max_length=8, choices=TransferKind.choices)
    debit_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="debit_transfers"
    )
    credit_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="credit_transfers"
    )
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    # No index of its own: "ledger_pending_resolved_once" below is one on the same column, and
    # every lookup by pending (pending = x) is served by it.
    pending = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolutions",
        db_index=False,
    )
    timeout_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=40)
    cause_type = models.CharField(max_length=60, blank=True)
    cause_id = models.CharField(max_length=64, blank=True)
    batch = models.UUIDField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = [
            models.Index(fields=["cause_type", "cause_id"]),
            models.Index(
                fields=["timeout_at"],
                condition=Q(kind="pending", timeout_at__isnull=False),
                name="ledger_pending_timeouts",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="ledger_transfer_key_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="ledger_transfer_amount_gte_0"),
            models.CheckConstraint(
                condition=~Q(debit_account=F("credit_account")),
                name="ledger_transfer_accounts_differ",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["post", "void", "expire"], pending__isnull=False)
                | Q(kind__in=["single", "pending"], pending__isnull=True),
                name="ledger_transfer_resolves_iff_resolving_kind",
            ),
            # Each hold resolves exactly once, whatever races above.
            models.UniqueConstraint(
                fields=["pending"],
                condition=Q(pending__isnull=False),
                name="ledger_pending_resolved_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.amount} {self.currency}"
