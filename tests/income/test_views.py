"""The income page: one's own picture, the target, outside income by hand and by CSV, recurring
engagements; bad input answered in the user's language with nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.trust.factories import paid_contract
from tsunagu.accounts.models import User
from tsunagu.income.models import IncomeTarget, OutsideIncome, RecurringEngagement
from tsunagu.income.rollups import income_rollup_refresh

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def worker() -> User:
    user: User = UserFactory()
    contract = paid_contract(worker=user, amounts=(50_000,))
    income_rollup_refresh(worker_id=user.pk)
    assert contract.worker_id == user.pk
    return user


def test_the_page_shows_the_pipe_the_month_and_the_forecast(worker: User) -> None:
    page = signed_in(worker).get(reverse("income:dashboard"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="income-pipes"' in html and 'data-testid="pipes-table"' in html
    assert "<svg" in html and 'data-testid="income-forecast"' in html


def test_signing_in_is_required() -> None:
    response = Client().get(reverse("income:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_target_shows_the_gap_in_japanese(worker: User) -> None:
    client = signed_in(worker)
    response = client.post(
        reverse("income:target"), {"monthly_amount": 500_000, "concentration_limit": 60}
    )
    assert response.status_code == 302
    html = client.get(reverse("income:dashboard")).content.decode()
    assert "今月の目標まであと" in html and 'data-testid="income-gap"' in html


@pytest.mark.parametrize("amount", ["-5", "0", "100000001", "abc"])
def test_an_absurd_target_is_refused_and_nothing_changes(worker: User, amount: str) -> None:
    response = signed_in(worker).post(
        reverse("income:target"), {"monthly_amount": amount, "concentration_limit": 50}
    )
    assert response.status_code == 422
    assert not IncomeTarget.objects.exists()


def test_outside_income_by_hand_and_a_future_date_refused(worker: User) -> None:
    client = signed_in(worker)
    today = timezone.localdate()
    ok = client.post(
        reverse("income:outside_add"),
        {"received_on": today.isoformat(), "amount": 12_000, "source": "他社サイト"},
    )
    future = client.post(
        reverse("income:outside_add"),
        {
            "received_on": (today + datetime.timedelta(days=3)).isoformat(),
            "amount": 12_000,
            "source": "他社サイト",
        },
    )
    assert ok.status_code == 302
    assert future.status_code == 422 and "未来" in future.content.decode()
    assert OutsideIncome.objects.filter(user=worker).count() == 1


def csv_upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("income.csv", text.encode("utf-8"), "text/csv")


def test_a_csv_imports_every_row_or_none(worker: User) -> None:
    client = signed_in(worker)
    good = 'date,amount,source,note\n2026-01-31,"¥12,000",ココナラ,\n2026/2/28,8000円,アルバイト,2月分\n'
    bad = "date,amount,source,note\n2026-03-31,5000,A,\n2026-04-31,5000,B,\n"

    refused = client.post(reverse("income:outside_import"), {"file": csv_upload(bad)})
    assert refused.status_code == 422
    assert "3行目" in refused.content.decode() or "Line 3" in refused.content.decode()
    assert not OutsideIncome.objects.exists()

    imported = client.post(reverse("income:outside_import"), {"file": csv_upload(good)})
    assert imported.status_code == 302
    rows = OutsideIncome.objects.filter(user=worker).order_by("received_on")
    assert [(r.amount, r.source, r.imported) for r in rows] == [
        (12_000, "ココナラ", True),
        (8_000, "アルバイト", True),
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"when,how much\n2026-01-01,100\n",
        b"date,amount,source,note\n2026-01-01,-100,x,\n",
        b"date,amount,source,note\n2026-01-01,100,,\n",
        b"date,amount,source,note\n" + "\xff".encode("latin-1"),
    ],
)
def test_bad_files_are_refused_clearly(worker: User, data: bytes) -> None:
    upload = SimpleUploadedFile("x.csv", data, "text/csv")
    response = signed_in(worker).post(reverse("income:outside_import"), {"file": upload})
    assert response.status_code == 422
    assert not OutsideIncome.objects.exists()


def test_a_second_user_cannot_remove_or_see_anothers_entries(worker: User) -> None:
    entry = OutsideIncome.objects.create(
        user=worker, received_on=timezone.localdate(), amount=1000, source="秘密の取引先"
    )
    other = signed_in(UserFactory())

    assert "秘密の取引先" not in other.get(reverse("income:dashboard")).content.decode()
    other.post(reverse("income:outside_remove", args=[entry.pk]))
    assert OutsideIncome.objects.filter(pk=entry.pk).exists()

    signed_in(worker).post(reverse("income:outside_remove", args=[entry.pk]))
    assert not OutsideIncome.objects.filter(pk=entry.pk).exists()


def test_recurring_engagements_only_with_ones_own_clients(worker: User) -> None:
    client = signed_in(worker)
    stranger = UserFactory()
    refused = client.post(
        reverse("income:recurring_add"),
        {"label": "月次翻訳", "monthly_amount": 30_000, "client": stranger.pk},
    )
    assert refused.status_code == 422 and not RecurringEngagement.objects.exists()

    outside = client.post(
        reverse("income:recurring_add"), {"label": "顧問契約", "monthly_amount": 30_000}
    )
    assert outside.status_code == 302
    assert RecurringEngagement.objects.get().client is None


def test_the_page_links_to_the_years_papers(worker: User) -> None:
    html = signed_in(worker).get(reverse("income:dashboard")).content.decode()
    assert reverse("billing:invoices") in html and "/billing/" in html
