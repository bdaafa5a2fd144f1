"""The personal API tokens page and the API documentation page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails
from ninja import NinjaAPI

from tsunagu.accounts.request import signed_in_user
from tsunagu.api import selectors, services
from tsunagu.api.forms import ApiTokenCreateForm
from tsunagu.api.models import ApiToken
from tsunagu.api.services import MAX_ACTIVE_TOKENS


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _tokens_context(
    user: Any,
    form: ApiTokenCreateForm,
    new_secret: str | None = None,
    new_token: ApiToken | None = None,
) -> dict[str, Any]:
    tokens = list(selectors.api_token_list(user=user))
    active = sum(1 for t in tokens if t.is_active)
    return {
        "form": form,
        "tokens": tokens,
        "active_count": active,
        "max_active": MAX_ACTIVE_TOKENS,
        "limit_reached": active >= MAX_ACTIVE_TOKENS,
        "new_secret": new_secret,
        "new_token": new_token,
    }


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HtmxHttpRequest) -> HttpResponse:
    """List the person's tokens; POST creates one and shows its secret in this response only."""
    user = signed_in_user(request)
    if request.method == "POST":
        form = ApiTokenCreateForm(request.POST)
        if form.is_valid():
            try:
                token, secret = services.api_token_create(user=user, name=form.cleaned_data["name"])
            except ValidationError as exc:
                form.add_error("name", exc)
            else:
                context = _tokens_context(user, ApiTokenCreateForm(), secret, token)
                response = render(request, _template(request), context)
                # The secret is in this page only: keep it out of every cache.
                add_never_cache_headers(response)
                response["Cache-Control"] = "no-store, " + response["Cache-Control"]
                return response
        # htmx swaps only 2xx answers; a plain form post says 400 like any refused input.
        status = 200 if request.htmx else 400
        return render(request, _template(request), _tokens_context(user, form), status=status)
    return render(request, "api/tokens.html", _tokens_context(user, ApiTokenCreateForm()))


def _template(request: HtmxHttpRequest) -> str:
    return "api/_tokens_panel.html" if request.htmx else "api/tokens.html"


@login_required
@require_POST
def token_revoke(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    token = selectors.api_token_get(user=user, pk=pk)
    if token is None:
        raise Http404
    services.api_token_revoke(token=token, by=user)
    if request.htmx:
        return render(request, "api/_token_row.html", {"token": token})
    return redirect("api:tokens")


@require_GET
def api_docs(request: HttpRequest, api: NinjaAPI) -> HttpResponse:
    """Swagger UI from ninja's bundled files; its settings travel as JSON, not inline script.

    ``api`` is the served API, given by the URLconf that mounts both."""
    return api.docs.render_page(request, api)
