"""API authentication: the browser's session (with CSRF), or a personal token as a Bearer header."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from tsunagu.api.models import ApiToken

TOKEN_PREFIX = "tsu_"


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
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


# Token first: a request with a Bearer token is an API client and needs no CSRF token.
api_auth = [TokenAuth(), SessionAuth()]
