"""Every API error is JSON: ``{"code": ..., "message": ...}``, in the request's language.

Services refuse with their app's :class:`~tsunagu.core.errors.DomainError` subclass; the handler
installed here answers it with the status of its kind (invalid 422, forbidden 403, not found 404,
conflict 409, rate limited 429), so routers never map codes themselves::

    raise ContractError.refuse("not_funded")

The response is then ``409 {"code": "not_funded", "message": "仮払いがまだ..."}``. What only the
API knows (a header, a content type) is refused with :class:`ApiError` and an explicit status. ``code`` is a
stable machine-readable string (snake_case, never translated); ``message`` is for people and is
translated. A refusal about one input field can say which one with ``field=``; it then also
carries ``"errors": [{"field": ..., "message": ...}]`` like a validation error.

Other exceptions are answered the same way by the handlers installed with
:func:`install_error_handlers`:

=============================  ======  =========================
exception                      status  code
=============================  ======  =========================
``DomainError``                kind    its own code
Django ``ValidationError``     422     ``invalid`` (+ ``errors``)
ninja ``ValidationError``      422     ``invalid`` (+ ``errors``)
body not sent as JSON          415     ``unsupported_media_type``
key given twice in the body    400     ``duplicate_key``
body that is not JSON          400     ``malformed_json``
body that is not UTF-8         400     ``invalid_encoding``
``AuthenticationError``        401     ``not_authenticated``
``AuthorizationError``         403     ``forbidden``
Django ``PermissionDenied``    403     ``forbidden``
``Http404``                    404     ``not_found``
``Throttled``                  429     ``throttled`` (+ Retry-After)
``HttpError(status, msg)``     status  derived from the status
anything else                  500     ``server_error`` (logged)
=============================  ======  =========================
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from tsunagu.api.parser import DuplicateKey, UnsupportedMediaType
from tsunagu.core.errors import DomainError, ErrorKind, field_errors

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("django.request")

# Codes for plain ``HttpError(status, message)`` raised without a code of their own.
STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "throttled",
}


# The HTTP status of each kind of domain refusal.
KIND_STATUS: dict[ErrorKind, int] = {
    ErrorKind.INVALID: 422,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.RATE_LIMITED: 429,
}


class ApiError(DomainError):
    """A refusal of the API layer itself, answered as ``status {"code": code, "message": message}``.

    Services raise their app's :class:`~tsunagu.core.errors.DomainError` instead; this is for what
    only the API knows (a header, a content type, a route's own rule).

    ``code``: stable snake_case identifier that clients may branch on.
    ``message``: translated text for people (use ``gettext``/``gettext_lazy``).
    ``status``: HTTP status, 400 unless said otherwise.
    ``field``: optional name of the input field the refusal is about, or
    ``errors``: ``[{"field": ..., "message": ...}]`` when there are several.
    """

    def __init__(
        self,
        code: str,
        message: str | Promise,
        status: int = 400,
        *,
        field: str | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(code, message, field=field)
        self.status = status
        self.errors = errors
        if errors is None and field:
            self.errors = [{"field": field, "message": str(message)}]

    def __str__(self) -> str:
        return self.message


def domain_status(exc: DomainError) -> int:
    """The HTTP status the API answers a domain refusal with."""
    if isinstance(exc, ApiError):
        return exc.status
    return KIND_STATUS[exc.kind]


def error_body(
    code: str, message: str, errors: Iterable[Mapping[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": str(message)}
    if errors is not None:
        body["errors"] = [{"field": e["field"], "message": str(e["message"])} for e in errors]
    return body


# --- Validation errors ------------------------------------------------------------------------


def _field_name(loc: Iterable[Any], source: str) -> str:
    """``("body", "payload", "time_zone")`` → ``time_zone``; ``("query", "page")`` → ``page``."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    # A JSON body is bound to one schema parameter whose name says nothing to the client.
    if source == "body" and len(parts) >= 1:
        parts = parts[1:]
    return ".".join(parts)


def _field_message(error: Mapping[str, Any]) -> str:
    """One pydantic error in the reader's language (pydantic's own texts are English only)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return gettext("This field is required.")
    if kind == "extra_forbidden":
        return gettext("This field is not allowed here.")
    # A length limit on a rule type (tsunagu.core.fields) is checked after its validator and
    # reported as "too_long"; on text it means the same as "string_too_long".
    if kind == "string_too_long" or (kind == "too_long" and ctx.get("field_type") == "Value"):
        return gettext("Use at most %(max)d characters.") % {"max": ctx.get("max_length", 0)}
    if kind == "string_too_short":
        if ctx.get("min_length", 0) <= 1:
            return gettext("This field may not be empty.")
        return gettext("Use at least %(min)d characters.") % {"min": ctx.get("min_length", 0)}
    if kind in {"string_type", "string_unicode"}:
        return gettext("Enter text.")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return gettext("Enter a whole number.")
    if kind in {"float_type", "float_parsing", "decimal_parsing", "decimal_type"}:
        return gettext("Enter a number.")
    if kind in {"bool_type", "bool_parsing"}:
        return gettext("Enter true or false.")
    if kind in {"greater_than", "greater_than_equal"}:
        limit = ctx.get("gt", ctx.get("ge"))
        return gettext("Enter a value of at least %(limit)s.") % {"limit": limit}
    if kind in {"less_than", "less_than_equal"}:
        limit = ctx.get("lt", ctx.get("le"))
        return gettext("Enter a value of at most %(limit)s.") % {"limit": limit}
    if kind in {"literal_error", "enum"}:
        return gettext("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in {"list_type", "tuple_type", "set_type"}:
        return gettext("Enter a list.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return gettext("Send a JSON object.")
    if kind in {"date_type", "date_parsing", "date_from_datetime_parsing"}:
        return gettext("Enter a date as YYYY-MM-DD.")
    if kind in {"datetime_type", "datetime_parsing", "datetime_from_date_parsing"}:
        return gettext("Enter a date and time in ISO 8601 format.")
    if kind == "value_error" and ctx.get("error"):
        # Our own validators raise ValueError with a message that is already translated.
        return str(ctx["error"])
    return gettext("This value is not valid.")


def _validation_error(
    request: HttpRequest, exc: NinjaValidationError, api: NinjaAPI
) -> HttpResponse:
    errors = []
    for error in exc.errors:
        loc = list(error.get("loc") or [])
        source = str(loc[0]) if loc else ""
        errors.append({"field": _field_name(loc, source), "message": _field_message(error)})
    if (
        len(errors) == 1
        and errors[0]["field"] == ""
        and exc.errors[0].get("type")
        in {
            "model_type",
            "model_attributes_type",
            "dict_type",
        }
    ):
        message = gettext("The request body must be a JSON object.")
    else:
        message = gettext("Some of the values sent are not valid.")
    return api.create_response(request, error_body("invalid", message, errors), status=422)


# --- Everything else --------------------------------------------------------------------------


def _domain_error(request: HttpRequest, exc: DomainError, api: NinjaAPI) -> HttpResponse:
    errors = exc.errors if isinstance(exc, ApiError) else None
    if errors is None and exc.field:
        errors = [{"field": exc.field, "message": exc.message}]
    body = error_body(exc.code, exc.message, errors)
    return api.create_response(request, body, status=domain_status(exc))


def _django_validation_error(
    request: HttpRequest, exc: ValidationError, api: NinjaAPI
) -> HttpResponse:
    """A model's or service's ``ValidationError``: 422 with one entry per field message."""
    body = error_body(
        "invalid", gettext("Some of the values sent are not valid."), field_errors(exc)
    )
    return api.create_response(request, body, status=422)


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, UnsupportedMediaType):
        body = error_body(
            "unsupported_media_type",
            gettext("Send the request body as JSON, with “Content-Type: application/json”."),
        )
        return api.create_response(request, body, status=415)
    if isinstance(cause, DuplicateKey):
        body = error_body(
            "duplicate_key",
            gettext("The request body names “%(key)s” more than once; send each field once.")
            % {"key": cause.key},
        )
    elif isinstance(cause, UnicodeDecodeError):
        body = error_body("invalid_encoding", gettext("The request body must be UTF-8 text."))
    elif isinstance(cause, ValueError) and exc.status_code == 400:
        # ninja wraps a body that does not parse into HttpError(400) ``from`` the parser error.
        body = error_body("malformed_json", gettext("The request body is not valid JSON."))
    else:
        code = STATUS_CODES.get(exc.status_code, "error")
        body = error_body(code, exc.message)
    return api.create_response(request, body, status=exc.status_code)


def _not_authenticated(
    request: HttpRequest, exc: AuthenticationError, api: NinjaAPI
) -> HttpResponse:
    body = error_body(
        "not_authenticated",
        gettext("Sign in, or send a personal API token as “Authorization: Bearer <token>”."),
    )
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _forbidden(
    request: HttpRequest, exc: AuthorizationError | PermissionDenied, api: NinjaAPI
) -> HttpResponse:
    # PermissionDenied("...") raised with a message of our own keeps it; otherwise a generic one.
    text = str(exc) if isinstance(exc, PermissionDenied) and exc.args else ""
    message = text or gettext("You do not have permission to do this.")
    return api.create_response(request, error_body("forbidden", message), status=403)


def _not_found(request: HttpRequest, exc: Http404, api: NinjaAPI) -> HttpResponse:
    # Http404's own text is often an English model name; never shown to clients.
    return api.create_response(request, error_body("not_found", gettext("Not found.")), status=404)


def _throttled(request: HttpRequest, exc: Throttled, api: NinjaAPI) -> HttpResponse:
    body = error_body("throttled", gettext("Too many requests. Wait a moment and try again."))
    return api.create_response(request, body, status=429)


def _server_error(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    logger.error(
        "API error: %s %s",
        request.method,
        request.path,
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"status_code": 500, "request": request},
    )
    body = error_body("server_error", gettext("Something went wrong on our side. Try again later."))
    return api.create_response(request, body, status=500)


def method_not_allowed_body() -> bytes:
    return json.dumps(
        error_body("method_not_allowed", gettext("This method is not allowed here."))
    ).encode()


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer every exception an API view can raise as JSON with a code and a message."""

    def bind(handler: Any) -> Any:
        def handle(request: HttpRequest, exc: Any) -> HttpResponse:
            return handler(request, exc, api)

        return handle

    api.add_exception_handler(Exception, bind(_server_error))
    api.add_exception_handler(DomainError, bind(_domain_error))
    api.add_exception_handler(ValidationError, bind(_django_validation_error))
    api.add_exception_handler(HttpError, bind(_http_error))
    api.add_exception_handler(AuthenticationError, bind(_not_authenticated))
    api.add_exception_handler(AuthorizationError, bind(_forbidden))
    api.add_exception_handler(PermissionDenied, bind(_forbidden))
    api.add_exception_handler(Http404, bind(_not_found))
    api.add_exception_handler(Throttled, bind(_throttled))
    api.add_exception_handler(NinjaValidationError, bind(_validation_error))
