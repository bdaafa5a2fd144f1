"""/api/v1/contracts: the same rules as the pages, answered with codes and field errors."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tests.contracts.docs import docx
from tests.contracts.factories import give_balance, offer
from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract, Delivery, Dispute, Milestone, RevisionRequest
from tsunagu.contracts.services import delivery_submit, milestone_fund_from_wallet
from tsunagu.contracts.states import ContractStatus, MilestoneStatus
from tsunagu.ledger.services import wallet_account

pytestmark = pytest.mark.django_db

BASE = "/api/v1/contracts"


class Api:
    """A script calling the API with the user's personal token."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.client = Client()
        self.headers = bearer(make_token(user=user)[1])

    def get(self, path: str) -> Any:
        return self.client.get(BASE + path, **self.headers)

    def post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.post(
            BASE + path,
            data=json.dumps(data) if data is not None else "",
            content_type="application/json",
            **self.headers,
        )

    def upload(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(BASE + path, data=data, **self.headers)


@pytest.fixture
def people() -> dict[str, Api]:
    return {name: Api(UserFactory()) for name in ("client", "worker", "stranger")}


def new_contract(people: dict[str, Api], **kwargs: Any) -> Contract:
    return offer(client=people["client"].user, worker=people["worker"].user, **kwargs)


def funded(people: dict[str, Api]) -> tuple[Contract, Milestone]:
    contract = new_contract(people)
    milestone = contract.milestones.get()
    give_balance(people["client"].user, milestone.gross)
    milestone_fund_from_wallet(milestone=milestone, by=people["client"].user)
    return contract, milestone


def m_path(milestone: Milestone, action: str) -> str:
    return f"/{milestone.contract_id}/milestones/{milestone.pk}/{action}"


# --- reads ---------------------------------------------------------------------------------------


def test_list_has_my_contracts_only_with_my_role_and_next_step(people: dict[str, Api]) -> None:
    as_client = new_contract(people)
    as_worker = offer(client=people["worker"].user, worker=people["client"].user, accept=False)
    offer()  # two other people's
    body = people["client"].get("").json()
    assert body["count"] == 2
    items = {item["id"]: item for item in body["items"]}
    assert items[as_client.pk]["role"] == "client" and items[as_client.pk]["your_turn"] is True
    assert items[as_client.pk]["total"] == 33_000
    assert items[as_client.pk]["milestones"][0]["gross"] == 33_000
    assert items[as_worker.pk]["role"] == "worker" and items[as_worker.pk]["status"] == "offered"
    assert people["stranger"].get("").json()["count"] == 0


def test_list_needs_authentication() -> None:
    response = Client().get(BASE)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_list_runs_the_same_queries_whatever_the_rows(
    people: dict[str, Api], django_assert_num_queries: Any
) -> None:
    new_contract(people)
    api = people["client"]
    api.get("")
    with django_assert_num_queries(5) as first:
        api.get("")
    for _ in range(5):
        offer(client=api.user, amounts=(1000, 2000, 3000))
    with django_assert_num_queries(len(first.captured_queries)):
        assert api.get("").json()["count"] == 6


def test_detail_for_the_parties_only(people: dict[str, Api]) -> None:
    contract = new_contract(people, accept=False)
    body = people["worker"].get(f"/{contract.pk}").json()
    assert body["terms_sha256"] == contract.terms.sha256
    assert body["terms"]["total"] == 33_000 and body["role"] == "worker"
    response = people["stranger"].get(f"/{contract.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert people["client"].get("/999999").status_code == 404


# --- offer ---------------------------------------------------------------------------------------


def offer_body(worker: User, **overrides: Any) -> dict[str, Any]:
    due = timezone.localdate() + datetime.timedelta(days=14)
    body = {
        "worker_profile_id": worker.profile.pk,
        "title": "記事作成",
        "description": "SEO記事",
        "deliverables": "Word 5本",
        "milestones": [{"title": "第1回", "amount": 30_000, "due_date": due.isoformat()}],
        "payment_due": (due + datetime.timedelta(days=30)).isoformat(),
        "withholding_category": True,
    }
    body.update(overrides)
    return body


def test_offer_a_contract(people: dict[str, Api]) -> None:
    response = people["client"].post("", offer_body(people["worker"].user))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "offered" and body["role"] == "client"
    assert body["terms"]["withholding_applies"] is True
    assert Contract.objects.get().worker == people["worker"].user


def test_offer_errors_name_their_fields_and_nothing_is_saved(people: dict[str, Api]) -> None:
    api = people["client"]
    worker = people["worker"].user
    due = timezone.localdate() + datetime.timedelta(days=14)
    late = api.post(
        "", offer_body(worker, payment_due=(due + datetime.timedelta(days=90)).isoformat())
    )
    assert late.status_code == 422
    assert [e["field"] for e in late.json()["errors"]] == ["payment_due"]
    assert "60日" in late.json()["errors"][0]["message"]
    typo = api.post("", {**offer_body(worker), "titel": "x"})
    assert typo.status_code == 422 and typo.json()["errors"][0]["field"] == "titel"
    nobody = api.post("", offer_body(worker, worker_profile_id=999_999))
    assert nobody.status_code == 422 and nobody.json()["errors"][0]["field"] == "worker_profile_id"
    myself = api.post("", offer_body(api.user))
    assert myself.status_code == 409 and myself.json()["code"] == "self_contract"
    zero = api.post(
        "",
        offer_body(worker, milestones=[{"title": "x", "amount": 0, "due_date": due.isoformat()}]),
    )
    assert zero.status_code == 422 and zero.json()["errors"][0]["field"] == "milestones"
    assert Contract.objects.count() == 0 and Milestone.objects.count() == 0


# --- terms ---------------------------------------------------------------------------------------


def test_accept_terms_by_the_worker_only_and_once(people: dict[str, Api]) -> None:
    contract = new_contract(people, accept=False)
    path = f"/{contract.pk}/accept-terms"
    refused = people["client"].post(path)
    assert refused.status_code == 403 and refused.json()["code"] == "not_the_worker"
    assert people["stranger"].post(path).status_code == 404
    contract.refresh_from_db()
    assert contract.status == ContractStatus.OFFERED
    assert people["worker"].post(path).json()["status"] == "active"
    again = people["worker"].post(path)
    assert again.status_code == 409 and again.json()["code"] == "wrong_state"


def test_decline_and_cancel(people: dict[str, Api]) -> None:
    declined = new_contract(people, accept=False)
    assert people["worker"].post(f"/{declined.pk}/decline").json()["status"] == "declined"
    cancelled = new_contract(people)
    assert people["client"].post(f"/{cancelled.pk}/cancel").json()["status"] == "cancelled"
    contract, _ = funded(people)
    refused = people["client"].post(f"/{contract.pk}/cancel")
    assert refused.status_code == 409 and refused.json()["code"] == "money_in_escrow"


# --- funding -------------------------------------------------------------------------------------


def test_fund_from_the_wallet(people: dict[str, Api]) -> None:
    contract = new_contract(people)
    milestone = contract.milestones.get()
    api = people["client"]
    poor = api.post(m_path(milestone, "fund"), {"method": "wallet"})
    assert poor.status_code == 409 and poor.json()["code"] == "insufficient_balance"
    bad = api.post(m_path(milestone, "fund"), {"method": "cash"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "method"
    worker = people["worker"].post(m_path(milestone, "fund"), {"method": "wallet"})
    assert worker.status_code == 403
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.UNFUNDED
    give_balance(api.user, 33_000)
    body = api.post(m_path(milestone, "fund"), {"method": "wallet"}).json()
    assert body["milestone"]["status"] == "funded" and body["payment"] is None
    assert wallet_account(user_id=api.user.pk, currency="JPY").available == 0


@pytest.mark.django_db(transaction=True)
def test_fund_by_card(people: dict[str, Api]) -> None:
    paid = new_contract(people).milestones.get()
    body = people["client"].post(m_path(paid, "fund"), {"method": "card"}).json()
    assert body["payment"]["status"] == "succeeded" and body["milestone"]["status"] == "funded"
    declined = new_contract(people, amounts=(9_457,)).milestones.get()
    body = people["client"].post(m_path(declined, "fund"), {"method": "card"}).json()
    assert body["payment"]["status"] == "declined"
    assert body["payment"]["decline_code"] == "card_declined"
    assert body["milestone"]["status"] == "unfunded"


# --- delivery and inspection ---------------------------------------------------------------------


def test_deliver_files_by_multipart(people: dict[str, Api]) -> None:
    contract = new_contract(people)
    milestone = contract.milestones.get()
    early = people["worker"].upload(
        m_path(milestone, "deliveries"), {"message": "納品します", "files": [docx()]}
    )
    assert early.status_code == 409 and early.json()["code"] == "not_funded"
    contract, milestone = funded(people)
    empty = people["worker"].upload(
        m_path(milestone, "deliveries"), {"message": "納品します", "files": [docx("e.docx", "")]}
    )
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "files"
    assert "内容がありません" in empty.json()["errors"][0]["message"]
    by_client = people["client"].upload(
        m_path(milestone, "deliveries"), {"message": "x", "files": [docx()]}
    )
    assert by_client.status_code == 403
    assert not Delivery.objects.exists()
    good = people["worker"].upload(
        m_path(milestone, "deliveries"), {"message": "納品します", "files": [docx("記事.docx")]}
    )
    assert good.status_code == 201, good.json()
    body = good.json()
    assert body["version"] == 1 and body["files"][0]["name"] == "記事.docx"
    assert len(body["files"][0]["sha256"]) == 64
    download = people["client"].client.get(body["files"][0]["url"])
    assert download.status_code == 302  # the file view needs a browser session, not a token


def test_revision_and_accept(people: dict[str, Api]) -> None:
    _contract, milestone = funded(people)
    delivery_submit(milestone=milestone, by=people["worker"].user, message="v1", files=[docx()])
    empty = people["client"].post(m_path(milestone, "revision"), {"message": " "})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "message"
    assert people["worker"].post(m_path(milestone, "revision"), {"message": "x"}).status_code == 403
    assert not RevisionRequest.objects.exists()
    assert (
        people["client"].post(m_path(milestone, "revision"), {"message": "直して"}).status_code
        == 201
    )
    delivery_submit(milestone=milestone, by=people["worker"].user, message="v2", files=[docx()])
    assert people["worker"].post(m_path(milestone, "accept")).status_code == 403
    body = people["client"].post(m_path(milestone, "accept")).json()
    assert body["status"] == "released" and body["released_amount"] == 30_000
    again = people["client"].post(m_path(milestone, "accept"))
    assert again.status_code == 409
    assert wallet_account(user_id=people["worker"].user.pk, currency="JPY").balance == 27_000


def test_open_a_dispute(people: dict[str, Api]) -> None:
    _contract, milestone = funded(people)
    assert (
        people["stranger"].post(m_path(milestone, "disputes"), {"reason": "x"}).status_code == 404
    )
    empty = people["worker"].post(m_path(milestone, "disputes"), {"reason": ""})
    assert empty.status_code == 422
    response = people["worker"].post(m_path(milestone, "disputes"), {"reason": "連絡が取れません"})
    assert response.status_code == 201 and response.json()["status"] == "open"
    again = people["client"].post(m_path(milestone, "disputes"), {"reason": "x"})
    assert again.status_code == 409
    assert Dispute.objects.count() == 1


def test_a_milestone_of_another_contract_is_not_found(people: dict[str, Api]) -> None:
    mine = new_contract(people)
    other = offer().milestones.get()
    response = people["client"].post(f"/{mine.pk}/milestones/{other.pk}/accept")
    assert response.status_code == 404
