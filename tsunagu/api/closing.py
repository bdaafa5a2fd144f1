"""Closing an account: every API token of the person is revoked (kept, for the audit trail)."""

from __future__ import annotations

from django.utils import timezone

from tsunagu.api.models import ApiToken
from tsunagu.core.closing import closing_eraser_register


def revoke_tokens(user_id: int) -> dict[str, int]:
    revoked = ApiToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return {"api_tokens_revoked": revoked}


closing_eraser_register("api", revoke_tokens)
