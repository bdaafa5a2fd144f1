from __future__ import annotations

from typing import Any

from tsunagu.api.models import ApiToken
from tsunagu.api.services import api_token_create


def make_token(*, user: Any, name: str = "script") -> tuple[ApiToken, str]:
    """A token made the way people make them, with its secret (known only at creation)."""
    return api_token_create(user=user, name=name)


def bearer(secret: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
