"""Every refusal is JSON with a code and a message, in the reader's language."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.test import Client
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.testing import TestClient

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tsunagu.api.errors import ApiError, install_error_handlers
from tsunagu.api.schemas import StrictSchema
from tsunagu.api_v1 import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_and_secret() -> tuple[Any, str]:
    user = UserFactory(language="ja", time_zone="Asia/Tokyo")
    return user, make_token(user=user)[1]


def _patch_raw(client: Client, secret: str, raw: bytes | str) -> Any:
    return client.patch("/api/v1/me", data=raw, content_type="application/json", **bearer(secret))


@pytest.mark.parametrize(
    "raw",
    ['{"language": "en"', "language=en", '{"language": "en",}', '{"time_zone": NaN}', "nul"],
)
def test_malformed_json_is_400_and_changes_nothing(
    client: Client, user_and_secret: tuple[Any, str], raw: str
) -> None:
    user, secret = user_and_secret

    response = _patch_raw(client, secret, raw)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "malformed_json"
    user.refresh_from_db()
    assert (user.language, user.time_zone) == ("ja", "Asia/Tokyo")


@pytest.mark.parametrize(
    "raw",
    [
        '{"time_zone": "東京"}'.encode("shift_jis"),
        '{"language": "en"}'.encode("utf-16"),
        b'{"language": "\xff\xfe"}',
    ],
)
def test_body_that_is_not_utf8_is_400(
    client: Client, user_and_secret: tuple[Any, str], raw: bytes
) -> None:
    user, secret = user_and_secret

    response = _patch_raw(client, secret, raw)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_encoding"
    user.refresh_from_db()
    assert user.language == "ja"


@pytest.mark.parametrize("raw", ["[]", '"en"', "42", "null"])
def test_json_that_is_not_an_object_is_422(
    client: Client, user_and_secret: tuple[Any, str], raw: str
) -> None:
    user, secret = user_and_secret

    response = _patch_raw(client, secret, raw)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    user.refresh_from_db()
    assert user.language == "ja"


def test_malformed_json_message_by_accept_language(
    client: Client, user_and_secret: tuple[Any, str]
) -> None:
    _, secret = user_and_secret
    kwargs: dict[str, Any] = {"data": "{", "content_type": "application/json", **bearer(secret)}

    en = client.patch("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en", **kwargs).json()
    ja = client.patch("/api/v1/me", HTTP_ACCEPT_LANGUAGE="ja,en;q=0.5", **kwargs).json()

    assert en == {"code": "malformed_json", "message": "The request body is not valid JSON."}
    assert ja == {
        "code": "malformed_json",
        "message": "リクエストの本文が正しい JSON ではありません。",
    }


def test_unknown_api_path_is_json_404(client: Client, user_and_secret: tuple[Any, str]) -> None:
    _, secret = user_and_secret
    for path in ("/api/v1/", "/api/v1/no/such/thing", "/api/v1/me/tokens/1/explode"):
        response = client.get(path, **bearer(secret))
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    # Even anonymous and with an unsafe method: JSON, not the HTML page or a CSRF page.
    response = Client(enforce_csrf_checks=True).post("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_wrong_method_is_json_405(client: Client, user_and_secret: tuple[Any, str]) -> None:
    _, secret = user_and_secret

    response = client.delete("/api/v1/me", **bearer(secret))

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_too_many_requests_is_429_with_retry_after(
    client: Client, user_and_secret: tuple[Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, secret = user_and_secret
    for throttle in api.throttle:  # type: ignore[union-attr]
        monkeypatch.setattr(throttle, "num_requests", 2)

    statuses = [client.get("/api/v1/me", **bearer(secret)).status_code for _ in range(2)]
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en", **bearer(secret))

    assert statuses == [200, 200]
    assert response.status_code == 429
    assert response.json() == {
        "code": "throttled",
        "message": "Too many requests. Wait a moment and try again.",
    }
    assert int(response["Retry-After"]) >= 1
    # Another person has their own allowance.
    _, other = make_token(user=UserFactory())
    assert client.get("/api/v1/me", **bearer(other)).status_code == 200


# --- The handlers, on a small API of their own ------------------------------------------------

demo = NinjaAPI(urls_namespace="errors-demo")
install_error_handlers(demo)


class NoteIn(StrictSchema):
    title: str


@demo.get("/api-error")
def raise_api_error(request: HttpRequest) -> None:
    raise ApiError("not_funded", "The escrow is not funded yet.", status=409)


@demo.get("/api-error-field")
def raise_api_error_field(request: HttpRequest) -> None:
    raise ApiError("taken", "This name is taken.", status=409, field="name")


@demo.get("/http-error")
def raise_http_error(request: HttpRequest) -> None:
    raise HttpError(409, "Already done.")


@demo.get("/denied")
def raise_denied(request: HttpRequest) -> None:
    raise PermissionDenied


@demo.get("/denied-why")
def raise_denied_why(request: HttpRequest) -> None:
    raise PermissionDenied("Only the client may do this.")


@demo.get("/missing")
def raise_404(request: HttpRequest) -> None:
    raise Http404("No Contract matches the given query.")


@demo.get("/boom")
def raise_boom(request: HttpRequest) -> None:
    raise RuntimeError("secret internals")


@demo.post("/notes")
def create_note(request: HttpRequest, payload: NoteIn) -> dict[str, str]:
    return {"title": payload.title}


@demo.get("/page")
def with_query(request: HttpRequest, page: int) -> dict[str, int]:
    return {"page": page}


@pytest.fixture
def demo_client() -> TestClient:
    return TestClient(demo)


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/api-error", 409, {"code": "not_funded", "message": "The escrow is not funded yet."}),
        (
            "/api-error-field",
            409,
            {
                "code": "taken",
                "message": "This name is taken.",
                "errors": [{"field": "name", "message": "This name is taken."}],
            },
        ),
        ("/http-error", 409, {"code": "conflict", "message": "Already done."}),
        (
            "/denied",
            403,
            {"code": "forbidden", "message": "You do not have permission to do this."},
        ),
        ("/denied-why", 403, {"code": "forbidden", "message": "Only the client may do this."}),
        ("/missing", 404, {"code": "not_found", "message": "Not found."}),
        (
            "/boom",
            500,
            {
                "code": "server_error",
                "message": "Something went wrong on our side. Try again later.",
            },
        ),
        (
            "/page?page=two",
            422,
            {
                "code": "invalid",
                "message": "Some of the values sent are not valid.",
                "errors": [{"field": "page", "message": "Enter a whole number."}],
            },
        ),
    ],
)
def test_each_exception_becomes_code_and_message(
    demo_client: TestClient, path: str, status: int, body: dict[str, Any]
) -> None:
    with translation.override("en"):
        response = demo_client.get(path)
    assert response.status_code == status
    assert response.json() == body


def test_server_error_is_logged_and_hides_internals(
    demo_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = demo_client.get("/boom")
    assert "secret internals" not in response.content.decode()
    assert any("secret internals" in str(r.exc_info) for r in caplog.records if r.exc_info)


def test_strict_schema_refuses_unknown_and_names_missing_fields(demo_client: TestClient) -> None:
    with translation.override("en"):
        response = demo_client.post("/notes", data=json.dumps({"titel": "x"}))  # type: ignore[arg-type]
    assert response.status_code == 422
    assert sorted(response.json()["errors"], key=lambda e: e["field"]) == [
        {"field": "titel", "message": "This field is not allowed here."},
        {"field": "title", "message": "This field is required."},
    ]

    with translation.override("ja"):
        response = demo_client.post("/notes", data=json.dumps({"title": "x", "extra": 1}))  # type: ignore[arg-type]
    assert response.json()["errors"] == [
        {"field": "extra", "message": "この項目は指定できません。"}
    ]
