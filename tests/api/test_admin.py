from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.api.factories import make_token
from tsunagu.api.services import api_token_revoke
from tsunagu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_staff_list_shows_no_secret_and_revokes(client: Client) -> None:
    owner = UserFactory()
    token, secret = make_token(user=owner, name="leaked")
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)

    listing = client.get("/admin/api/apitoken/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "leaked" in html
    assert secret not in html
    assert (
        token.token_hash
        not in client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    )

    response = client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(event="api_token.revoked")
    assert event.actor == staff


def test_people_who_are_not_staff_cannot_use_the_admin(client: Client) -> None:
    token, _ = make_token(user=UserFactory())
    client.force_login(UserFactory())

    response = client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    token.refresh_from_db()
    assert token.revoked_at is None


def test_staff_may_revoke_through_the_service_but_not_other_people() -> None:
    token, _ = make_token(user=UserFactory())
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, by=UserFactory())
    api_token_revoke(token=token, by=UserFactory(is_staff=True))
    token.refresh_from_db()
    assert token.revoked_at is not None
