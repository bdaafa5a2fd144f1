"""What the contracts app tells the apps above it, without importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after the commit that moved money to the worker (a release, or a settlement that paid
# something), with ``contract_id``, ``client_id`` and ``worker_id``. Receivers run outside the
# transaction; a failing receiver does not undo the payment.
milestone_paid = Signal()
