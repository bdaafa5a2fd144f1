from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory

from tests.accounts.factories import UserFactory
from tsunagu.web.views import server_error

pytestmark = pytest.mark.django_db


def test_landing_page_is_japanese_by_default(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "ja"
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "ログイン" in html


def test_language_switch_to_english_and_back(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Log in" in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "ja", "next": "/"}, follow=True)
    assert '<html lang="ja">' in response.content.decode()


def test_language_switch_is_kept_on_the_account(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_language_switch_ignores_unknown_languages(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "ja"


def test_language_switch_refuses_an_outside_redirect(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("language", "text"), [("ja", "ページが見つかりません"), ("en", "Page not found")]
)
def test_404_page_in_both_languages(client: Client, language: str, text: str) -> None:
    client.cookies["tsunagu_language"] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert text in response.content.decode()


def test_500_page_renders_without_a_request_context(rf: RequestFactory) -> None:
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "エラー" in response.content.decode()


def test_security_headers_are_set(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_https_mode_turns_on_secure_cookies_and_hsts(tmp_path: Path) -> None:
    env = {**os.environ, "HTTPS": "true", "TSUNAGU_VAR_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "tsunagu.settings"
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.SECURE_SSL_REDIRECT)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "True", "True", "True"]


def test_signed_in_home_shows_own_completeness_and_next_step(client: Client) -> None:
    user = UserFactory()
    other = UserFactory()
    other.profile.display_name = "他の人"
    other.profile.save()
    user.profile.display_name = "山田"
    user.profile.save()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "山田" in html
    assert "他の人" not in html
    assert response.context["completeness"].percent < 100
    # e-mail is verified by the factory, so the next step is the phone number
    assert response.context["next_step"].code == "phone"


def test_public_media_is_served_and_private_files_are_not(client: Client, settings: Any) -> None:
    media = Path(settings.MEDIA_ROOT)
    (media / "portfolio").mkdir(parents=True)
    (media / "portfolio" / "a.txt").write_text("hello")
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    private.mkdir(parents=True)
    (private / "secret.txt").write_text("secret")
    response = client.get("/media/portfolio/a.txt")
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment"
    for path in ("/media/../private/secret.txt", "/media/%2E%2E/private/secret.txt"):
        response = client.get(path)
        assert response.status_code in (400, 404)
        assert b"secret" not in response.content
