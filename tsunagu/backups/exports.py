"""The exporters of the apps below this one: profile, contracts with their terms and deliveries,
every room as its signed evidence bundle, ledger history, reviews and profile analytics. Apps
above (billing) register their own in their ``exports`` module (``tsunagu.core.exports``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.core import serializers
from django.db.models import Q, QuerySet

from tsunagu.accounts.models import User
from tsunagu.analytics.models import ProfileView, ProfileViewDaily
from tsunagu.contracts.models import Contract, Delivery, DeliveryFile, Milestone, Terms
from tsunagu.core.exports import exporter_register
from tsunagu.ledger.models import Account, Transfer
from tsunagu.messaging.export import evidence_export
from tsunagu.messaging.models import Room, RoomMember
from tsunagu.profiles.models import PortfolioItem, Profile
from tsunagu.trust.models import Review

Files = Iterable[tuple[str, bytes]]


def _json(rows: QuerySet[Any], **options: Any) -> bytes:
    return serializers.serialize("json", rows, indent=1, **options).encode()


def profile(user_id: int) -> Files:
    user_fields = ["email", "language", "time_zone", "legal_family_name", "legal_given_name"]
    user_fields += ["real_name_verified_at", "date_joined", "last_login"]
    fields = [f for f in user_fields if f in {f.name for f in User._meta.fields}]
    yield "account.json", _json(User.objects.filter(pk=user_id), fields=fields)
    yield "profile.json", _json(Profile.objects.filter(user_id=user_id))
    yield "portfolio.json", _json(PortfolioItem.objects.filter(profile__user_id=user_id))


def contracts(user_id: int) -> Files:
    mine = Contract.objects.filter(Q(client_id=user_id) | Q(worker_id=user_id)).order_by("pk")
    yield "contracts.json", _json(mine)
    yield "terms.json", _json(Terms.objects.filter(contract__in=mine).order_by("pk"))
    yield "milestones.json", _json(Milestone.objects.filter(contract__in=mine).order_by("pk"))
    deliveries = Delivery.objects.filter(milestone__contract__in=mine).order_by("pk")
    yield "deliveries.json", _json(deliveries)
    for stored in DeliveryFile.objects.filter(delivery__in=deliveries).order_by("pk"):
        with stored.file.open("rb") as handle:
            yield f"deliveries/{stored.delivery_id}/{stored.pk}-{stored.name}", handle.read()


def messages(user_id: int) -> Iterator[tuple[str, bytes]]:
    user = User.objects.get(pk=user_id)
    rooms = Room.objects.filter(
        pk__in=RoomMember.objects.filter(user_id=user_id).values("room_id")
    ).order_by("pk")
    for room in rooms:
        yield f"room-{room.pk}-evidence.zip", evidence_export(room=room, by=user)


def ledger(user_id: int) -> Files:
    accounts = Account.objects.filter(owner_id=user_id).order_by("pk")
    yield "accounts.json", _json(accounts)
    transfers = Transfer.objects.filter(
        Q(debit_account__in=accounts) | Q(credit_account__in=accounts)
    ).order_by("pk")
    yield "transfers.json", _json(transfers)


def reviews(user_id: int) -> Files:
    yield "written.json", _json(Review.objects.filter(author_id=user_id).order_by("pk"))
    yield "received.json", _json(Review.objects.filter(subject_id=user_id).order_by("pk"))


def analytics(user_id: int) -> Files:
    # views of their profile by day, and the views they made; never who else viewed (that
    # is the viewers' data, shown to the owner only as the product allows)
    yield (
        "views_by_day.json",
        _json(ProfileViewDaily.objects.filter(profile__user_id=user_id).order_by("pk")),
    )
    yield (
        "views_made.json",
        _json(
            ProfileView.objects.filter(viewer_id=user_id).order_by("pk"),
            fields=["profile", "source", "created_at"],
        ),
    )


for _name, _exporter in (
    ("profile", profile),
    ("contracts", contracts),
    ("messages", messages),
    ("ledger", ledger),
    ("reviews", reviews),
    ("analytics", analytics),
):
    exporter_register(_name, _exporter)
