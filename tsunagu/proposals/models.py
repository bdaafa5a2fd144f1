"""Proposals on jobs, interviews with their proposed times, and each person's response time."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MAX_PRICE = 100_000_000  # yen, as jobs.MAX_BUDGET
MAX_PROPOSED_MILESTONES = 5


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("proposal status", "Submitted")
    SHORTLISTED = "shortlisted", pgettext_lazy("proposal status", "Shortlisted")
    DECLINED = "declined", pgettext_lazy("proposal status", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal status", "Withdrawn")
    OFFERED = "offered", pgettext_lazy("proposal status", "Offer sent")


# status → statuses it may move to; declined, withdrawn and offered are final
TRANSITIONS: dict[str, frozenset[str]] = {
    ProposalStatus.SUBMITTED: frozenset(
        {
            ProposalStatus.SHORTLISTED,
            ProposalStatus.DECLINED,
            ProposalStatus.WITHDRAWN,
            ProposalStatus.OFFERED,
        }
    ),
    ProposalStatus.SHORTLISTED: frozenset(
        {ProposalStatus.DECLINED, ProposalStatus.WITHDRAWN, ProposalStatus.OFFERED}
    ),
    ProposalStatus.DECLINED: frozenset(),
    ProposalStatus.WITHDRAWN: frozenset(),
    ProposalStatus.OFFERED: frozenset(),
}
ACTIVE = (ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED)


class DeclineReason(models.TextChoices):
    BUDGET = "budget", _("The price is outside our budget")
    SKILLS = "skills", _("The experience does not match what this job needs")
    SCHEDULE = "schedule", _("The schedule does not fit ours")
    FILLED = "filled", _("We have chosen another worker")
    OTHER = "other", _("Another reason")


class Proposal(models.Model):
    """A worker's proposal for a job. ``milestones`` is a short list of
    ``{"title": str, "amount": int, "due_date": "YYYY-MM-DD" | None}``; amounts are yen, tax
    excluded, like ``price``."""

    job = models.ForeignKey(
        "jobs.Job", on_delete=models.CASCADE, related_name="proposals", verbose_name=_("job")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("worker"),
    )
    cover_letter = models.TextField(_("cover letter"), max_length=5000)
    price = models.PositiveIntegerField(_("price (yen, tax excluded)"))
    schedule = models.CharField(_("schedule"), max_length=500, blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    milestones = models.JSONField(_("proposed milestones"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
    )
    decline_reason = models.CharField(
        _("reason"), max_length=10, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.CharField(_("note"), max_length=500, blank=True)
    contract = models.OneToOneField(
        "contracts.Contract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    client_responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["worker", "-created_at"], name="proposal_worker")]
        constraints = [
            models.UniqueConstraint(fields=["job", "worker"], name="proposal_once_per_job"),
            models.CheckConstraint(
                condition=Q(price__gte=1) & Q(price__lte=MAX_PRICE), name="proposal_price_range"
            ),
            models.CheckConstraint(
                condition=Q(status="declined") | Q(decline_reason=""),
                name="proposal_reason_only_when_declined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} → {self.job_id}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def is_submitted(self) -> bool:
        return self.status == ProposalStatus.SUBMITTED

    @property
    def is_declined(self) -> bool:
        return self.status == ProposalStatus.DECLINED


class InterviewStatus(models.TextChoices):
    PROPOSED = "proposed", _("Times proposed")
    BOOKED = "booked", _("Booked")


class Interview(models.Model):
    """A video call one side (``inviter``) asks for; the other (``invitee``) books one slot.

    It belongs to the inquiry or contract ``room`` of the two people (linked from the calendar
    file) and, when it started from one, to a ``proposal``.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interviews_sent"
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interviews_received"
    )
    room = models.ForeignKey("messaging.Room", on_delete=models.CASCADE, related_name="interviews")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="interviews"
    )
    title = models.CharField(_("title"), max_length=120)
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    status = models.CharField(
        max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.PROPOSED
    )
    booked_slot = models.OneToOneField(
        "InterviewSlot", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    booked_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="booked") & Q(booked_slot__isnull=False))
                | (Q(status="proposed") & Q(booked_slot__isnull=True)),
                name="interview_booked_has_slot",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_proposed(self) -> bool:
        return self.status == InterviewStatus.PROPOSED

    @property
    def is_booked(self) -> bool:
        return self.status == InterviewStatus.BOOKED


class InterviewSlot(models.Model):
    """One proposed time, stored in UTC. ``in_overlap``: inside both people's working hours."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    in_overlap = models.BooleanField(default=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "starts_at"], name="interview_slot_once"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="interview_slot_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.starts_at.isoformat()


class ResponseTime(models.Model):
    """A person's median time to first reply over the last 90 days (refreshed periodically)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="response_time"
    )
    median_seconds = models.PositiveIntegerField(null=True, blank=True)
    samples = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("response time")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.median_seconds}"
