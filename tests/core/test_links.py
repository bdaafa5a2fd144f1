"""Links in e-mail carry the scheme the site is served on."""

from __future__ import annotations

import pytest
from django.contrib.sites.models import Site
from django.test import override_settings

from tests.accounts.factories import UserFactory
from tsunagu.core.links import site_url
from tsunagu.notifications.models import OutgoingEmail
from tsunagu.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_the_scheme_follows_the_https_setting() -> None:
    Site.objects.filter(pk=1).update(domain="tsunagu.example")
    with override_settings(HTTPS=True):
        assert site_url("/income/") == "https://tsunagu.example/income/"
        assert site_url() == "https://tsunagu.example"
    with override_settings(HTTPS=False):
        assert site_url("/income/") == "http://tsunagu.example/income/"
    assert site_url("https://elsewhere.example/x") == "https://elsewhere.example/x"


@override_settings(HTTPS=True)
def test_a_notification_e_mail_links_over_https() -> None:
    Site.objects.filter(pk=1).update(domain="tsunagu.example")
    user = UserFactory()
    notify(user=user, kind="test", message=lambda: "お知らせ", url="/income/")
    assert "https://tsunagu.example/income/" in OutgoingEmail.objects.get(to=user.email).body
