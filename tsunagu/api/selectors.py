"""Reads about personal API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tsunagu.api.models import ApiToken


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    """A person's tokens, newest first: active ones, then revoked ones."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")


def api_token_active_count(*, user: Any) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


def api_token_get(*, user: Any, pk: int) -> ApiToken | None:
    """One of the person's own tokens; someone else's is as good as missing."""
    return ApiToken.objects.filter(user=user, pk=pk).first()
