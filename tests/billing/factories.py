"""Paid contracts built through the contracts' own services, and registered workers."""

from __future__ import annotations

from typing import Any

from django.test import TestCase

from tests.accounts.factories import UserFactory
from tests.trust.factories import paid_contract
from tsunagu.accounts.models import BusinessDetails, BusinessKind, User
from tsunagu.contracts.models import Contract

# A corporate number whose check digit is right (国税庁's own example).
COMPANY_NUMBER = "T1180301018771"


def registered_worker(**kwargs: Any) -> User:
    worker: User = UserFactory(**kwargs)
    BusinessDetails.objects.create(
        user=worker,
        kind=BusinessKind.COMPANY,
        legal_name="株式会社つなぐ制作",
        registration_number=COMPANY_NUMBER,
    )
    return worker


def paid(
    *, worker: User | None = None, client: User | None = None, amount: int = 30_000, **kwargs: Any
) -> Contract:
    """A contract whose one milestone of ``amount`` (tax excluded) was paid to the worker, with
    what runs after the commit (the ``milestone_paid`` receivers) run as it would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return paid_contract(worker=worker, client=client, amounts=(amount,), **kwargs)
