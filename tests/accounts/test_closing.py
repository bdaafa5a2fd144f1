"""Closing one's own account: refused while contracts, escrow or the wallet are open (saying what
is left, nothing changed); afterwards personal data is erased or pseudonymised, the person can
neither sign in nor use a token, and everything that referenced them still works for the other
party: contract, room and invoice pages, the profile link, the ledger check and every room chain.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.accounts.files import pdf
from tests.api.factories import bearer, make_token
from tests.billing.factories import paid, registered_worker
from tests.contracts.factories import give_balance, offer
from tests.profiles.factories import png_upload
from tests.trust.factories import funded
from tsunagu.accounts.closing import ClosingError, account_close
from tsunagu.accounts.models import (
    DeviceSighting,
    DocumentKind,
    PhoneNumber,
    User,
    VerificationDocument,
)
from tsunagu.accounts.services import verification_document_submit
from tsunagu.api.models import ApiToken
from tsunagu.audit.models import AuditEvent
from tsunagu.billing.models import Invoice, InvoiceKind
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import Contract, Terms
from tsunagu.income.models import OutsideIncome
from tsunagu.jobs.models import SavedSearch
from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import AccountKind, Transfer
from tsunagu.ledger.services import (
    TransferRequest,
    platform_account,
    transfers_create,
    wallet_account,
)
from tsunagu.messaging.models import Message, Room
from tsunagu.messaging.selectors import staff_record
from tsunagu.messaging.services import message_send, room_for_contract
from tsunagu.notifications.models import Notification
from tsunagu.payments.models import BankAccount
from tsunagu.payments.selectors import wallet_summary
from tsunagu.profiles.models import PortfolioItem, Profile
from tsunagu.profiles.services import portfolio_item_add

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evidence_key(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_KEY_PATH = tmp_path / "evidence.pem"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def drain(user: User) -> None:
    """Take the whole wallet out, as a completed payout would."""
    wallet = wallet_account(user_id=user.pk, currency="JPY")
    clearing = platform_account(kind=AccountKind.PROVIDER_CLEARING, currency="JPY")
    transfers_create(
        transfers=[
            TransferRequest(
                key=f"test-payout:{user.pk}",
                debit_account_id=wallet.pk,
                credit_account_id=clearing.pk,
                amount=wallet_summary(user_id=user.pk).balance,
                currency="JPY",
                reason="payout",
            )
        ]
    )


def with_personal_data(user: User) -> None:
    """Give ``user`` some of everything the closing must erase."""
    profile = user.profile
    profile.headline = "翻訳者"
    profile.bio = "十年の経験があります"
    profile.save()
    portfolio_item_add(profile=profile, actor=user, kind="image", title="作品", upload=png_upload())
    user.legal_family_name, user.legal_given_name = "山田", "花子"
    user.save()
    verification_document_submit(
        user=user, kind=DocumentKind.IDENTITY_DOCUMENT, upload=pdf(), document_type="passport"
    )
    PhoneNumber.objects.create(user=user, number="+819012345678", verified_at=timezone.now())
    DeviceSighting.objects.create(user=user, device="d" * 64)
    BankAccount.objects.create(
        user=user,
        bank_name="つなぐ銀行",
        branch_name="本店",
        account_type="ordinary",
        account_number="1234567",
        holder_kana="ヤマダハナコ",
    )
    SavedSearch.objects.create(user=user, name="翻訳", query="翻訳", watermark=timezone.now())
    Notification.objects.create(user=user, kind="test", message="お知らせ")
    OutsideIncome.objects.create(
        user=user, received_on=datetime.date(2026, 1, 5), amount=50_000, source="副業先"
    )


def snapshot(user: User) -> dict[str, Any]:
    user.refresh_from_db()
    return {
        "email": user.email,
        "password": user.password,
        "active": user.is_active,
        "display_name": Profile.objects.get(user=user).display_name,
        "portfolio": PortfolioItem.objects.filter(profile__user=user).count(),
        "documents": VerificationDocument.objects.filter(user=user).count(),
        "banks": BankAccount.objects.filter(user=user).count(),
        "tokens": ApiToken.objects.filter(user=user, revoked_at__isnull=True).count(),
        "audit": AuditEvent.objects.filter(event="account.closed").count(),
        "transfers": Transfer.objects.count(),
    }


# --- refusals ------------------------------------------------------------------------------


def test_open_contracts_escrow_and_balance_are_listed_and_nothing_changes() -> None:
    client_user = UserFactory()
    funded(client=client_user, amounts=(30_000,))  # one running, ¥33,000 held in escrow
    offer(client=client_user, accept=False)  # one offered
    give_balance(client_user, 1_200, key="rest")
    make_token(user=client_user)
    before = snapshot(client_user)

    with pytest.raises(ClosingError) as refused:
        account_close(user=client_user, password="password")
    assert refused.value.code == "still_open"
    assert refused.value.message == (
        "退会できません。残っているもの: 2件の進行中の契約、仮払い中の33,000円、残高1,200円。"
    )
    assert snapshot(client_user) == before

    page = signed_in(client_user).post(
        reverse("accounts:close"), {"password": "password"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "2 open contracts, ¥33,000 in escrow, a wallet balance of ¥1,200" in text
    assert snapshot(client_user) == before


def test_the_worker_of_an_open_contract_is_refused_too() -> None:
    contract = funded(amounts=(30_000,))
    with pytest.raises(ClosingError) as refused:
        account_close(user=contract.worker, password="password")
    assert "1件の進行中の契約" in refused.value.message
    assert contract.worker.is_active


def test_a_wrong_password_is_refused_and_nothing_changes() -> None:
    user = UserFactory()
    before = snapshot(user)
    with pytest.raises(ClosingError) as refused:
        account_close(user=user, password="wrong")
    assert refused.value.code == "wrong_password"
    response = signed_in(user).post(reverse("accounts:close"), {"password": "wrong"})
    assert response.status_code == 400
    assert "パスワードが正しくありません" in response.content.decode()
    response = signed_in(user).post(reverse("accounts:close"), {"password": ""})
    assert response.status_code == 400
    assert snapshot(user) == before


def test_the_page_needs_a_signed_in_person_and_closes_only_their_own_account() -> None:
    owner, other = UserFactory(), UserFactory()
    anonymous = Client().post(reverse("accounts:close"), {"password": "password"})
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    # the second user, with their own password, closes their own account and nobody else's
    before = snapshot(owner)
    response = signed_in(other).post(reverse("accounts:close"), {"password": "password"})
    assert response.status_code == 302
    assert snapshot(owner) == {**before, "audit": 1}
    other.refresh_from_db()
    assert other.closed_at is not None and owner.closed_at is None


# --- the closing itself ---------------------------------------------------------------------


def test_closing_erases_personal_data_and_keeps_what_the_law_requires(
    django_capture_on_commit_callbacks: Any,
) -> None:
    worker = registered_worker()
    contract = paid(worker=worker, amount=30_000)
    with_personal_data(worker)
    drain(worker)
    room = room_for_contract(contract=contract)
    message_send(room=room, sender=worker, body="納品しました")
    message_send(room=room, sender=contract.client, body="ありがとうございます")
    token, secret = make_token(user=worker)
    document = VerificationDocument.objects.get(user=worker)
    item = PortfolioItem.objects.get(profile__user=worker)
    private, media = storages["private"], item.file.storage
    assert private.exists(document.file.name) and media.exists(item.file.name)
    messages_before = list(Message.objects.order_by("pk").values())
    terms_before = list(Terms.objects.filter(contract=contract).values())
    invoices_before = list(Invoice.objects.order_by("pk").values())
    transfers_before = Transfer.objects.count()
    session = signed_in(worker)
    old_email = worker.email

    with django_capture_on_commit_callbacks(execute=True):
        response = session.post(reverse("accounts:close"), {"password": "password"})
    assert response.status_code == 302

    worker.refresh_from_db()
    assert worker.closed_at is not None and not worker.is_active
    assert worker.email.endswith("@closed.invalid") and str(worker.pk) in worker.email
    assert not worker.has_usable_password()
    assert worker.legal_name == ""
    profile = Profile.objects.get(user=worker)
    assert profile.display_name == f"退会したユーザー #{worker.pk}"
    assert (profile.headline, profile.bio, profile.bio_html) == ("", "", "")
    assert not profile.skills.exists()
    kinds: tuple[type[Any], ...] = (VerificationDocument, PhoneNumber, DeviceSighting)
    kinds += (BankAccount, SavedSearch, Notification, OutsideIncome)
    for model in kinds:
        assert not model.objects.filter(user=worker).exists(), model
    assert not PortfolioItem.objects.filter(profile__user=worker).exists()
    assert not private.exists(document.file.name) and not media.exists(item.file.name)
    token.refresh_from_db()
    assert token.revoked_at is not None

    # kept: the ledger, contract terms, every message row, the invoices, reviews' numbers
    assert Transfer.objects.count() == transfers_before
    assert list(Terms.objects.filter(contract=contract).values()) == terms_before
    assert list(Message.objects.order_by("pk").values()) == messages_before
    assert list(Invoice.objects.order_by("pk").values()) == invoices_before
    assert Contract.objects.get(pk=contract.pk).worker_id == worker.pk
    assert run_checks() == []
    for each in Room.objects.all():
        assert staff_record(room=each).first_broken is None

    # audited, without the personal data itself
    event = AuditEvent.objects.get(event="account.closed", subject_id=str(worker.pk))
    assert event.after is not None
    assert event.after["erased"]["accounts"]["identity_documents"] == 1
    assert event.after["erased"]["profiles"]["portfolio_items"] == 1
    assert old_email not in json.dumps(event.after)

    # no way back in: the old session, the password, the token
    assert session.get(reverse("accounts:settings")).status_code == 302
    assert authenticate(email=old_email, password="password") is None
    assert authenticate(email=worker.email, password="password") is None
    login = Client().post(reverse("account_login"), {"login": old_email, "password": "password"})
    assert login.status_code != 302 or "/login" in login.get("Location", "")
    assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401
    assert Client().get(reverse("accounts:close")).status_code == 302


def test_the_other_party_still_sees_everything_that_referenced_the_closed_person(
    django_capture_on_commit_callbacks: Any,
) -> None:
    worker, client_user = registered_worker(), UserFactory()
    contract = paid(worker=worker, client=client_user, amount=30_000)
    room = room_for_contract(contract=contract)
    message_send(room=room, sender=client_user, body="よろしくお願いします")
    message_send(room=room, sender=worker, body="こちらこそ")
    payment = Invoice.objects.get(kind=InvoiceKind.CLIENT_PAYMENT)
    with django_capture_on_commit_callbacks(execute=True):
        account_close(user=client_user, password="password")

    other = signed_in(worker)
    for url in (
        reverse("contracts:detail", args=[contract.pk]),
        reverse("contracts:terms", args=[contract.pk]),
        reverse("messaging:room", args=[room.pk]),
        reverse("billing:invoice", args=[payment.pk]),
        reverse("billing:invoice_pdf", args=[payment.pk]),
        reverse("profiles:detail", args=[client_user.profile.pk]),
    ):
        response = other.get(url)
        assert response.status_code == 200, url
    page = other.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert f"退会したユーザー #{client_user.pk}" in page
    english = other.get(
        reverse("profiles:detail", args=[client_user.profile.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.status_code == 200
    assert run_checks() == []
    assert staff_record(room=room).first_broken is None
    # the closed person's own pages are gone with them
    assert Client().get(reverse("contracts:detail", args=[contract.pk])).status_code == 302


def test_closing_twice_is_refused() -> None:
    user = UserFactory()
    account_close(user=user, password="password")
    user.set_password("password")  # even if someone could still hold the old object
    with pytest.raises(ClosingError) as refused:
        account_close(user=user, password="password")
    assert refused.value.code == "already_closed"


# --- the API --------------------------------------------------------------------------------


def test_the_api_closes_the_callers_account_and_revokes_the_token() -> None:
    user, other = UserFactory(), UserFactory()
    _, secret = make_token(user=user)
    _, other_secret = make_token(user=other)
    url = "/api/v1/account/close"

    wrong = Client().post(
        url, {"password": "nope"}, content_type="application/json", **bearer(secret)
    )
    assert wrong.status_code == 422 and wrong.json()["code"] == "wrong_password"
    anonymous = Client().post(url, {"password": "password"}, content_type="application/json")
    assert anonymous.status_code == 401
    user.refresh_from_db()
    assert user.closed_at is None

    response = Client().post(
        url, {"password": "password"}, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 200 and response.json()["closed"] is True
    user.refresh_from_db()
    other.refresh_from_db()
    assert user.closed_at is not None and other.closed_at is None
    assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401
    assert Client().get("/api/v1/me", **bearer(other_secret)).status_code == 200


def test_the_api_says_what_is_left_in_english(django_capture_on_commit_callbacks: Any) -> None:
    contract = funded(amounts=(30_000,))
    _, secret = make_token(user=contract.client)
    response = Client().post(
        "/api/v1/account/close",
        {"password": "password"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(secret),
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "still_open"
    assert body["message"] == (
        "Your account cannot be closed yet: 1 open contract, ¥33,000 in escrow."
    )
    contract.client.refresh_from_db()
    assert contract.client.is_active and contract.client.closed_at is None


def test_a_closed_account_cannot_be_offered_a_new_contract() -> None:
    worker = UserFactory()
    account_close(user=worker, password="password")
    worker.refresh_from_db()
    count = Contract.objects.count()
    with pytest.raises(ContractError) as refused:
        offer(worker=worker)
    assert refused.value.code == "closed_account"
    assert Contract.objects.count() == count
