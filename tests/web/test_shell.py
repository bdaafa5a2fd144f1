from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_landing_page_is_japanese_by_default(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "ja"
    assert '<html lang="ja">' in response.content.decode()
