"""The REST API's frame; ``tsunagu.api_v1`` mounts each app's router on it (/api/v1, /api/docs).

Every answer is JSON, refusals included (see :mod:`tsunagu.api.errors`); every input schema
derives from :class:`tsunagu.api.schemas.StrictSchema`; every route needs a signed-in session
(with CSRF on unsafe methods) or a personal token, unless it says ``auth=None`` itself.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from tsunagu.api.auth import api_auth
from tsunagu.api.errors import ApiError, install_error_handlers, method_not_allowed_body
from tsunagu.api.parser import StrictJsonParser
from tsunagu.api.throttling import default_throttles
from tsunagu.core.fields import forbidden_character


def _address_refusal(request: HttpRequest) -> ApiError | None:
    """A path or query string holding a control character is refused before any route reads it.

    Path segments and query values reach lookups and filters as text; a NUL there is an error in
    PostgreSQL's driver rather than "not found". Query values that a schema reads are checked by
    its field types too (:mod:`tsunagu.core.fields`); this covers path segments and every value.
    """
    values = [request.path, *(v for _, vs in request.GET.lists() for v in vs), *request.GET]
    if any(forbidden_character(value) is not None for value in values):
        return ApiError(
            "invalid_address",
            _("The address of the request holds a control character; remove it."),
            status=400,
        )
    return None


def _frame(view: Any, api: NinjaAPI) -> Any:
    """Every route: refuse an address with control characters, and answer a wrong method with
    JSON (ninja answers it with plain text) like every other error."""
    if asyncio.iscoroutinefunction(view):
        return view

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = _address_refusal(request)
        if refusal is not None:
            return api.on_exception(request, refusal)
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            response.content = method_not_allowed_body()
            response["Content-Type"] = "application/json; charset=utf-8"
        return response

    return wrapped


class TsunaguAPI(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = []
        for pattern in super()._get_urls():
            if isinstance(pattern, URLPattern) and pattern.name == "api-root":
                continue  # replaced below: ninja's root answers 404 as an HTML page
            if isinstance(pattern, URLPattern):
                pattern.callback = _frame(pattern.callback, self)
            urls.append(pattern)

        @csrf_exempt
        def not_found(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            return self.on_exception(request, Http404())

        # Paths no router knows still answer JSON, never the site's HTML 404 page.
        urls.append(path("", not_found, name="api-root"))
        urls.append(re_path(r"^.+$", not_found, name="not-found"))
        return urls


def api_create() -> TsunaguAPI:
    """The API's frame (auth, throttles, strict JSON, one error handler) with no router mounted.

    The project assembles the served API from it (``tsunagu.api_v1``): the apps build on this
    app, so this app never imports their routers.
    """
    api = TsunaguAPI(
        title="Tsunagu API",
        version="1",
        description=(
            "Authenticate with a personal API token (Settings → API tokens) sent as "
            "`Authorization: Bearer tsu_…`, or with the browser session plus the CSRF token. "
            'Errors are JSON: `{"code": "...", "message": "..."}` in the language of '
            "`Accept-Language` (ja or en)."
        ),
        urls_namespace="api-v1",
        docs_url=None,  # the docs page is /api/docs (tsunagu.api.views.api_docs)
        auth=api_auth,
        throttle=default_throttles(),
        parser=StrictJsonParser(),
    )
    install_error_handlers(api)
    return api
