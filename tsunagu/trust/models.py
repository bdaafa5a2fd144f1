"""Reviews of the two parties of a paid contract, their reports and the reminders sent.

Rows change only through :mod:`tsunagu.trust.services`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tsunagu.trust.card_rules import CARD_PUBLIC_ID_BYTES
from tsunagu.trust.rules import (
    HIDE_REASON_MAX,
    PRIVATE_FEEDBACK_MAX,
    REPLY_MAX,
    REPORT_REASON_MAX,
    STARS_MAX,
    STARS_MIN,
    TEXT_MAX,
    ReviewedRole,
)


class Review(models.Model):
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="reviews"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_written"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_received"
    )
    subject_role = models.CharField(_("reviewed"), max_length=8, choices=ReviewedRole.choices)
    stars = models.PositiveSmallIntegerField(_("stars"))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    text = models.TextField(_("review"), max_length=TEXT_MAX)
    # Read by staff only: never in a page or an answer that another user can reach.
    private_feedback = models.TextField(
        _("private feedback to staff"), max_length=PRIVATE_FEEDBACK_MAX, blank=True
    )
    # The contract's completion (its first payment out of escrow): the blind period runs from it.
    completed_at = models.DateTimeField(_("contract completed at"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    revealed_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    # Moderation hides the text; the stars stay in the score.
    text_hidden_at = models.DateTimeField(_("text hidden at"), null=True, blank=True)
    text_hidden_reason = models.CharField(
        _("reason for hiding"), max_length=HIDE_REASON_MAX, blank=True
    )
    text_hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The one public reply of the person reviewed, after the reveal.
    reply = models.TextField(_("reply"), max_length=REPLY_MAX, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        ordering = ["-revealed_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [
            models.Index(fields=["subject", "subject_role", "-revealed_at"], name="review_listing")
        ]
        constraints = [
            models.UniqueConstraint(fields=["contract", "author"], name="review_once_per_contract"),
            models.CheckConstraint(
                condition=Q(stars__gte=STARS_MIN) & Q(stars__lte=STARS_MAX),
                name="review_stars_range",
            ),
            models.CheckConstraint(condition=~Q(author=F("subject")), name="review_not_self"),
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True) | Q(revealed_at__isnull=False),
                name="review_reply_after_reveal",
            ),
            models.CheckConstraint(
                condition=Q(text_hidden_at__isnull=True) | ~Q(text_hidden_reason=""),
                name="review_hidden_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"review {self.pk} of contract {self.contract_id}"

    @property
    def is_revealed(self) -> bool:
        return self.revealed_at is not None

    @property
    def is_text_hidden(self) -> bool:
        return self.text_hidden_at is not None


class ReviewReport(models.Model):
    """The person reviewed asks staff to look at a review."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=REPORT_REASON_MAX)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review report")
        verbose_name_plural = _("review reports")
        constraints = [
            models.UniqueConstraint(fields=["review", "reporter"], name="review_report_once")
        ]

    def __str__(self) -> str:
        return f"report on review {self.review_id}"


class ReviewReminder(models.Model):
    """A reminder to review, sent once per contract, person and day after completion."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        constraints = [
            models.UniqueConstraint(fields=["contract", "user", "day"], name="review_reminder_once")
        ]

    def __str__(self) -> str:
        return f"day {self.day} reminder for contract {self.contract_id}"


# --- network trust ---------------------------------------------------------------------------


class NetworkRunStatus(models.TextChoices):
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class NetworkRun(models.Model):
    """One full recompute of network trust, with its progress while it runs."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=NetworkRunStatus.choices, default=NetworkRunStatus.RUNNING
    )
    people = models.PositiveIntegerField(default=0)
    edges = models.PositiveIntegerField(default=0)
    seeds = models.PositiveIntegerField(default=0)
    iterations = models.PositiveIntegerField(default=0)
    residual = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    # progress while it runs: the stage ("queued", "read", "rank", "store") and how far into it
    stage = models.CharField(max_length=8, default="queued")
    stage_done = models.PositiveIntegerField(default=0)
    stage_total = models.PositiveIntegerField(default=0)
    # what the incremental update after a contract needs from the whole run (engine.GlobalTrust)
    teleport = models.FloatField(null=True, blank=True)
    dangling = models.FloatField(null=True, blank=True)
    norm = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("network trust run")
        verbose_name_plural = _("network trust runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_running(self) -> bool:
        return self.status == NetworkRunStatus.RUNNING


class NetworkTrust(models.Model):
    """A person's network trust from the last finished run: the score (all scores sum to 1) and
    its percentile among the people with paid work. Replaced as a whole by each run; in between,
    the two people of a contract that completes are updated at once (``updated_at``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_trust"
    )
    run = models.ForeignKey(NetworkRun, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    percentile = models.FloatField()
    # the run's per-person numbers, from which a contract's completion updates the score at once
    eigentrust = models.FloatField(default=0.0)
    gate = models.FloatField(default=0.0)
    out_weight = models.FloatField(default=0.0)
    is_seed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(null=True, blank=True)  # set by an incremental update

    class Meta:
        verbose_name = _("network trust")
        verbose_name_plural = _("network trust")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(percentile__gte=0) & Q(percentile__lte=1),
                name="network_trust_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.percentile:.2f}"


# --- Track-record cards ---------------------------------------------------------------------


def new_card_public_id() -> str:
    """The card's URL slug: random, so that a card's address says nothing and cannot be guessed."""
    return secrets.token_urlsafe(CARD_PUBLIC_ID_BYTES)


class TrackRecordCard(models.Model):
    """A worker's published track record: a snapshot signed at publication, revocable.

    ``document`` is the signed card exactly as served at /cards/<public_id>.json; it is never
    changed after publication. Publishing again makes a new card and revokes the previous one.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="track_record_cards"
    )
    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_card_public_id, editable=False
    )
    fields = models.JSONField(_("fields shown"), default=list)
    document = models.JSONField(_("signed card"), default=dict)
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("track-record card")
        verbose_name_plural = _("track-record cards")
        indexes = [models.Index(fields=["owner", "revoked_at"], name="card_owner_active")]
        constraints = [
            # At most one live card per worker: publishing again revokes the previous one.
            models.UniqueConstraint(
                fields=["owner"], condition=Q(revoked_at__isnull=True), name="card_one_live"
            )
        ]

    def __str__(self) -> str:
        return f"card {self.public_id}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
