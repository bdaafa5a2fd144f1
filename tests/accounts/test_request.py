from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from tests.accounts.factories import UserFactory
from tsunagu.accounts.request import signed_in_user


@pytest.mark.django_db
def test_the_signed_in_account_is_returned() -> None:
    request = RequestFactory().get("/")
    request.user = user = UserFactory()

    assert signed_in_user(request) == user


def test_an_anonymous_request_is_refused() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with pytest.raises(PermissionDenied):
        signed_in_user(request)
