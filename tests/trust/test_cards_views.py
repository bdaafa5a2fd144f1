"""Track-record card pages: the owner's page (publish, revoke), the public page with its image
and document, and what a second user can never do."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.accounts.factories import UserFactory
from tests.trust.factories import paid_contract, review
from tests.trust.test_cards_services import ALL, snapshot
from tsunagu.accounts.models import User
from tsunagu.messaging.export import platform_fingerprint
from tsunagu.trust.card import verify_card
from tsunagu.trust.models import TrackRecordCard
from tsunagu.trust.services import card_publish, card_revoke

pytestmark = pytest.mark.django_db


def as_user(user: User) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_worker_chooses_the_fields_and_publishes_from_the_page() -> None:
    contract = paid_contract()
    browser = as_user(contract.worker)
    page = browser.get(reverse("cards:mine"))
    assert page.status_code == 200
    assert 'name="fields" value="reviews"' in page.content.decode()
    response = browser.post(reverse("cards:mine"), {"fields": ["completed_contracts", "reviews"]})
    assert response.status_code == 302
    card = TrackRecordCard.objects.get(owner=contract.worker)
    assert card.fields == ["completed_contracts", "reviews"]
    page = browser.get(reverse("cards:mine"))
    assert reverse("cards:public", args=[card.public_id]) in page.content.decode()


def test_the_reviews_page_links_to_the_card_page() -> None:
    page = as_user(UserFactory()).get(reverse("trust:mine"))
    assert reverse("cards:mine") in page.content.decode()


def test_unknown_fields_on_the_page_say_why_in_japanese_and_store_nothing() -> None:
    contract = paid_contract()
    browser = as_user(contract.worker)
    before = snapshot()
    response = browser.post(reverse("cards:mine"), {"fields": ["trust_score", "password"]})
    assert response.status_code == 422
    assert "カードに表示できない項目です: password" in response.content.decode()
    assert snapshot() == before


def test_a_worker_without_paid_work_cannot_publish() -> None:
    browser = as_user(UserFactory())
    before = snapshot()
    response = browser.post(reverse("cards:mine"), {"fields": ALL})
    assert response.status_code == 409
    assert snapshot() == before


def test_the_management_page_needs_a_sign_in() -> None:
    response = Client().get(reverse("cards:mine"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_second_user_cannot_revoke_someone_elses_card() -> None:
    contract = paid_contract()
    card = card_publish(user=contract.worker, fields=ALL)
    before = snapshot()
    response = as_user(contract.client).post(reverse("cards:revoke", args=[card.public_id]))
    assert response.status_code == 404
    assert snapshot() == before
    response = as_user(contract.worker).post(reverse("cards:revoke", args=[card.public_id]))
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.is_revoked


def test_the_public_page_shows_the_record_and_how_to_verify_it() -> None:
    contract = paid_contract()
    review(contract, contract.client, stars=5, text="迅速で丁寧な仕事")
    review(contract, contract.worker, stars=5)
    card = card_publish(user=contract.worker, fields=ALL)
    page = Client().get(reverse("cards:public", args=[card.public_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "迅速で丁寧な仕事" in html
    assert "完了した契約 1件" in html
    assert platform_fingerprint() in html
    assert 'property="og:image"' in html
    assert reverse("cards:image", args=[card.public_id]) in html
    assert "tsunagu trust verify" in html


def test_the_public_page_in_english() -> None:
    contract = paid_contract()
    card = card_publish(user=contract.worker, fields=ALL)
    browser = Client()
    browser.cookies["tsunagu_language"] = "en"
    html = browser.get(reverse("cards:public", args=[card.public_id])).content.decode()
    assert "Verify this card" in html
    assert "1 completed contract" in html


def test_the_document_verifies_and_the_image_is_a_png() -> None:
    contract = paid_contract()
    card = card_publish(user=contract.worker, fields=ALL)
    document = Client().get(reverse("cards:document", args=[card.public_id]))
    assert document.status_code == 200
    assert verify_card(document.content, trusted_fingerprint=platform_fingerprint()).ok
    assert json.loads(document.content) == card.document
    image = Client().get(reverse("cards:image", args=[card.public_id]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size == (1200, 630)


def test_a_revoked_card_answers_410_everywhere() -> None:
    contract = paid_contract()
    card = card_publish(user=contract.worker, fields=ALL)
    card_revoke(card=card, by=contract.worker)
    page = Client().get(reverse("cards:public", args=[card.public_id]))
    assert page.status_code == 410
    assert "このカードは取り消されました" in page.content.decode()
    assert 'property="og:image"' not in page.content.decode()
    assert Client().get(reverse("cards:document", args=[card.public_id])).status_code == 410
    assert Client().get(reverse("cards:image", args=[card.public_id])).status_code == 410


def test_an_unknown_card_is_404() -> None:
    assert Client().get("/cards/AAAAAAAAAAAAAAAA/").status_code == 404
    assert Client().get("/cards/AAAAAAAAAAAAAAAA.json").status_code == 404
