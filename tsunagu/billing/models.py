"""Qualified invoices (適格請求書) and the counters that number them without gaps.

An issued invoice is never changed or deleted: a correction is a new invoice, with the next
number of the same issuer, that names the one it corrects. The figures of the tax papers are not
stored here at all: they are read from the ledger each time.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PLATFORM_ISSUER = "platform"


def worker_issuer(user_id: int) -> str:
    """The issuer key of a worker who issues through Tsunagu."""
    return f"user:{user_id}"


class InvoiceKind(models.TextChoices):
    PLATFORM_FEE = "platform_fee", _("platform fee")
    CLIENT_PAYMENT = "client_payment", _("payment from a client")


class IssuedInvoiceChanged(Exception):
    """An issued invoice was about to be changed or deleted: issue a correction instead."""


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    """Bulk updates and deletes are refused too: issued invoices only ever grow in number."""

    def update(self, **kwargs: Any) -> int:
        raise IssuedInvoiceChanged("update")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise IssuedInvoiceChanged("delete")


class InvoiceCounter(models.Model):
    """The last number given by one issuer. Locked while an invoice is created, so two invoices
    can never share a number and a rolled-back one leaves no gap."""

    issuer_key = models.CharField(max_length=40, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")

    def __str__(self) -> str:
        return f"{self.issuer_key}: {self.last_number}"


class Invoice(models.Model):
    issuer_key = models.CharField(_("issuer"), max_length=40)
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceKind.choices)
    # The ledger transfer the invoice is for (``fee:m12``, ``release:m12``): one invoice each.
    source_key = models.CharField(max_length=120)
    milestone = models.ForeignKey(
        "contracts.Milestone", on_delete=models.PROTECT, related_name="invoices"
    )
    # The worker the money is about: they see every invoice of their work.
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="billing_invoices"
    )
    # Who the invoice is addressed to, when that is an account (the client of a payment).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="billing_invoices_received",
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    issued_on = models.DateField(_("date"))
    total = models.BigIntegerField(_("total including tax"))
    tax = models.BigIntegerField(_("consumption tax"))
    # Everything printed on the invoice, frozen when it was issued.
    document = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("qualified invoice")
        verbose_name_plural = _("qualified invoices")
        indexes = [models.Index(fields=["worker", "issued_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_key", "number"], name="billing_invoice_number_unique"
            ),
            models.UniqueConstraint(
                fields=["source_key"],
                condition=Q(corrects__isnull=True),
                name="billing_invoice_once_per_transfer",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="billing_invoice_number_gte_1"),
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(tax__gte=0), name="billing_invoice_amounts_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return self.display_number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise IssuedInvoiceChanged(self.display_number)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise IssuedInvoiceChanged(self.display_number)

    @property
    def display_number(self) -> str:
        prefix = "TS" if self.issuer_key == PLATFORM_ISSUER else f"W{self.worker_id}"
        return f"{prefix}-{self.number:06d}"

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None
