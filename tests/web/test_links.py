"""Pages link people to the next step: message or offer from a profile, the room from a contract."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.contracts.factories import offer

pytestmark = pytest.mark.django_db


def test_profile_offers_message_and_offer_to_others_only(client: Client) -> None:
    worker = UserFactory()
    url = f"/profiles/{worker.profile.pk}/"
    inquiry = reverse("messaging:inquiry_start")
    assert inquiry not in client.get(url).content.decode()
    client.force_login(worker)
    own = client.get(url).content.decode()
    assert "/contracts/offer/" not in own
    client.force_login(UserFactory())
    other = client.get(url).content.decode()
    assert f"/contracts/offer/{worker.profile.pk}/" in other
    assert inquiry in other and 'name="profile"' in other


def test_contract_page_links_to_its_room(client: Client) -> None:
    contract = offer()
    client.force_login(contract.client)
    html = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert reverse("messaging:contract_room", args=[contract.pk]) in html


def test_inquiry_room_offers_to_propose_interview_times(client: Client) -> None:
    from tsunagu.messaging.services import room_open_inquiry

    worker, customer = UserFactory(), UserFactory()
    room = room_open_inquiry(client=customer, worker=worker, by=customer)
    client.force_login(worker)
    html = client.get(reverse("messaging:room", args=[room.pk])).content.decode()
    assert f"{reverse('proposals:interview_new')}?room={room.pk}" in html
