"""Reads for track-record cards: a worker's own cards, and a card as anyone sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tsunagu.accounts.models import User
from tsunagu.accounts.selectors import level_label
from tsunagu.messaging.export import platform_fingerprint
from tsunagu.trust.models import TrackRecordCard


def cards_of(*, user: User) -> list[TrackRecordCard]:
    """The worker's cards, newest first (the live one, if any, first)."""
    return list(TrackRecordCard.objects.filter(owner=user).order_by("-created_at", "-id"))


def live_card_of(*, user: User) -> TrackRecordCard | None:
    return TrackRecordCard.objects.filter(owner=user, revoked_at__isnull=True).first()


def card_by_public_id(*, public_id: str) -> TrackRecordCard:
    """Any card by its public id, revoked ones included (their pages say so); 404 otherwise."""
    card = TrackRecordCard.objects.filter(public_id=public_id).first()
    if card is None:
        raise Http404
    return card


def card_for_owner(*, public_id: str, viewer: User) -> TrackRecordCard:
    """A card its owner manages; anyone else is answered as if there were none (404)."""
    card = TrackRecordCard.objects.filter(public_id=public_id, owner=viewer).first()
    if card is None:
        raise Http404
    return card


def card_is_revoked(card_id: str) -> bool:
    """For verification: the card is known here and was revoked. Unknown ids are not revoked."""
    return TrackRecordCard.objects.filter(public_id=card_id, revoked_at__isnull=False).exists()


@dataclass(frozen=True)
class CardView:
    """What the public page and the image show, read from the signed document."""

    card: TrackRecordCard
    content: dict[str, Any]
    identity_labels: list[str]
    fingerprint: str

    @property
    def is_expired(self) -> bool:
        return self.card.expires_at <= timezone.now()


def card_view(card: TrackRecordCard) -> CardView:
    content = dict(card.document.get("card", {}))
    return CardView(
        card=card,
        content=content,
        identity_labels=[str(level_label(code)) for code in content.get("identity", [])],
        fingerprint=platform_fingerprint(),
    )


def fact_lines(content: dict[str, Any]) -> list[str]:
    """One sentence per fact the card shows, in the reader's language (page and image)."""
    lines: list[str] = []
    if "completed_contracts" in content:
        count = int(content["completed_contracts"])
        lines.append(
            ngettext("%(count)d completed contract", "%(count)d completed contracts", count)
            % {"count": count}
        )
    on_time = content.get("on_time_rate")
    if isinstance(on_time, dict):
        if on_time.get("percent") is None:
            lines.append(_("On-time delivery: no delivery yet"))
        else:
            lines.append(
                _("On-time delivery: %(percent)d%% (%(on_time)d of %(total)d)")
                % {
                    "percent": on_time["percent"],
                    "on_time": on_time["on_time"],
                    "total": on_time["total"],
                }
            )
    score = content.get("trust_score")
    if isinstance(score, dict):
        if score.get("value") is None:
            lines.append(_("Trust score: new"))
        else:
            lines.append(_("Trust score: %(value)d / 100") % {"value": score["value"]})
    return lines
