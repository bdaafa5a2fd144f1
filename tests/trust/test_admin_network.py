"""Staff see network-trust runs and cards in the admin and can start a recompute."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.trust.factories import paid_contract
from tsunagu.trust.models import NetworkRun, NetworkRunStatus
from tsunagu.trust.network import network_trust_recompute

pytestmark = pytest.mark.django_db


def staff_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["networkrun", "trackrecordcard"])
def test_staff_see_the_lists_and_others_do_not(model: str) -> None:
    url = reverse(f"admin:trust_{model}_changelist")
    other = Client()
    other.force_login(UserFactory())

    assert staff_client().get(url).status_code == 200
    assert other.get(url).status_code == 302  # to the admin's sign-in


def test_compute_again_now_starts_a_run() -> None:
    paid_contract()
    first = network_trust_recompute()

    response = staff_client().post(
        reverse("admin:trust_networkrun_changelist"),
        {"action": "recompute_now", "_selected_action": [first.pk]},
    )

    assert response.status_code == 302
    assert NetworkRun.objects.filter(status=NetworkRunStatus.DONE).count() == 2
