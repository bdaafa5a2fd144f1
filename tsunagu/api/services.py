"""Writes about personal API tokens."""

from __future__ import annotations

import functools
import secrets
import zoneinfo
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.api.auth import TOKEN_PREFIX, hash_token
from tsunagu.api.models import ApiToken
from tsunagu.audit.services import audit_record

MAX_ACTIVE_TOKENS = 20
TOKEN_RANDOM_BYTES = 30  # 30 bytes → 40 url-safe characters
DISPLAY_PREFIX_LENGTH = 12  # "tsu_" and the first 8 random characters


def _new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_RANDOM_BYTES)


def api_token_create(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token named ``name`` for ``user``; return it with its secret.

    The secret is returned here and never again: only its sha256 is stored. A person keeps at
    most ``MAX_ACTIVE_TOKENS`` active tokens, with names that tell them apart.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the token a name."), code="required")
    max_length = ApiToken._meta.get_field("name").max_length or 60
    if len(name) > max_length:
        raise ValidationError(
            _("Use at most %(max)d characters for the name.") % {"max": max_length},
            code="max_length",
        )
    with transaction.atomic():
        # Lock the account row so that two requests at once cannot both pass the limit.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        if active.count() >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                _(
                    "You already have %(max)d active tokens. Revoke one you no longer use "
                    "before creating another."
                )
                % {"max": MAX_ACTIVE_TOKENS},
                code="token_limit",
            )
        if active.filter(name=name).exists():
            raise ValidationError(
                _("You already have an active token with this name. Choose another name."),
                code="duplicate_name",
            )
        secret = _new_secret()
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[:DISPLAY_PREFIX_LENGTH],
            token_hash=hash_token(secret),
        )
        audit_record(
            actor=user,
            subject=token,
            event="api_token.created",
            after={"name": token.name, "prefix": token.prefix},
        )
    return token, secret


def api_token_revoke(*, token: ApiToken, by: Any) -> ApiToken:
    """Revoke ``token`` so it no longer authenticates. Revoking twice changes nothing.

    Its owner may revoke it, and so may staff (a token seen in a leak, an abused one).
    """
    if by is None or not (token.user_id == by.pk or getattr(by, "is_staff", False)):
        raise PermissionDenied(_("You can revoke only your own tokens."))
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            audit_record(
                actor=by,
                subject=locked,
                event="api_token.revoked",
                before={"revoked_at": None},
                after={"revoked_at": locked.revoked_at.isoformat()},
            )
    token.revoked_at = locked.revoked_at
    return locked


@functools.cache
def _known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> str:
    """An IANA time zone name such as ``Asia/Tokyo``, or a ValueError that says so."""
    value = (value or "").strip()
    if not value or value not in _known_time_zones():
        raise ValueError(
            _("“%(value)s” is not a known time zone. Use a name such as Asia/Tokyo.")
            % {"value": value[:64]}
        )
    return value
