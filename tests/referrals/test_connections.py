"""Connections: one row per pair whoever asks, answered only by the person asked; every refusal
changes nothing."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from tests.referrals.factories import connect, person
from tsunagu.referrals import selectors, services
from tsunagu.referrals.errors import ReferralError
from tsunagu.referrals.models import Connection, ConnectionStatus

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple[int, int, int, str]]:
    return list(
        Connection.objects.order_by("pk").values_list(
            "user_low_id", "user_high_id", "requested_by_id", "status"
        )
    )


def test_request_then_accept_makes_one_mutual_row() -> None:
    a, b = person(), person()
    row = services.connection_request(by=a, to=b)
    assert row.status == ConnectionStatus.PENDING
    assert (row.user_low_id, row.user_high_id) == tuple(sorted((a.pk, b.pk)))
    services.connection_accept(connection=row, by=b)
    assert Connection.objects.count() == 1
    assert selectors.connected_ids(a.pk) == {b.pk}
    assert selectors.connected_ids(b.pk) == {a.pk}


def test_asking_back_accepts_the_pending_request() -> None:
    a, b = person(), person()
    services.connection_request(by=a, to=b)
    row = services.connection_request(by=b, to=a)
    assert row.status == ConnectionStatus.ACCEPTED
    assert Connection.objects.count() == 1


def test_self_connection_refused() -> None:
    a = person()
    with pytest.raises(ReferralError) as exc:
        services.connection_request(by=a, to=a)
    assert exc.value.code == "self_connection"
    assert snapshot() == []


def test_asking_twice_and_connecting_twice_refused() -> None:
    a, b = person(), person()
    services.connection_request(by=a, to=b)
    before = snapshot()
    with pytest.raises(ReferralError) as exc:
        services.connection_request(by=a, to=b)
    assert exc.value.code == "already_requested"
    services.connection_request(by=b, to=a)
    with pytest.raises(ReferralError) as exc:
        services.connection_request(by=a, to=b)
    assert exc.value.code == "already_connected"
    assert len(snapshot()) == len(before) == 1


def test_only_the_person_asked_answers() -> None:
    a, b, c = person(), person(), person()
    row = services.connection_request(by=a, to=b)
    before = snapshot()
    with pytest.raises(ReferralError) as exc:
        services.connection_accept(connection=row, by=a)
    assert exc.value.code == "not_the_receiver"
    for action in (
        services.connection_accept,
        services.connection_decline,
        services.connection_remove,
    ):
        with pytest.raises(ReferralError) as exc:
            action(connection=row, by=c)
        assert exc.value.code == "not_found"
    assert snapshot() == before


def test_decline_then_ask_again() -> None:
    a, b = person(), person()
    row = services.connection_request(by=a, to=b)
    services.connection_decline(connection=row, by=b)
    assert selectors.connected_ids(a.pk) == set()
    with pytest.raises(ReferralError) as exc:
        services.connection_decline(connection=row, by=b)
    assert exc.value.code == "not_pending"
    again = services.connection_request(by=a, to=b)
    assert again.pk == row.pk and again.status == ConnectionStatus.PENDING


def test_remove_either_side() -> None:
    a, b = person(), person()
    row = connect(a, b)
    services.connection_remove(connection=row, by=b)
    assert selectors.connected_ids(a.pk) == set()
    with pytest.raises(ReferralError) as exc:
        services.connection_remove(connection=row, by=a)
    assert exc.value.code == "not_connected"


def test_requester_withdraws_pending_request_but_receiver_cannot_remove_it() -> None:
    a, b = person(), person()
    row = services.connection_request(by=a, to=b)
    with pytest.raises(ReferralError):
        services.connection_remove(connection=row, by=b)
    services.connection_remove(connection=row, by=a)
    row.refresh_from_db()
    assert row.status == ConnectionStatus.REMOVED


def test_database_refuses_a_pair_in_the_other_direction() -> None:
    a, b = person(), person()
    low, high = sorted((a.pk, b.pk))
    Connection.objects.create(user_low_id=low, user_high_id=high, requested_by_id=low)
    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.create(user_low_id=high, user_high_id=low, requested_by_id=high)
    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.create(user_low_id=low, user_high_id=high, requested_by_id=high)
    assert Connection.objects.count() == 1
