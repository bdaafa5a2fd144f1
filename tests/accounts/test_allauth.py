"""Sign-up, e-mail confirmation, login throttling, the language cookie and allauth's pages."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client

from tests.accounts.factories import UserFactory
from tsunagu.accounts.models import User

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(src|type=\"application/json\")=?)[^>]*>")


def assert_site_layout(html: str) -> None:
    assert 'class="site-header"' in html
    assert "style=" not in html
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)


def test_sign_up_confirm_and_be_logged_in(client: Client) -> None:
    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    assert_site_layout(page.content.decode())
    response = client.post(
        "/accounts/signup/",
        {"email": "hanako@example.com", "password1": "kumo-no-ue-42", "password2": "kumo-no-ue-42"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="hanako@example.com")
    assert user.language == "ja"
    # not signed in until the address is confirmed
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    link = CONFIRM_LINK.search(str(mail.outbox[0].body))
    assert link, mail.outbox[0].body
    confirm_page = client.get(link.group(1))
    assert confirm_page.status_code == 200
    assert "hanako@example.com" in confirm_page.content.decode()
    response = client.post(link.group(1))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified


def test_sign_up_in_english_keeps_the_language(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/accounts/signup/").content.decode()
    assert 'lang="en"' in html and "Sign Up" in html
    client.post(
        "/accounts/signup/",
        {"email": "jo@example.com", "password1": "kumo-no-ue-42", "password2": "kumo-no-ue-42"},
    )
    assert User.objects.get(email="jo@example.com").language == "en"


def test_sign_up_with_bad_input_creates_nothing(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": "not-an-address", "password1": "kumo-no-ue-42", "password2": "different-42"},
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_sixth_wrong_password_in_five_minutes_locks_even_the_right_one(client: Client) -> None:
    user = UserFactory(email="target@example.com")
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"login": user.email, "password": "wrong-password"}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    response = client.post("/accounts/login/", {"login": user.email, "password": "password"})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    # another address from the same browser is not locked by this one
    other = UserFactory()
    client.post("/accounts/login/", {"login": other.email, "password": "password"})
    assert client.session["_auth_user_id"] == str(other.pk)


def test_right_password_works_before_the_limit(client: Client) -> None:
    user = UserFactory()
    for _ in range(4):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong-password"})
    client.post("/accounts/login/", {"login": user.email, "password": "password"})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_sets_the_language_cookie_from_the_account(client: Client) -> None:
    user = UserFactory(language="en")
    response = client.post("/accounts/login/", {"login": user.email, "password": "password"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/account/verification/").content.decode()
    assert 'lang="en"' in html and "Identity verification" in html


@pytest.mark.parametrize(
    "url",
    ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"],
)
def test_entrance_pages_use_the_site_layout(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert_site_layout(html)
    assert "auth-form" in html and 'class="btn' in html


def test_password_reset_sends_a_mail(client: Client) -> None:
    user = UserFactory()
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/reauthenticate/",
        "/accounts/logout/",
    ],
)
def test_manage_pages_use_the_site_layout(client: Client, url: str) -> None:
    user = UserFactory()
    client.post("/accounts/login/", {"login": user.email, "password": "password"})
    response = client.get(url)
    assert response.status_code == 200
    assert_site_layout(response.content.decode())


def test_totp_activation_after_reauthentication_shows_the_qr_code(client: Client) -> None:
    user = UserFactory()
    client.post("/accounts/login/", {"login": user.email, "password": "password"})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": "password"})
    assert response.status_code == 302
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    html = response.content.decode()
    assert_site_layout(html)
    assert 'class="totp-qr"' in html and 'src="data:image/svg+xml;base64,' in html
    assert 'name="code"' in html
    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
