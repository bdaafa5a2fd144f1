"""Contracts with written terms, milestones funded into escrow, deliveries, disputes.

Money never lives here: the escrow is a ledger account per contract, and each funded milestone
is a hold on it (ledger key ``fund:m<id>``). These rows record where each milestone stands.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import User, private_storage
from tsunagu.contracts.states import ContractStatus, MilestoneStatus

# An estimate of the hours a contract takes each week, at most (jobs' cap for hourly work).
MAX_WEEKLY_HOURS = 80


class Contract(models.Model):
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_as_client"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_as_worker"
    )
    title = models.CharField(_("title"), max_length=120)
    currency = models.CharField(_("currency"), max_length=3, default="JPY")
    status = models.CharField(
        _("status"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.OFFERED
    )
    created_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The worker's planning estimate while the contract runs, not a term: it is weighed against
    # the weekly capacity on their profile before they accept (selectors.capacity_for).
    weekly_hours = models.PositiveSmallIntegerField(
        _("estimated hours a week"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [
            models.Index(fields=["client", "status"]),
            models.Index(fields=["worker", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(client=models.F("worker")), name="contract_two_parties"
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True)
                | Q(weekly_hours__gte=1, weekly_hours__lte=MAX_WEEKLY_HOURS),
                name="contract_weekly_hours_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_offered(self) -> bool:
        return self.status == ContractStatus.OFFERED

    def is_party(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in (self.client_id, self.worker_id)

    def other_party(self, user_id: int) -> User:
        """The worker for the client, the client for the worker."""
        return self.worker if user_id == self.client_id else self.client

    @property
    def escrow_code(self) -> str:
        return f"escrow:contract:{self.pk}:{self.currency}"


class Terms(models.Model):
    """The written terms (取引条件) as agreed: an immutable snapshot with its hash."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="terms")
    data = models.JSONField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("terms")
        verbose_name_plural = _("terms")

    def __str__(self) -> str:
        return f"terms of {self.contract_id} ({self.sha256[:12]})"


class Milestone(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("title"), max_length=120)
    amount = models.BigIntegerField(_("fee (tax excluded)"))
    tax = models.BigIntegerField(_("consumption tax"))
    due_date = models.DateField(_("delivery date"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.UNFUNDED,
    )
    revisions_used = models.PositiveSmallIntegerField(default=0)
    funded_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    inspection_deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # What the worker got (tax-excluded) when it was released or settled; 0 when refunded.
    released_amount = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["contract", "position"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="milestone_amount_positive"),
            models.CheckConstraint(condition=Q(tax__gte=0), name="milestone_tax_not_negative"),
            models.CheckConstraint(
                condition=Q(released_amount__gte=0) & Q(released_amount__lte=models.F("amount")),
                name="milestone_released_within_amount",
            ),
            models.UniqueConstraint(
                fields=["contract", "position"], name="milestone_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_delivered(self) -> bool:
        return self.status == MilestoneStatus.DELIVERED

    @property
    def is_revision_requested(self) -> bool:
        return self.status == MilestoneStatus.REVISION_REQUESTED

    @property
    def is_refunded(self) -> bool:
        return self.status == MilestoneStatus.REFUNDED

    @property
    def gross(self) -> int:
        """What the client pays into escrow: the fee plus consumption tax."""
        return self.amount + self.tax

    @property
    def hold_key(self) -> str:
        return self.transfer_key("fund")

    def transfer_key(self, part: str) -> str:
        """The ledger key of this milestone's transfer ``part`` (fund, release, pay, fee…)."""
        return f"{part}:m{self.pk}"


class Delivery(models.Model):
    """One version of the work handed over for a milestone. Every version is kept."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="deliveries")
    version = models.PositiveSmallIntegerField()
    message = models.TextField(_("message"), max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["milestone", "version"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "version"], name="delivery_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.milestone} v{self.version}"


class DeliveryFile(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to="deliveries/%Y/%m/", storage=private_storage)
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("delivered file")
        verbose_name_plural = _("delivered files")

    def __str__(self) -> str:
        return self.name


class RevisionRequest(models.Model):
    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="revision_requests"
    )
    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="revision_requests"
    )
    message = models.TextField(_("what to change"), max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("revision request")
        verbose_name_plural = _("revision requests")

    def __str__(self) -> str:
        return f"revision of {self.delivery}"


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("waiting for the other party")
    ACCEPTED = "accepted", _("agreed")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CancellationRequest(models.Model):
    """Cancelling a funded milestone by agreement: how much of the fee the worker keeps."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="cancellations")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    release_amount = models.BigIntegerField(_("fee the worker keeps (tax excluded)"))
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(
        max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cancellation request")
        verbose_name_plural = _("cancellation requests")
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"], condition=Q(status="open"), name="one_open_cancellation"
            ),
            models.CheckConstraint(
                condition=Q(release_amount__gte=0), name="cancellation_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"cancellation of {self.milestone}"

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.OPEN


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("waiting for staff")
    DECIDED = "decided", _("decided")


class Dispute(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="disputes")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("what went wrong"), max_length=5000)
    status = models.CharField(
        max_length=16, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    previous_status = models.CharField(max_length=20, choices=MilestoneStatus.choices)
    release_amount = models.BigIntegerField(
        _("fee released to the worker (tax excluded)"), null=True, blank=True
    )
    decision_note = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"], condition=Q(status="open"), name="one_open_dispute"
            ),
        ]

    def __str__(self) -> str:
        return f"dispute on {self.milestone}"

    @property
    def is_open(self) -> bool:
        return self.status == DisputeStatus.OPEN

    @property
    def is_decided(self) -> bool:
        return self.status == DisputeStatus.DECIDED
