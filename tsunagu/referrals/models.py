"""Connections between two people, introductions (紹介) and the rewards paid for them.

A connection is one row per unordered pair (``user_low`` < ``user_high``, unique), whoever asked
first. What an introduction led to (a proposal, a contract, its paid value) is never stored here:
``selectors.outcomes_for`` computes it from the proposals and contracts tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tsunagu.core.money import format_yen

NOTE_MAX = 2000
REWARD_MAX = 1_000_000  # yen


class ConnectionStatus(models.TextChoices):
    PENDING = "pending", _("requested")
    ACCEPTED = "accepted", _("connected")
    DECLINED = "declined", _("declined")
    REMOVED = "removed", _("removed")


class Connection(models.Model):
    # No index of its own: the pair's unique index starts with it.
    user_low = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    user_high = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConnectionStatus.choices,
        default=ConnectionStatus.PENDING,
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    accepted_at = models.DateTimeField(_("connected at"), null=True, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        constraints = [
            models.UniqueConstraint(
                fields=["user_low", "user_high"], name="connection_one_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(user_low__lt=F("user_high")), name="connection_ordered_pair"
            ),
            models.CheckConstraint(
                condition=Q(requested_by=F("user_low")) | Q(requested_by=F("user_high")),
                name="connection_requested_by_party",
            ),
        ]
        # "Who can introduce me" joins the table with itself from either side of a pair.
        indexes = [
            models.Index(
                fields=["user_low", "user_high"],
                condition=Q(status="accepted"),
                name="connection_low_accepted",
            ),
            models.Index(
                fields=["user_high", "user_low"],
                condition=Q(status="accepted"),
                name="connection_high_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_low_id} – {self.user_high_id} ({self.status})"

    def other_id(self, user_id: int) -> int:
        return self.user_high_id if user_id == self.user_low_id else self.user_low_id

    def is_party(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in (self.user_low_id, self.user_high_id)


class ReferralKind(models.TextChoices):
    INTRODUCE = "introduce", _("a worker introduced to a client")
    FORWARD = "forward", _("a job forwarded to a peer")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Referral(models.Model):
    """``referrer`` introduces ``worker`` to ``client`` (kind introduce: the client answers) or
    forwards ``job`` of ``client`` to ``worker`` (kind forward: the worker answers)."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReferralKind.choices)
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="referrals_made",
        verbose_name=_("introduced by"),
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="referrals_as_client",
        verbose_name=_("client"),
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="referrals_as_worker",
        verbose_name=_("worker"),
    )
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("job"),
    )
    note = models.TextField(_("note"), max_length=NOTE_MAX)
    reward = models.PositiveIntegerField(_("referral reward (yen)"), default=0)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReferralStatus.choices,
        default=ReferralStatus.PENDING,
    )
    room = models.ForeignKey(
        "messaging.Room",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inquiry room"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        indexes = [
            models.Index(fields=["client", "worker"], name="referral_pair"),
            models.Index(fields=["worker", "status"], name="referral_worker"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(client=F("worker")), name="referral_two_people"),
            models.CheckConstraint(
                condition=~Q(referrer=F("client")) & ~Q(referrer=F("worker")),
                name="referral_referrer_is_third",
            ),
            models.CheckConstraint(
                condition=Q(reward__lte=REWARD_MAX), name="referral_reward_range"
            ),
            models.CheckConstraint(
                condition=Q(kind="introduce") | Q(job__isnull=False) | ~Q(status="pending"),
                name="referral_forward_has_job",
            ),
            models.UniqueConstraint(
                fields=["referrer", "client", "worker"],
                condition=Q(status="pending"),
                name="referral_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referrer_id}: {self.worker_id} → {self.client_id}"

    @property
    def receiver_id(self) -> int:
        """Who answers: the client for an introduction, the peer for a forwarded job."""
        return self.client_id if self.kind == ReferralKind.INTRODUCE else self.worker_id

    @property
    def is_pending(self) -> bool:
        return self.status == ReferralStatus.PENDING

    def involves(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in (self.referrer_id, self.client_id, self.worker_id)


class RewardStatus(models.TextChoices):
    PAID = "paid", _("paid")
    OWED = "owed", _("owed: the client's balance was short")
    REFUSED = "refused", _("not paid: larger than the payment released")


class RewardPayout(models.Model):
    """The one payment of a referral's reward (unique per referral), from the client's wallet to
    the referrer's, by the ledger transfer ``transfer_key``. ``owed`` when the client's balance
    was short; it is tried again later with the same key."""

    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="payout", verbose_name=_("introduction")
    )
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="+", verbose_name=_("contract")
    )
    amount = models.PositiveIntegerField(_("amount (yen)"))
    status = models.CharField(_("status"), max_length=8, choices=RewardStatus.choices)
    transfer_key = models.CharField(_("ledger transfer"), max_length=120, unique=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral reward")
        verbose_name_plural = _("referral rewards")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="paid") | Q(paid_at__isnull=True),
                name="reward_paid_at_only_when_paid",
            ),
        ]

    def __str__(self) -> str:
        return f"{format_yen(self.amount)} ({self.status})"
