"""API authentication: the browser's session (with CSRF), or a personal token as a Bearer header."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from tsunagu.api.errors import ApiError
from tsunagu.api.models import ApiToken

TOKEN_PREFIX = "tsu_"  # noqa: S105  (marks our tokens; not a secret)
# last_used_at is written at most once a minute per token, not on every request.
LAST_USED_RESOLUTION_SECONDS = 60


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if (
            found.last_used_at is None
            or (now - found.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
        ):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        _activate_account_language(request, found.user.language)
        return found.user


def _activate_account_language(request: HttpRequest, language: str) -> None:
    """A script has no language cookie; unless it asks with Accept-Language, use the account's."""
    if "HTTP_ACCEPT_LANGUAGE" in request.META or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language


class CsrfSessionAuth(SessionAuth):
    """The browser's session; an unsafe request must carry the CSRF token.

    ninja's SessionAuth checks CSRF before it knows whether there is a session at all, so an
    anonymous POST got "403 CSRF failed" instead of "401 sign in". Here the check is made only
    when the session is signed in, and its failure is a JSON error like any other.
    """

    def __call__(self, request: HttpRequest) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise ApiError(
                "csrf_failed",
                gettext(
                    "The CSRF token is missing or wrong. Reload the page, or use a "
                    "personal API token."
                ),
                status=403,
            )
        return user


# Token first: a request with a Bearer token is an API client and needs no CSRF token.
api_auth = [TokenAuth(), CsrfSessionAuth()]
