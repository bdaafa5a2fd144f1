"""/api/v1/income: one's own picture and entries; bad input refused with nothing changed."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tests.trust.factories import paid_contract
from tsunagu.accounts.models import User
from tsunagu.income.models import IncomeTarget, OutsideIncome
from tsunagu.income.rollups import income_rollup_refresh

pytestmark = pytest.mark.django_db


_tokens: dict[int, str] = {}


def auth(user: User) -> dict[str, Any]:
    if user.pk not in _tokens or not user.api_tokens.exists():
        _tokens[user.pk] = make_token(user=user)[1]
    return bearer(_tokens[user.pk])


def send(method: str, url: str, user: User, body: Any = None) -> Any:
    client = Client()
    kwargs: dict[str, Any] = auth(user)
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(url, **kwargs)


def test_the_worker_reads_their_pipes_and_sets_a_target() -> None:
    worker = UserFactory()
    contract = paid_contract(worker=worker, amounts=(40_000,))
    income_rollup_refresh(worker_id=worker.pk)

    put = send("put", "/api/v1/income/target", worker, {"monthly_amount": 300_000})
    got = send("get", "/api/v1/income", worker).json()

    assert put.status_code == 200 and got["target"] == 300_000
    assert [p["client_id"] for p in got["pipes"]] == [contract.client_id]
    assert got["gap"] == 300_000 - got["earned_this_month"] - got["outside_this_month"]
    assert len(got["forecast"]) == 4


@pytest.mark.parametrize("body", [{"monthly_amount": -1}, {"monthly_amount": 10**12}, {}])
def test_an_absurd_target_is_a_422_and_changes_nothing(body: dict[str, Any]) -> None:
    worker = UserFactory()
    assert send("put", "/api/v1/income/target", worker, body).status_code == 422
    assert not IncomeTarget.objects.exists()


def test_outside_income_in_the_future_is_refused_in_the_users_language() -> None:
    worker = UserFactory()
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = send(
        "post",
        "/api/v1/income/outside",
        worker,
        {"received_on": future, "amount": 1000, "source": "他社"},
    )
    assert response.status_code == 422 and "未来" in response.json()["message"]
    assert not OutsideIncome.objects.exists()


def test_a_second_user_cannot_delete_anothers_entry() -> None:
    worker, other = UserFactory(), UserFactory()
    created = send(
        "post",
        "/api/v1/income/outside",
        worker,
        {"received_on": timezone.localdate().isoformat(), "amount": 1000, "source": "他社"},
    ).json()

    assert send("delete", f"/api/v1/income/outside/{created['id']}", other).status_code == 404
    assert send("get", "/api/v1/income/outside", other).json() == []
    assert send("delete", f"/api/v1/income/outside/{created['id']}", worker).status_code == 204


def test_csv_import_names_the_bad_line() -> None:
    worker = UserFactory()
    upload = SimpleUploadedFile(
        "x.csv", b"date,amount,source,note\n2026-01-01,100,a,\nnot-a-date,5,b,\n"
    )
    response = Client().post("/api/v1/income/outside/import", {"file": upload}, **auth(worker))
    assert response.status_code == 422 and response.json()["message"].startswith("3行目")
    assert not OutsideIncome.objects.exists()


def test_anonymous_callers_are_refused() -> None:
    assert Client().get("/api/v1/income").status_code == 401


def test_the_weekly_email_is_read_and_set_for_oneself_only() -> None:
    worker, other = UserFactory(), UserFactory()
    assert send("get", "/api/v1/income/weekly-email", worker).json() == {"receive": True}
    off = send("put", "/api/v1/income/weekly-email", worker, {"receive": False})
    assert off.status_code == 200 and off.json() == {"receive": False}
    assert send("get", "/api/v1/income/weekly-email", other).json() == {"receive": True}
    bad = send("put", "/api/v1/income/weekly-email", worker, {"receive": "maybe"})
    assert bad.status_code == 422
    assert send("get", "/api/v1/income/weekly-email", worker).json() == {"receive": False}
    assert Client().get("/api/v1/income/weekly-email").status_code == 401
    on = send("put", "/api/v1/income/weekly-email", worker, {"receive": True})
    assert on.json() == {"receive": True}
