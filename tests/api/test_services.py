from __future__ import annotations

import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.accounts.factories import UserFactory
from tests.api.factories import make_token
from tsunagu.api.models import ApiToken
from tsunagu.api.services import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke
from tsunagu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_stores_only_the_hash_and_returns_the_secret_once() -> None:
    user = UserFactory()

    token, secret = api_token_create(user=user, name="  invoice script  ")

    assert re.fullmatch(r"tsu_[A-Za-z0-9_-]{40}", secret)
    token.refresh_from_db()
    assert token.name == "invoice script"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12]
    # The secret itself is in no column of the row.
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(value) for value in row.values())
    event = AuditEvent.objects.get(event="api_token.created")
    assert event.actor == user
    assert event.subject_id == str(token.pk)
    assert secret not in str(event.after)


def test_two_tokens_never_share_a_secret() -> None:
    user = UserFactory()
    secrets = {make_token(user=user, name=f"t{i}")[1] for i in range(5)}
    assert len(secrets) == 5


@pytest.mark.parametrize("name", ["", "   ", "x" * 61])
def test_bad_name_is_refused_and_creates_nothing(name: str) -> None:
    user = UserFactory()

    with pytest.raises(ValidationError):
        api_token_create(user=user, name=name)

    assert ApiToken.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_active_name_must_be_unique_but_a_revoked_name_may_be_reused() -> None:
    user = UserFactory()
    first, _ = make_token(user=user, name="ci")

    with pytest.raises(ValidationError) as caught:
        api_token_create(user=user, name="ci")
    assert caught.value.code == "duplicate_name"

    api_token_revoke(token=first, by=user)
    again, _ = api_token_create(user=user, name="ci")
    assert again.pk != first.pk
    # Another person may use the same name.
    make_token(user=UserFactory(), name="ci")


def test_at_most_twenty_active_tokens() -> None:
    user = UserFactory()
    tokens = [make_token(user=user, name=f"t{i}")[0] for i in range(MAX_ACTIVE_TOKENS)]

    with pytest.raises(ValidationError) as caught:
        api_token_create(user=user, name="one too many")
    assert caught.value.code == "token_limit"
    assert ApiToken.objects.filter(user=user).count() == MAX_ACTIVE_TOKENS

    api_token_revoke(token=tokens[0], by=user)
    api_token_create(user=user, name="after revoking one")
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == MAX_ACTIVE_TOKENS


def test_revoke_is_audited_once_and_idempotent() -> None:
    user = UserFactory()
    token, _ = make_token(user=user)

    api_token_revoke(token=token, by=user)
    token.refresh_from_db()
    first_revoked_at = token.revoked_at
    assert first_revoked_at is not None

    api_token_revoke(token=token, by=user)
    token.refresh_from_db()
    assert token.revoked_at == first_revoked_at
    assert AuditEvent.objects.filter(event="api_token.revoked").count() == 1


def test_nobody_else_can_revoke_a_token() -> None:
    owner, other = UserFactory(), UserFactory()
    token, _ = make_token(user=owner)

    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, by=other)

    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEvent.objects.filter(event="api_token.revoked").exists()
