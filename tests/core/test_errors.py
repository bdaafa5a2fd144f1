"""One error base: codes declared per app, the kind decides the API's answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.testing import TestClient

from tsunagu.api.errors import install_error_handlers
from tsunagu.core.errors import DomainError, ErrorKind, error_text, field_errors


class SampleError(DomainError):
    messages = {
        "wrong_state": "This cannot be done now.",
        "not_yours": "Only the owner can do this.",
        "too_many": "At most %(limit)d a day.",
        "missing": "There is no such thing.",
        "bad_amount": "Enter an amount.",
        "translated": gettext_lazy("This field is required."),
    }
    kinds = {
        "not_yours": ErrorKind.FORBIDDEN,
        "too_many": ErrorKind.RATE_LIMITED,
        "missing": ErrorKind.NOT_FOUND,
        "bad_amount": ErrorKind.INVALID,
    }


def test_refuse_takes_the_declared_message_and_kind() -> None:
    exc = SampleError.refuse("not_yours")

    assert (exc.code, exc.message, exc.kind) == (
        "not_yours",
        "Only the owner can do this.",
        "forbidden",
    )
    assert str(exc) == "not_yours: Only the owner can do this."


def test_codes_without_a_kind_take_the_default() -> None:
    assert SampleError.refuse("wrong_state").kind is ErrorKind.CONFLICT


def test_parameters_fill_the_message() -> None:
    assert SampleError.refuse("too_many", limit=3).message == "At most 3 a day."


def test_a_message_is_translated_when_read() -> None:
    exc = SampleError.refuse("translated")
    with translation.override("ja"):
        japanese = exc.message
    with translation.override("en"):
        english = exc.message

    assert english == "This field is required."
    assert japanese != english


def test_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        SampleError.refuse("no_such_code")


def test_validation_errors_become_field_entries() -> None:
    by_field = ValidationError({"amount": ["Too small."], "title": ["Required.", "Too short."]})
    plain = ValidationError(["One.", "Two."])

    assert field_errors(by_field) == [
        {"field": "amount", "message": "Too small."},
        {"field": "title", "message": "Required."},
        {"field": "title", "message": "Too short."},
    ]
    assert field_errors(plain) == [
        {"field": "", "message": "One."},
        {"field": "", "message": "Two."},
    ]
    assert error_text(plain) == "One. Two."
    assert error_text(SampleError.refuse("wrong_state")) == "This cannot be done now."


demo = NinjaAPI(urls_namespace="domain-errors-demo")
install_error_handlers(demo)


@demo.get("/refuse/{code}")
def refuse(request: HttpRequest, code: str) -> None:
    raise SampleError.refuse(code, limit=5)


@demo.get("/field")
def refuse_field(request: HttpRequest) -> None:
    raise SampleError.refuse("bad_amount", field="amount")


@demo.get("/validation")
def invalid(request: HttpRequest) -> None:
    raise ValidationError({"title": ["Required."]})


@pytest.fixture
def api_client() -> TestClient:
    return TestClient(demo)


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("wrong_state", 409),
        ("not_yours", 403),
        ("too_many", 429),
        ("missing", 404),
        ("bad_amount", 422),
    ],
)
def test_the_api_answers_each_kind_with_its_status(
    api_client: TestClient, code: str, status: int
) -> None:
    response = api_client.get(f"/refuse/{code}")

    assert response.status_code == status
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["message"] == SampleError.refuse(code, limit=5).message


def test_a_refusal_about_a_field_names_it(api_client: TestClient) -> None:
    body = api_client.get("/field").json()

    assert body["errors"] == [{"field": "amount", "message": "Enter an amount."}]


def test_a_django_validation_error_is_422_with_its_fields(api_client: TestClient) -> None:
    response = api_client.get("/validation")

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"] == [{"field": "title", "message": "Required."}]
