"""/api/v1/cards: a worker's track-record cards (list, publish, revoke) and any card's signed
document, open to anyone.

The same services and selectors as the pages. A refusal (a ``CardError``) is answered by the
API's one error handler with its stable code: 422 for fields a card cannot show, 409 when the
worker has no completed paid contract yet or the card is already revoked; a card that is not the
caller's is 404. A revoked card's document answers 410.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tsunagu.accounts.request import signed_in_user
from tsunagu.api.schemas import ErrorOut, StrictSchema
from tsunagu.core.fields import Line
from tsunagu.trust import card_selectors, services
from tsunagu.trust.card import OPTIONAL_FIELDS
from tsunagu.trust.models import TrackRecordCard

router = Router(tags=["cards"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 409, 410, 422, 429): ErrorOut}


class CardPublishIn(StrictSchema):
    fields: list[Line] = Field(
        description=f"What the card shows, among: {', '.join(OPTIONAL_FIELDS)}."
    )


class CardOut(Schema):
    public_id: str
    fields: list[str]
    created_at: datetime.datetime
    expires_at: datetime.datetime
    revoked_at: datetime.datetime | None
    page_url: str
    document_url: str
    document: dict[str, Any]


def _out(request: HttpRequest, card: TrackRecordCard) -> CardOut:
    return CardOut(
        public_id=card.public_id,
        fields=list(card.fields),
        created_at=card.created_at,
        expires_at=card.expires_at,
        revoked_at=card.revoked_at,
        page_url=request.build_absolute_uri(reverse("cards:public", args=[card.public_id])),
        document_url=request.build_absolute_uri(reverse("cards:document", args=[card.public_id])),
        document=card.document,
    )


@router.get("/mine", response={200: list[CardOut], **ERRORS}, summary="My cards, newest first")
def my_cards(request: HttpRequest) -> Any:
    user = signed_in_user(request)
    return [_out(request, card) for card in card_selectors.cards_of(user=user)]


@router.post("/mine", response={201: CardOut, **ERRORS}, summary="Publish a new card")
def publish(request: HttpRequest, payload: CardPublishIn) -> Any:
    user = signed_in_user(request)
    card = services.card_publish(
        user=user, fields=payload.fields, site_url=request.build_absolute_uri("/")
    )
    return Status(201, _out(request, card))


@router.post(
    "/mine/{public_id}/revoke", response={200: CardOut, **ERRORS}, summary="Revoke my card"
)
def revoke(request: HttpRequest, public_id: str) -> Any:
    user = signed_in_user(request)
    card = card_selectors.card_for_owner(public_id=public_id, viewer=user)
    return _out(request, services.card_revoke(card=card, by=user))


@router.get(
    "/{public_id}",
    response={200: dict[str, Any], **ERRORS},
    auth=None,
    summary="A card's signed document, to verify offline",
)
def document(request: HttpRequest, public_id: str) -> Any:
    card = card_selectors.card_by_public_id(public_id=public_id)
    if card.is_revoked:
        return Status(
            410, ErrorOut(code="revoked", message=_("This card was revoked by its owner."))
        )
    return card.document
