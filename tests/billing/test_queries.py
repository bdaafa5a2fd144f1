"""The invoice list and the year's totals run the same number of queries whatever the number of
payments."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.billing.factories import paid
from tsunagu.accounts.models import User
from tsunagu.billing import selectors

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_run_a_constant_number_of_queries() -> None:
    worker = UserFactory()
    paid(worker=worker)
    client = _signed_in(worker)
    year = selectors.tax_today().year
    urls = [
        reverse("billing:invoices"),
        reverse("billing:overview"),
        reverse("billing:statements", args=[year]),
        "/api/v1/billing/invoices",
        f"/api/v1/billing/years/{year}/totals",
    ]
    one = [_count(client, url) for url in urls]
    for amount in (20_000, 40_000, 60_000):
        paid(worker=worker, amount=amount)
    four = [_count(client, url) for url in urls]
    assert one == four
