"""A worker's income: the monthly target, recurring engagements, income from outside Tsunagu,
and the monthly roll-up of what the ledger released to them per client."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MAX_AMOUNT = 100_000_000  # yen: a month's target or one outside income at most


class IncomeTarget(models.Model):
    """The revenue a worker aims for each month, and the concentration they accept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="income_target"
    )
    monthly_amount = models.PositiveBigIntegerField(_("monthly target"))
    concentration_limit = models.PositiveSmallIntegerField(
        _("warn when one client's share is above (%)"), default=50
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("income target")
        verbose_name_plural = _("income targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_amount__gt=0, monthly_amount__lte=MAX_AMOUNT),
                name="income_target_in_range",
            ),
            models.CheckConstraint(
                condition=Q(concentration_limit__gte=10, concentration_limit__lte=100),
                name="income_concentration_limit_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.monthly_amount}"


class OutsideIncome(models.Model):
    """Income from outside Tsunagu, entered by hand or imported: part of the picture, never of
    the ledger."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outside_income"
    )
    received_on = models.DateField(_("received on"))
    amount = models.PositiveBigIntegerField(_("amount"))
    source = models.CharField(pgettext_lazy("income source", "from"), max_length=80)
    note = models.CharField(_("note"), max_length=200, blank=True)
    imported = models.BooleanField(_("imported from CSV"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("outside income")
        verbose_name_plural = _("outside income")
        indexes = [models.Index(fields=["user", "received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount__lte=MAX_AMOUNT), name="outside_income_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.source} {self.amount}"


class RecurringEngagement(models.Model):
    """Work a worker expects every month (a retainer, a regular client), with its amount."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recurring_engagements"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("client on Tsunagu"),
    )
    label = models.CharField(_("name"), max_length=80)
    monthly_amount = models.PositiveBigIntegerField(_("expected each month"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label", "id"]
        verbose_name = _("recurring engagement")
        verbose_name_plural = _("recurring engagements")
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_amount__gt=0, monthly_amount__lte=MAX_AMOUNT),
                name="recurring_amount_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(client=models.F("user")), name="recurring_not_self"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class IncomeMonth(models.Model):
    """What the ledger released to a worker from one client's contracts in one month (gross,
    tax included): a roll-up, rebuilt from the ledger's transfers and never edited by hand."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the month's first day
    gross = models.BigIntegerField()
    payments = models.PositiveIntegerField()
    first_day = models.DateField()
    last_day = models.DateField()

    class Meta:
        verbose_name = _("income month")
        verbose_name_plural = _("income months")
        constraints = [
            models.UniqueConstraint(fields=["worker", "client", "month"], name="income_month_once")
        ]
        indexes = [models.Index(fields=["worker", "month"])]

    def __str__(self) -> str:
        return f"{self.worker_id}←{self.client_id} {self.month:%Y-%m}: {self.gross}"


class RollupRun(models.Model):
    """One nightly rebuild of every paid worker's roll-up (the tick starts one a day)."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    workers = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("income roll-up run")
        verbose_name_plural = _("income roll-up runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}: {self.workers}"


class PipeAlert(models.Model):
    """A worker was told that the pipe with ``client`` is thinning, as of the last payment on
    ``last_day``: once per silence, so a new payment followed by a new silence tells again."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thinning pipe alert")
        verbose_name_plural = _("thinning pipe alerts")
        constraints = [
            models.UniqueConstraint(fields=["worker", "client", "last_day"], name="pipe_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.worker_id}←{self.client_id} since {self.last_day}"


class WeeklySummary(models.Model):
    """The weekly income e-mail a worker was sent for the week starting on ``week`` (a Monday):
    at most one a week, however often the tick runs."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    gap = models.PositiveBigIntegerField(null=True, blank=True)  # left to the target, if any
    matching_jobs = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week", "-id"]
        verbose_name = _("weekly income e-mail")
        verbose_name_plural = _("weekly income e-mails")
        constraints = [
            models.UniqueConstraint(fields=["worker", "week"], name="weekly_summary_once")
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.week}"


class WeeklySummaryOptOut(models.Model):
    """The worker asked not to receive the weekly income e-mail (the page still shows it all)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("weekly e-mail opt-out")
        verbose_name_plural = _("weekly e-mail opt-outs")

    def __str__(self) -> str:
        return str(self.user_id)
