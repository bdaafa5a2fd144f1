"""Publishing and revoking a worker's track-record card.

The card's content is read and signed once, at publication: the signed document is stored and
served as it is, so that what a reader verifies is what the worker published. Every write locks
the owner's row first, so two publications at the same moment queue and leave one live card.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.accounts.selectors import LEVEL_CODES, verified_levels_for
from tsunagu.audit.services import audit_record
from tsunagu.messaging.export import signing_key
from tsunagu.profiles.models import Profile
from tsunagu.trust import card as card_format
from tsunagu.trust import card_rules
from tsunagu.trust.errors import CardError
from tsunagu.trust.facts import facts_for
from tsunagu.trust.models import Review, TrackRecordCard, new_card_public_id
from tsunagu.trust.rules import ReviewedRole
from tsunagu.trust.scores import trust_scores_for
from tsunagu.trust.scoring import Role


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat()


def card_review_excerpts(*, user_id: int) -> list[dict[str, Any]]:
    """The worker's best published reviews' texts for a card; hidden texts never."""
    rows = (
        Review.objects.filter(
            subject_id=user_id,
            subject_role=ReviewedRole.WORKER,
            revealed_at__isnull=False,
            text_hidden_at__isnull=True,
            stars__gte=card_rules.CARD_REVIEW_MIN_STARS,
        )
        .exclude(text="")
        .order_by("-stars", "-revealed_at", "-id")
        .values_list("stars", "text", "revealed_at")[: card_rules.CARD_REVIEWS]
    )
    return [
        {"stars": stars, "text": card_rules.excerpt(text), "date": revealed_at.date().isoformat()}
        for stars, text, revealed_at in rows
        if revealed_at is not None
    ]


def card_content(
    *,
    user: User,
    fields: Iterable[str],
    card_id: str,
    now: datetime.datetime,
    site_url: str = "",
) -> dict[str, Any]:
    """What the card says, read now: the identity part and the chosen fields."""
    profile = Profile.objects.filter(user=user).first()
    levels = verified_levels_for(user_ids=[user.pk]).get(user.pk, set())
    profile_path = reverse("profiles:detail", args=[profile.pk]) if profile is not None else ""
    content: dict[str, Any] = {
        "card_id": card_id,
        "name": profile.display_name if profile is not None else "",
        "profile_url": site_url.rstrip("/") + profile_path if profile_path else "",
        "identity": [code for code in LEVEL_CODES if code in levels],
        "issued_at": _iso(now),
        "expires_at": _iso(now + card_rules.CARD_VALIDITY),
    }
    chosen = card_rules.ordered_fields(fields)
    facts = facts_for(user_ids=[user.pk], role=Role.WORKER)[user.pk]
    if "completed_contracts" in chosen:
        content["completed_contracts"] = facts.completed_contracts
    if "on_time_rate" in chosen:
        total = facts.on_time_total
        content["on_time_rate"] = {
            "on_time": facts.on_time,
            "total": total,
            "percent": round(100 * facts.on_time / total) if total else None,
        }
    if "trust_score" in chosen:
        score = trust_scores_for(user_ids=[user.pk], role=Role.WORKER)[user.pk]
        content["trust_score"] = {"value": score.value, "new": score.is_new}
    if "reviews" in chosen:
        content["reviews"] = card_review_excerpts(user_id=user.pk)
    return content


def _lock_owner(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


def _revoke(card: TrackRecordCard, *, by: User, now: datetime.datetime) -> None:
    card.revoked_at = now
    card.save(update_fields=["revoked_at"])
    audit_record(
        actor=by,
        subject=card,
        event="card.revoked",
        before={"revoked_at": None},
        after={"revoked_at": now.isoformat()},
    )


def card_publish(
    *,
    user: User,
    fields: Iterable[str],
    site_url: str = "",
    now: datetime.datetime | None = None,
) -> TrackRecordCard:
    """Publish a new card showing ``fields``; the worker's previous live card is revoked."""
    chosen = [str(name) for name in fields]
    unknown = card_rules.unknown_fields(chosen)
    if unknown:
        raise CardError.refuse("unknown_fields", field="fields", fields=", ".join(unknown))
    now = now or timezone.now()
    with transaction.atomic():
        owner = _lock_owner(user)
        if not facts_for(user_ids=[owner.pk], role=Role.WORKER)[owner.pk].completed_contracts:
            raise CardError.refuse("no_completed_contract")
        for previous in TrackRecordCard.objects.select_for_update().filter(
            owner=owner, revoked_at__isnull=True
        ):
            _revoke(previous, by=owner, now=now)
        public_id = new_card_public_id()
        content = card_content(
            user=owner, fields=chosen, card_id=public_id, now=now, site_url=site_url
        )
        card = TrackRecordCard.objects.create(
            owner=owner,
            public_id=public_id,
            fields=card_rules.ordered_fields(chosen),
            document=card_format.sign_card(content, signing_key()),
            expires_at=now + card_rules.CARD_VALIDITY,
        )
        audit_record(
            actor=owner,
            subject=card,
            event="card.published",
            after={"public_id": public_id, "fields": card.fields},
        )
    return card


def card_revoke(
    *, card: TrackRecordCard, by: User, now: datetime.datetime | None = None
) -> TrackRecordCard:
    """Revoke ``card``: its page and JSON answer 410 and verification fails from now on."""
    if by.pk != card.owner_id:
        raise CardError.refuse("not_the_owner")
    now = now or timezone.now()
    with transaction.atomic():
        _lock_owner(by)
        locked = TrackRecordCard.objects.select_for_update().get(pk=card.pk)
        if locked.is_revoked:
            raise CardError.refuse("already_revoked")
        _revoke(locked, by=by, now=now)
    return locked
