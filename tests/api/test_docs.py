"""The OpenAPI description and its documentation page."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_docs_page_renders_from_bundled_files(client: Client) -> None:
    response = client.get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/api/v1/openapi.json" in html
    assert "cdn" not in html.lower()
    # No inline script runs: the settings are JSON data and the init script is a file.
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_openapi_lists_me_and_profiles(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert "/api/v1/me" in paths
    assert {"get", "patch"} <= set(paths["/api/v1/me"])
    assert "/api/v1/me/tokens" in paths
    assert any(p.startswith("/api/v1/profiles") for p in paths)
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["CsrfSessionAuth"]["in"] == "cookie"
    # Refusals are documented with their shape.
    assert "ErrorOut" in schema["components"]["schemas"]
    assert "422" in paths["/api/v1/me"]["patch"]["responses"]
