"""Wallet pages: balance, history, chart, top-up, bank account, payout, payment status."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.contracts.factories import give_balance, offer
from tsunagu.accounts.models import User
from tsunagu.audit.models import AuditEvent
from tsunagu.contracts.services import milestone_fund_from_wallet
from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import Transfer
from tsunagu.payments import selectors
from tsunagu.payments.models import BankAccount, Payment, PaymentStatus, SandboxOperation
from tsunagu.payments.providers.sandbox import sign, webhook_body
from tsunagu.payments.wallet import bank_account_set

pytestmark = pytest.mark.django_db(transaction=True)

WALLET = "/payments/wallet/"


def balance(user: User) -> tuple[int, int, int]:
    s = selectors.wallet_summary(user_id=user.pk)
    return s.balance, s.held, s.available


def bank(user: User) -> BankAccount:
    return bank_account_set(
        user=user,
        bank_name="つなぐ銀行",
        branch_name="本店",
        account_type="ordinary",
        account_number="1234567",
        holder_kana="ヤマダ ハナコ",
    )


def signed_in(client: Client, user: User | None = None) -> User:
    user = user or UserFactory()
    client.force_login(user)
    return user


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [WALLET, "/payments/wallet/bank-account/"])
def test_pages_need_a_signed_in_person(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_anonymous_posts_move_no_money(client: Client) -> None:
    client.post("/payments/wallet/top-up/", {"top_up-amount": "5000"})
    assert Payment.objects.count() == 0


def test_a_second_person_sees_only_their_own_wallet_and_history(client: Client) -> None:
    owner = UserFactory()
    give_balance(owner, 12_345)
    other = signed_in(client)
    html = client.get(WALLET).content.decode()
    assert "¥12,345" not in html
    assert 'data-testid="balance">¥0<' in html
    assert "No money has moved yet" in html or "まだお金の動きはありません" in html
    assert balance(other) == (0, 0, 0)


def test_a_second_person_cannot_open_anothers_payment(client: Client) -> None:
    owner = UserFactory()
    payment = Payment.objects.create(
        key="top_up_x", kind="top_up", user=owner, amount=3000, currency="JPY", provider="sandbox"
    )
    signed_in(client)
    assert client.get(f"/payments/{payment.key}/").status_code == 404
    assert client.get(f"/payments/{payment.pk}/").status_code == 404
    client.force_login(owner)
    assert client.get(f"/payments/{payment.key}/").status_code == 200


# --- the wallet page ---------------------------------------------------------------------------


def test_wallet_page_in_japanese_and_in_english(client: Client) -> None:
    user = signed_in(client)
    give_balance(user, 10_000)
    html = client.get(WALLET).content.decode()
    assert "<h1>残高</h1>" in html
    assert "¥10,000" in html
    assert "カードで入金" in html
    assert "テスト決済" in html
    client.cookies["tsunagu_language"] = "en"
    html = client.get(WALLET).content.decode()
    assert "<h1>Balance</h1>" in html
    assert "Top up by card" in html
    assert "ending in 402" in html
    assert "¥10,000" in html


def test_wallet_shows_balance_held_and_available_and_a_readable_history(client: Client) -> None:
    contract = offer(amounts=(10_000,))  # 10,000 + 1,000 consumption tax
    client_user = contract.client
    give_balance(client_user, 20_000)
    milestone_fund_from_wallet(milestone=contract.milestones.get(), by=client_user)
    signed_in(client, client_user)
    client.cookies["tsunagu_language"] = "en"
    html = client.get(WALLET).content.decode()
    assert 'data-testid="balance">¥20,000<' in html
    assert 'data-testid="held">¥11,000<' in html
    assert 'data-testid="available">¥9,000<' in html
    assert "Top-up by card" in html
    assert f"Escrow hold for {contract.title}" in html
    assert reverse("contracts:detail", args=[contract.pk]) in html
    assert "+¥20,000" in html and "+¥11,000" in html


def test_history_is_paginated_newest_first_with_the_running_balance(client: Client) -> None:
    user = signed_in(client)
    for i in range(1, 26):
        give_balance(user, i * 100, key=f"gift:{user.pk}:{i}")
    first = selectors.wallet_history_page(user_id=user.pk, page_number=1)
    second = selectors.wallet_history_page(user_id=user.pk, page_number=2)
    assert first.page.paginator.num_pages == 2
    assert [line.amount for line in first.lines][:2] == [2500, 2400]
    total = sum(i * 100 for i in range(1, 26))
    assert first.lines[0].balance_after == total
    # the running balance continues across the page boundary
    assert second.lines[0].balance_after == first.lines[-1].balance_after - first.lines[-1].amount
    assert second.lines[-1].balance_after == 100
    html = client.get(WALLET + "?page=2").content.decode()
    assert "¥100" in html
    partial = client.get(WALLET + "?page=2&part=history", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<section class="card" id="wallet-history"')


def test_history_query_count_is_constant(client: Client, django_assert_num_queries: Any) -> None:
    user = signed_in(client)
    contract = offer(client=user, amounts=(1_000,))
    give_balance(user, 50_000)
    milestone_fund_from_wallet(milestone=contract.milestones.get(), by=user)
    client.get(WALLET)
    with CaptureQueriesContext(connection) as few:
        client.get(WALLET + "?page=1")
    for i in range(30):
        give_balance(user, 100 + i, key=f"more:{i}")
    other = offer(client=user, amounts=(2_000,))
    milestone_fund_from_wallet(milestone=other.milestones.get(), by=user)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(WALLET + "?page=1")
    # a later page adds only the sum of the newer transfers
    with django_assert_num_queries(len(few.captured_queries) + 1):
        client.get(WALLET + "?page=2")


def test_monthly_chart_sums_money_in_and_out_per_month_in_the_viewers_zone(
    client: Client,
) -> None:
    user = signed_in(client)
    give_balance(user, 30_000)
    bank(user)
    client.post("/payments/wallet/payout/", {"payout-amount": "5000"})
    # one month back, as seen in Tokyo
    old = Transfer.objects.filter(reason="top_up").get()
    Transfer.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    months = selectors.wallet_monthly_totals(user_id=user.pk)
    assert len(months) == 12
    assert months[-1].money_out == 5_250
    assert months[-1].money_in == 0
    assert sum(m.money_in for m in months) == 30_000
    html = client.get(WALLET).content.decode()
    assert "<svg" in html and 'role="img"' in html and "<desc" in html
    assert "style=" not in html


# --- top-up ------------------------------------------------------------------------------------


def test_top_up_by_card_adds_to_the_balance(client: Client) -> None:
    user = signed_in(client)
    response = client.post("/payments/wallet/top-up/", {"top_up-amount": "10000"}, follow=True)
    html = response.content.decode()
    assert "¥10,000" in html and "残高に入金しました" in html
    assert balance(user) == (10_000, 0, 10_000)
    assert run_checks() == []


def test_declined_card_shows_the_reason_and_changes_nothing(client: Client) -> None:
    user = signed_in(client)
    give_balance(user, 1_000)
    client.cookies["tsunagu_language"] = "en"
    response = client.post("/payments/wallet/top-up/", {"top_up-amount": "10402"}, follow=True)
    html = response.content.decode()
    assert "The card was declined by the card issuer." in html
    assert "Nothing was charged." in html
    assert balance(user) == (1_000, 0, 1_000)
    assert Payment.objects.get().status == PaymentStatus.DECLINED


def test_processing_top_up_shows_a_status_page_that_polls(client: Client, settings: Any) -> None:
    # Keep the sandbox's webhook queued, as on a real machine where the worker sends it later.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user = signed_in(client)
    response = client.post("/payments/wallet/top-up/", {"top_up-amount": "7202"})
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PROCESSING
    assert response.status_code == 302
    assert response["Location"] == f"/payments/{payment.key}/"
    html = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'data-status="processing"' in html
    assert balance(user) == (0, 0, 0)
    # the provider's webhook arrives: the next poll shows the result and stops polling
    operation = SandboxOperation.objects.get(idempotency_key=payment.key)
    body = webhook_body("charge", payment.key, operation.ref, "succeeded", "")
    client.post(
        "/payments/webhooks/provider/",
        body,
        content_type="application/json",
        headers={"Tsunagu-Signature": sign(body)},
    )
    partial = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section class="card payment-status"')
    assert 'data-status="succeeded"' in partial
    assert "every 2s" not in partial
    assert balance(user) == (7_202, 0, 7_202)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "¥100"),
        ("-500", "¥100"),
        ("1000.5", "整数"),
        ("abc", "整数"),
        ("", "金額を入力"),
        ("5000001", "¥5,000,000"),
    ],
)
def test_bad_top_up_amounts_change_nothing(client: Client, amount: str, message: str) -> None:
    user = signed_in(client)
    give_balance(user, 2_000)
    response = client.post("/payments/wallet/top-up/", {"top_up-amount": amount})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Payment.objects.count() == 0
    assert balance(user) == (2_000, 0, 2_000)


# --- bank account and payout ----------------------------------------------------------------------


def test_bank_account_form_converts_half_width_katakana_and_is_audited(client: Client) -> None:
    user = signed_in(client)
    response = client.post(
        "/payments/wallet/bank-account/",
        {
            "bank_name": "つなぐ銀行",
            "branch_name": "本店",
            "account_type": "ordinary",
            "account_number": "１２３４５６７",
            "holder_kana": "ﾔﾏﾀﾞ　ﾊﾅｺ",
        },
    )
    assert response.status_code == 302
    account = BankAccount.objects.get(user=user)
    assert account.holder_kana == "ヤマダ ハナコ"
    assert account.account_number == "1234567"
    assert AuditEvent.objects.filter(event="bank_account.set").count() == 1
    html = client.get(WALLET).content.decode()
    assert "****567" in html and "1234567" not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("account_number", "123456", "7桁"),
        ("account_number", "12345678", "7桁"),
        ("account_number", "12a4567", "7桁"),
        ("holder_kana", "Yamada Hanako", "カタカナ"),
        ("holder_kana", "やまだ はなこ", "カタカナ"),
        ("bank_name", "   ", "必須"),
    ],
)
def test_bad_bank_account_is_refused_and_nothing_is_stored(
    client: Client, field: str, value: str, message: str
) -> None:
    signed_in(client)
    data = {
        "bank_name": "つなぐ銀行",
        "branch_name": "本店",
        "account_type": "ordinary",
        "account_number": "1234567",
        "holder_kana": "ヤマダ ハナコ",
        field: value,
    }
    response = client.post("/payments/wallet/bank-account/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert BankAccount.objects.count() == 0


def test_each_person_edits_only_their_own_bank_account(client: Client) -> None:
    owner = UserFactory()
    bank_account_set(
        user=owner,
        bank_name="秘密銀行",
        branch_name="北支店",
        account_type="ordinary",
        account_number="7654321",
        holder_kana="スズキ イチロウ",
    )
    other = signed_in(client)
    html = client.get("/payments/wallet/bank-account/").content.decode()
    assert "7654321" not in html and "スズキ" not in html and "秘密銀行" not in html
    client.post(
        "/payments/wallet/bank-account/",
        {
            "bank_name": "つなぐ銀行",
            "branch_name": "本店",
            "account_type": "ordinary",
            "account_number": "1111111",
            "holder_kana": "タナカ",
        },
    )
    assert BankAccount.objects.get(user=owner).account_number == "7654321"
    assert BankAccount.objects.get(user=other).account_number == "1111111"


def test_payout_takes_the_amount_and_the_fee(client: Client) -> None:
    user = signed_in(client)
    give_balance(user, 20_000)
    bank(user)
    response = client.post("/payments/wallet/payout/", {"payout-amount": "5000"}, follow=True)
    html = response.content.decode()
    assert "¥5,000" in html and "¥250" in html
    assert balance(user) == (14_750, 0, 14_750)
    assert run_checks() == []


def test_declined_payout_gives_the_money_back_and_says_so(client: Client) -> None:
    user = signed_in(client)
    give_balance(user, 20_000)
    bank(user)
    client.cookies["tsunagu_language"] = "en"
    response = client.post("/payments/wallet/payout/", {"payout-amount": "5404"}, follow=True)
    html = response.content.decode()
    assert "check the bank account details" in html
    assert "back in your available balance" in html
    assert "Payout declined: the amount is back in your balance" in html
    assert balance(user) == (20_000, 0, 20_000)


def test_payout_without_a_bank_account_is_refused(client: Client) -> None:
    user = signed_in(client)
    give_balance(user, 20_000)
    response = client.post("/payments/wallet/payout/", {"payout-amount": "5000"})
    assert response.status_code == 400
    assert "銀行口座を登録" in response.content.decode()
    assert Payment.objects.count() == 0
    assert balance(user) == (20_000, 0, 20_000)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "¥1,000"),
        ("-1", "¥1,000"),
        ("999", "¥1,000"),
        ("10.5", "整数"),
        ("text", "整数"),
        ("19751", "手数料"),  # 19,751 + 250 is more than the 20,000 available
    ],
)
def test_bad_payout_amounts_change_nothing(client: Client, amount: str, message: str) -> None:
    user = signed_in(client)
    give_balance(user, 20_000)
    bank(user)
    response = client.post("/payments/wallet/payout/", {"payout-amount": amount})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Payment.objects.count() == 0
    assert balance(user) == (20_000, 0, 20_000)


# --- staff admin -----------------------------------------------------------------------------------


def test_payments_and_ledger_admin_are_read_only_and_mask_account_numbers(client: Client) -> None:
    staff = UserFactory(is_staff=True, is_superuser=True)
    user = UserFactory()
    give_balance(user, 5_000)
    bank(user)
    payment = Payment.objects.create(
        key="top_up_admin",
        kind="top_up",
        user=user,
        amount=3000,
        currency="JPY",
        provider="sandbox",
    )
    client.force_login(staff)
    for url in [
        "/admin/payments/payment/?status__exact=processing&kind__exact=top_up",
        f"/admin/payments/payment/{payment.pk}/change/",
        "/admin/payments/webhookevent/",
        "/admin/payments/bankaccount/",
        f"/admin/payments/bankaccount/{BankAccount.objects.get().pk}/change/",
        f"/admin/ledger/account/?q=wallet:{user.pk}",
        "/admin/ledger/transfer/?q=gift",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "1234567" not in response.content.decode()
    assert "****567" in client.get("/admin/payments/bankaccount/").content.decode()
    assert "top_up_admin" in client.get("/admin/payments/payment/?q=top_up_admin").content.decode()
    for url in [
        "/admin/payments/payment/add/",
        "/admin/ledger/transfer/add/",
        "/admin/ledger/account/add/",
        f"/admin/payments/payment/{payment.pk}/delete/",
    ]:
        assert client.get(url).status_code == 403, url
    transfer = Transfer.objects.get()
    response = client.post(f"/admin/ledger/transfer/{transfer.pk}/change/", {"amount": 1})
    assert response.status_code == 403
    transfer.refresh_from_db()
    assert transfer.amount == 5_000


def test_people_who_are_not_staff_cannot_reach_the_admin(client: Client) -> None:
    signed_in(client)
    response = client.get("/admin/payments/payment/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
