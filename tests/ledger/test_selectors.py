from __future__ import annotations

import pytest

from tests.accounts.factories import UserFactory
from tsunagu.ledger.models import Account
from tsunagu.ledger.selectors import wallet_find
from tsunagu.ledger.services import wallet_account

pytestmark = pytest.mark.django_db


def test_finding_a_wallet_never_opens_one_and_finds_the_one_services_open() -> None:
    user = UserFactory()
    assert wallet_find(user_id=user.pk, currency="JPY") is None
    assert not Account.objects.exists()
    opened = wallet_account(user_id=user.pk, currency="JPY")
    assert wallet_find(user_id=user.pk, currency="JPY") == opened
    assert wallet_find(user_id=user.pk, currency="USD") is None
