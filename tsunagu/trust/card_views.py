"""Track-record card pages: the worker's own card (choose, publish, revoke) and the public
card at its stable address, with its Open Graph image and its signed JSON document.

A revoked card's page, image and document answer 410 Gone; anyone but the owner reaching the
management actions is answered 404, as if the card did not exist.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagu.accounts.request import signed_in_user
from tsunagu.core.errors import ErrorKind
from tsunagu.trust import card_rules, card_selectors, services
from tsunagu.trust.card import OPTIONAL_FIELDS
from tsunagu.trust.card_image import card_png
from tsunagu.trust.errors import CardError
from tsunagu.trust.facts import facts_for
from tsunagu.trust.scoring import Role


def _choices(selected: list[str]) -> list[dict[str, object]]:
    return [
        {"name": name, "label": card_rules.FIELD_LABELS[name], "checked": name in selected}
        for name in OPTIONAL_FIELDS
    ]


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    live = card_selectors.live_card_of(user=user)
    selected = list(live.fields) if live is not None else list(OPTIONAL_FIELDS)
    error = None
    status = 200
    if request.method == "POST":
        selected = request.POST.getlist("fields")
        try:
            services.card_publish(
                user=user, fields=selected, site_url=request.build_absolute_uri("/")
            )
        except CardError as exc:
            error = exc.message
            status = 422 if exc.kind is ErrorKind.INVALID else 409
        else:
            messages.success(request, _("Your card was published."))
            return redirect("cards:mine")
    live = card_selectors.live_card_of(user=user)
    can_publish = bool(facts_for(user_ids=[user.pk], role=Role.WORKER)[user.pk].completed_contracts)
    return render(
        request,
        "trust/card_mine.html",
        {
            "live": live,
            "live_url": request.build_absolute_uri(reverse("cards:public", args=[live.public_id]))
            if live
            else "",
            "past": [card for card in card_selectors.cards_of(user=user) if card.is_revoked],
            "choices": _choices(selected),
            "can_publish": can_publish,
            "error": error,
            "valid_days": card_rules.CARD_VALID_DAYS,
        },
        status=status,
    )


@login_required
@require_POST
def revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    card = card_selectors.card_for_owner(public_id=public_id, viewer=user)
    try:
        services.card_revoke(card=card, by=user)
    except CardError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Your card was revoked: its page and its document no longer verify.")
        )
    return redirect("cards:mine")


@require_GET
def public(request: HttpRequest, public_id: str) -> HttpResponse:
    card = card_selectors.card_by_public_id(public_id=public_id)
    view = card_selectors.card_view(card)
    context = {
        "view": view,
        "content": view.content,
        "lines": card_selectors.fact_lines(view.content),
        "page_url": request.build_absolute_uri(),
        "image_url": request.build_absolute_uri(reverse("cards:image", args=[public_id])),
        "json_url": request.build_absolute_uri(reverse("cards:document", args=[public_id])),
    }
    return render(
        request, "trust/card_public.html", context, status=410 if card.is_revoked else 200
    )


@require_GET
def document(request: HttpRequest, public_id: str) -> HttpResponse:
    card = card_selectors.card_by_public_id(public_id=public_id)
    if card.is_revoked:
        return JsonResponse(
            {"code": "revoked", "message": _("This card was revoked by its owner.")}, status=410
        )
    response = HttpResponse(
        json.dumps(card.document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="tsunagu-card-{public_id}.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def image(request: HttpRequest, public_id: str) -> HttpResponse:
    card = card_selectors.card_by_public_id(public_id=public_id)
    if card.is_revoked:
        return HttpResponse(status=410)
    view = card_selectors.card_view(card)
    png = card_png(
        title=_("Tsunagu track record"),
        name=str(view.content.get("name", "")),
        lines=[" · ".join(view.identity_labels), *card_selectors.fact_lines(view.content)],
        footer=_("Signed by Tsunagu · key %(fingerprint)s")
        % {"fingerprint": view.fingerprint[:16]},
    )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response
