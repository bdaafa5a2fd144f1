"""Wrong passwords lock out the one who types them, not the owner; the password-reset flow
neither reuses a link nor tells whether an address has an account."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tests.accounts.factories import UserFactory
from tsunagu.accounts.models import User

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.9"
OWNER = "198.51.100.7"
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)")


def _login(client: Client, email: str, password: str, ip: str) -> None:
    client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_a_stranger_with_wrong_passwords_does_not_lock_the_owner_out() -> None:
    user = UserFactory(email="owner@example.com")
    stranger = Client()
    for _ in range(6):
        _login(stranger, user.email, "wrong-password", STRANGER)
    # the stranger is locked for this address: even the right password is refused now
    _login(stranger, user.email, "password", STRANGER)
    assert "_auth_user_id" not in stranger.session
    # the owner, from their own connection, signs in as usual
    owner = Client()
    _login(owner, user.email, "password", OWNER)
    assert owner.session["_auth_user_id"] == str(user.pk)


def test_the_owner_is_locked_after_their_own_wrong_passwords() -> None:
    user = UserFactory()
    owner = Client()
    for _ in range(5):
        _login(owner, user.email, "wrong-password", OWNER)
    _login(owner, user.email, "password", OWNER)
    assert "_auth_user_id" not in owner.session


def _reset_link(client: Client, email: str) -> str:
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": email})
    assert len(mail.outbox) == 1
    found = RESET_LINK.search(str(mail.outbox[0].body))
    assert found, mail.outbox[0].body
    return found.group(1)


def _set_password(client: Client, link: str, password: str) -> int:
    response = client.get(link)
    target = response["Location"] if response.status_code == 302 else link
    response = client.post(target, {"password1": password, "password2": password})
    return response.status_code


def test_a_reset_link_works_once() -> None:
    user = UserFactory()
    link = _reset_link(Client(), user.email)
    assert _set_password(Client(), link, "a-new-Passw0rd!") == 302
    user.refresh_from_db()
    assert user.check_password("a-new-Passw0rd!")

    # the same link again, from anywhere, changes nothing
    again = Client()
    response = again.get(link, follow=True)
    assert response.context["token_fail"] is True
    _set_password(again, link, "an-attacker-Passw0rd!")
    user.refresh_from_db()
    assert user.check_password("a-new-Passw0rd!")
    assert not user.check_password("an-attacker-Passw0rd!")


def test_reset_answers_the_same_for_known_and_unknown_addresses() -> None:
    UserFactory(email="known@example.com")
    known = Client().post("/accounts/password/reset/", {"email": "known@example.com"})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page_known = Client().get(known["Location"]).content.decode()
    page_unknown = Client().get(unknown["Location"]).content.decode()
    assert _without_tokens(page_known) == _without_tokens(page_unknown)
    # nothing is created or sent to an account for the unknown address
    assert not User.objects.filter(email="nobody@example.com").exists()
    assert all("key/" not in str(m.body) for m in mail.outbox if m.to == ["nobody@example.com"])


def _without_tokens(html: str) -> str:
    # CSRF tokens and CSP nonces differ on every page; nothing else may
    return re.sub(r"[A-Za-z0-9+/=_-]{20,}", "", html)
