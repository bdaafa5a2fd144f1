"""A person's invoices in their data export: those they issued and those addressed to them."""

from __future__ import annotations

from collections.abc import Iterable

from django.core import serializers
from django.db.models import Q

from tsunagu.billing.models import Invoice
from tsunagu.core.exports import exporter_register


def invoices(user_id: int) -> Iterable[tuple[str, bytes]]:
    rows = Invoice.objects.filter(Q(worker_id=user_id) | Q(recipient_id=user_id)).order_by("pk")
    yield "invoices.json", serializers.serialize("json", rows, indent=1).encode()


exporter_register("billing", invoices)
