"""Signing in marks the browser with a device cookie; accounts seen on one browser are grouped
for the trust network, and the cookie's value never reaches the database."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tsunagu.accounts.devices import DEVICE_COOKIE, device_key, shared_device_groups
from tsunagu.accounts.models import DeviceSighting, User

pytestmark = pytest.mark.django_db


def sign_in(client: Client, user: User) -> None:
    response = client.post("/accounts/login/", {"login": user.email, "password": "password"})
    assert response.status_code == 302, response.content.decode()[:500]


def test_a_first_sign_in_sets_the_cookie_and_records_only_its_hash() -> None:
    user, browser = UserFactory(), Client()

    sign_in(browser, user)

    value = browser.cookies[DEVICE_COOKIE].value
    assert browser.cookies[DEVICE_COOKIE]["httponly"]
    sighting = DeviceSighting.objects.get(user=user)
    assert sighting.device == device_key(value) and value not in sighting.device


def test_two_accounts_on_one_browser_form_a_group_and_others_do_not() -> None:
    first, second, elsewhere = UserFactory(), UserFactory(), UserFactory()
    shared, other = Client(), Client()

    sign_in(shared, first)
    shared.post("/accounts/logout/")
    sign_in(shared, second)
    sign_in(other, elsewhere)
    sign_in(other, elsewhere)  # signing in again on the same browser adds no second row

    assert shared_device_groups() == [sorted([first.pk, second.pk])]
    assert DeviceSighting.objects.filter(user=elsewhere).count() == 1


def test_a_cookie_that_is_not_ours_is_replaced() -> None:
    user, browser = UserFactory(), Client()
    browser.cookies[DEVICE_COOKIE] = "<script>"

    sign_in(browser, user)

    assert browser.cookies[DEVICE_COOKIE].value != "<script>"
    assert DeviceSighting.objects.filter(user=user).count() == 1
