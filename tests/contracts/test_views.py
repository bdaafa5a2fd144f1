"""Contract pages: who sees what, every action's permission and wrong-state refusal, bad input
changing nothing, double submissions, both languages and query counts."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.contracts.docs import docx
from tests.contracts.factories import give_balance, offer
from tsunagu.accounts.models import User
from tsunagu.contracts.models import (
    CancellationRequest,
    Contract,
    Delivery,
    Dispute,
    Milestone,
    RevisionRequest,
)
from tsunagu.contracts.services import delivery_submit, milestone_fund_from_wallet
from tsunagu.contracts.states import ContractStatus, MilestoneStatus
from tsunagu.ledger.models import Transfer
from tsunagu.ledger.services import wallet_account
from tsunagu.profiles.models import Profile

pytestmark = pytest.mark.django_db


def named(name: str) -> User:
    user = UserFactory()
    Profile.objects.filter(user=user).update(display_name=name)
    user.refresh_from_db()
    return user


@pytest.fixture
def people() -> dict[str, User]:
    return {
        "client": named("つなぐ商店"),
        "worker": named("Hana"),
        "stranger": named("Someone else"),
        "staff": UserFactory(is_staff=True),
    }


def as_user(user: User) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def detail_url(contract: Contract) -> str:
    return reverse("contracts:detail", args=[contract.pk])


def milestone_url(name: str, milestone: Milestone) -> str:
    return reverse(f"contracts:{name}", args=[milestone.contract_id, milestone.pk])


def shown_messages(response: Any) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def funded_contract(people: dict[str, User], amount: int = 30_000) -> tuple[Contract, Milestone]:
    contract = offer(client=people["client"], worker=people["worker"], amounts=(amount,))
    milestone = contract.milestones.get()
    give_balance(people["client"], milestone.gross)
    milestone_fund_from_wallet(milestone=milestone, by=people["client"])
    milestone.refresh_from_db()
    return contract, milestone


def delivered_contract(people: dict[str, User]) -> tuple[Contract, Milestone]:
    contract, milestone = funded_contract(people)
    delivery_submit(milestone=milestone, by=people["worker"], message="納品します", files=[docx()])
    milestone.refresh_from_db()
    return contract, milestone


# --- list ----------------------------------------------------------------------------------------


def test_list_shows_my_contracts_as_client_and_as_worker_with_the_next_step(
    people: dict[str, User],
) -> None:
    mine_as_client = offer(client=people["client"], worker=people["worker"], title="記事作成")
    mine_as_worker = offer(
        client=people["worker"], worker=people["client"], title="翻訳の依頼", accept=False
    )
    offer(title="他人の契約")
    html = as_user(people["client"]).get(reverse("contracts:list")).content.decode()
    assert mine_as_client.title in html and mine_as_worker.title in html
    assert "他人の契約" not in html
    assert "¥33,000" in html  # 30,000 + 10% tax
    assert "の仮払いをしてください" in html  # the client's next step
    assert "取引条件を確認し" in html  # the next step where I am the worker


def test_list_needs_login() -> None:
    response = Client().get(reverse("contracts:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_runs_the_same_queries_for_one_contract_or_many(
    people: dict[str, User], django_assert_num_queries: Any
) -> None:
    browser = as_user(people["client"])
    offer(client=people["client"], worker=people["worker"])
    browser.get(reverse("contracts:list"))  # warm the session
    with django_assert_num_queries(8) as one:
        browser.get(reverse("contracts:list"))
    for _ in range(4):
        offer(client=people["client"], amounts=(1000, 2000))
    offer(client=UserFactory(), worker=people["client"])
    with django_assert_num_queries(len(one.captured_queries)):
        response = browser.get(reverse("contracts:list"))
    assert response.content.decode().count('class="card contract-row') == 6


def test_list_is_paginated(people: dict[str, User]) -> None:
    for _ in range(21):
        Contract.objects.create(client=people["client"], worker=people["worker"], title="x")
    browser = as_user(people["client"])
    first = browser.get(reverse("contracts:list")).content.decode()
    assert first.count('class="card contract-row') == 20
    second = browser.get(reverse("contracts:list") + "?page=2").content.decode()
    assert second.count('class="card contract-row') == 1


# --- detail --------------------------------------------------------------------------------------


def test_parties_and_staff_see_the_contract_and_a_stranger_gets_404(
    people: dict[str, User],
) -> None:
    contract = offer(client=people["client"], worker=people["worker"])
    url = detail_url(contract)
    for who in ("client", "worker", "staff"):
        response = as_user(people[who]).get(url)
        assert response.status_code == 200, who
        assert contract.title in response.content.decode()
    assert as_user(people["stranger"]).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_staff_reads_but_cannot_act(people: dict[str, User]) -> None:
    contract, milestone = delivered_contract(people)
    staff = as_user(people["staff"])
    html = staff.get(detail_url(contract)).content.decode()
    assert '<form method="post" action="' + milestone_url("accept", milestone) not in html
    assert "スタッフとして" in html or "as staff" in html
    response = staff.post(milestone_url("accept", milestone))
    assert response.status_code == 404
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DELIVERED


def test_worker_sees_why_delivery_waits_for_funding(people: dict[str, User]) -> None:
    contract = offer(client=people["client"], worker=people["worker"])
    html = as_user(people["worker"]).get(detail_url(contract)).content.decode()
    assert "仮払い" in html
    assert 'name="files"' not in html  # no delivery form before funding
    client_html = as_user(people["client"]).get(detail_url(contract)).content.decode()
    assert "残高から支払う" in client_html or "Pay from balance" in client_html


def test_detail_in_japanese_and_in_english(people: dict[str, User]) -> None:
    contract, _ = delivered_contract(people)
    browser = as_user(people["client"])
    ja = browser.get(detail_url(contract), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "マイルストーン" in ja and "¥33,000" in ja and "納品しました" in ja
    browser.cookies["tsunagu_language"] = "en"
    en = browser.get(detail_url(contract)).content.decode()
    assert "Milestones" in en and "¥33,000" in en and "delivered" in en


def test_timeline_is_in_the_viewers_time_zone(people: dict[str, User]) -> None:
    contract = offer(client=people["client"], worker=people["worker"])
    User.objects.filter(pk=people["worker"].pk).update(time_zone="America/Los_Angeles")
    html = as_user(people["worker"]).get(detail_url(contract)).content.decode()
    offered = timezone.localtime(contract.created_at, timezone=datetime.UTC).astimezone(
        __import__("zoneinfo").ZoneInfo("America/Los_Angeles")
    )
    assert offered.isoformat()[:16] in html  # the <time datetime="…"> in Los Angeles time


def test_detail_runs_a_fixed_number_of_queries(
    people: dict[str, User], django_assert_num_queries: Any
) -> None:
    contract, milestone = delivered_contract(people)
    browser = as_user(people["client"])
    browser.get(detail_url(contract))
    # 12 for the contract, 1 for the review box (tsunagu.trust's trust_contract_box)
    with django_assert_num_queries(13) as first:
        browser.get(detail_url(contract))
    # more deliveries, files and revision requests: still the same queries
    RevisionRequest.objects.create(
        milestone=milestone,
        delivery=milestone.deliveries.get(),
        message="x",
        created_by=people["client"],
    )
    Milestone.objects.filter(pk=milestone.pk).update(status=MilestoneStatus.REVISION_REQUESTED)
    delivery_submit(
        milestone=milestone, by=people["worker"], message="v2", files=[docx(), docx("b.docx")]
    )
    with django_assert_num_queries(len(first.captured_queries)):
        browser.get(detail_url(contract))


# --- terms ---------------------------------------------------------------------------------------


def test_terms_page_shows_every_field_and_the_hash(people: dict[str, User]) -> None:
    contract = offer(
        client=people["client"],
        worker=people["worker"],
        accept=False,
        amounts=(30_000, 20_000),
        withholding_category=True,
    )
    html = (
        as_user(people["worker"])
        .get(reverse("contracts:terms", args=[contract.pk]))
        .content.decode()
    )
    terms = contract.terms.data
    for text in (
        terms["client_name"],
        terms["worker_name"],
        terms["description"],
        terms["deliverables"],
        terms["delivery_method"],
        terms["payment_method"],
        "¥50,000",
        "¥5,000",
        "¥55,000",
        f"¥{terms['withholding']:,}",
        contract.terms.sha256,
    ):
        assert text in html, text
    assert reverse("contracts:accept_terms", args=[contract.pk]) in html
    assert (
        as_user(people["stranger"]).get(reverse("contracts:terms", args=[contract.pk])).status_code
        == 404
    )
    # the client reads the same terms but has nothing to answer
    client_html = (
        as_user(people["client"])
        .get(reverse("contracts:terms", args=[contract.pk]))
        .content.decode()
    )
    assert reverse("contracts:accept_terms", args=[contract.pk]) not in client_html


# --- offer ---------------------------------------------------------------------------------------


def offer_data(**overrides: Any) -> dict[str, Any]:
    due = timezone.localdate() + datetime.timedelta(days=14)
    data = {
        "title": "記事作成 5本",
        "description": "SEO記事を5本",
        "deliverables": "Word 5本",
        "inspection_days": "7",
        "revision_limit": "2",
        "payment_due": (due + datetime.timedelta(days=30)).isoformat(),
        "withholding_category": "on",
        "m-TOTAL_FORMS": "1",
        "m-INITIAL_FORMS": "1",
        "m-MIN_NUM_FORMS": "1",
        "m-MAX_NUM_FORMS": "20",
        "m-0-title": "第1回",
        "m-0-amount": "30000",
        "m-0-due_date": due.isoformat(),
    }
    data.update(overrides)
    return data


def offer_url(user: User) -> str:
    return reverse("contracts:offer", args=[user.profile.pk])


def test_offer_form_sends_an_offer(people: dict[str, User]) -> None:
    browser = as_user(people["client"])
    assert browser.get(offer_url(people["worker"])).status_code == 200
    response = browser.post(offer_url(people["worker"]), offer_data())
    contract = Contract.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(contract)
    assert contract.client == people["client"] and contract.worker == people["worker"]
    assert contract.terms.data["withholding_applies"] is True
    assert contract.terms.data["total"] == 33_000


def test_offer_with_worker_query_parameter(people: dict[str, User]) -> None:
    browser = as_user(people["client"])
    url = reverse("contracts:offer_pick") + f"?worker={people['worker'].profile.pk}"
    assert "Hana" in browser.get(url).content.decode()
    assert browser.get(reverse("contracts:offer_pick")).status_code == 302


def test_offer_errors_are_shown_on_their_fields_and_nothing_is_saved(
    people: dict[str, User],
) -> None:
    browser = as_user(people["client"])
    due = timezone.localdate() + datetime.timedelta(days=14)
    response = browser.post(
        offer_url(people["worker"]),
        offer_data(payment_due=(due + datetime.timedelta(days=61)).isoformat()),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'field field-error">\s*<label for="id_payment_due"', html)
    assert "60日" in html
    response = browser.post(
        offer_url(people["worker"]), offer_data(**{"m-0-amount": "0", "title": ""})
    )
    assert response.status_code == 400
    assert Contract.objects.count() == 0 and Milestone.objects.count() == 0


def test_add_and_remove_milestone_rows_without_javascript(people: dict[str, User]) -> None:
    browser = as_user(people["client"])
    response = browser.post(offer_url(people["worker"]), offer_data(add_milestone="1"))
    html = response.content.decode()
    assert 'name="m-1-title"' in html and 'value="第1回"' in html
    assert Contract.objects.count() == 0
    two = offer_data(
        **{"m-TOTAL_FORMS": "2", "m-1-title": "第2回", "m-1-amount": "5000", "m-1-due_date": ""},
        remove_milestone="0",
    )
    html = browser.post(offer_url(people["worker"]), two).content.decode()
    assert (
        'value="第2回"' in html and 'value="第1回"' not in html and 'name="m-1-title"' not in html
    )


def test_offer_estimate_partial_shows_tax_and_total(people: dict[str, User]) -> None:
    browser = as_user(people["client"])
    html = browser.post(
        reverse("contracts:offer_estimate"),
        offer_data(**{"m-TOTAL_FORMS": "2", "m-1-amount": "abc"}),
    ).content.decode()
    assert "¥30,000" in html and "¥3,000" in html and "¥33,000" in html
    assert "¥3,063" in html  # withholding 10.21% of 30,000


def test_offer_to_myself_is_refused(people: dict[str, User]) -> None:
    browser = as_user(people["client"])
    response = browser.post(offer_url(people["client"]), offer_data())
    assert response.status_code == 302
    assert Contract.objects.count() == 0


# --- accept terms, decline, cancel ---------------------------------------------------------------


def test_only_the_worker_accepts_and_a_double_post_is_harmless(people: dict[str, User]) -> None:
    contract = offer(client=people["client"], worker=people["worker"], accept=False)
    url = reverse("contracts:accept_terms", args=[contract.pk])
    response = as_user(people["client"]).post(url)
    assert any("受注者" in m or "worker" in m for m in shown_messages(response))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.OFFERED
    assert as_user(people["stranger"]).post(url).status_code == 404
    worker = as_user(people["worker"])
    assert worker.post(url).status_code == 302
    again = worker.post(url)
    assert again.status_code == 302 and shown_messages(again)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE


def test_actions_need_post(people: dict[str, User]) -> None:
    contract = offer(client=people["client"], worker=people["worker"], accept=False)
    assert (
        as_user(people["worker"])
        .get(reverse("contracts:accept_terms", args=[contract.pk]))
        .status_code
        == 405
    )


def test_worker_declines_and_client_cancels(people: dict[str, User]) -> None:
    declined = offer(client=people["client"], worker=people["worker"], accept=False)
    as_user(people["worker"]).post(reverse("contracts:decline", args=[declined.pk]))
    declined.refresh_from_db()
    assert declined.status == ContractStatus.DECLINED
    cancelled = offer(client=people["client"], worker=people["worker"])
    as_user(people["client"]).post(reverse("contracts:cancel", args=[cancelled.pk]))
    cancelled.refresh_from_db()
    assert cancelled.status == ContractStatus.CANCELLED


def test_cancel_with_money_in_escrow_is_refused(people: dict[str, User]) -> None:
    contract, _milestone = funded_contract(people)
    response = as_user(people["client"]).post(reverse("contracts:cancel", args=[contract.pk]))
    assert any("仮払い" in m for m in shown_messages(response))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE


# --- funding -------------------------------------------------------------------------------------


def test_fund_from_balance(people: dict[str, User]) -> None:
    contract = offer(client=people["client"], worker=people["worker"])
    milestone = contract.milestones.get()
    url = milestone_url("fund", milestone)
    browser = as_user(people["client"])
    response = browser.post(url, {"method": "wallet"})
    assert any("残高" in m for m in shown_messages(response))
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.UNFUNDED
    give_balance(people["client"], 40_000)
    assert "¥40,000" in browser.get(detail_url(contract)).content.decode()
    as_user(people["worker"]).post(url, {"method": "wallet"})
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.UNFUNDED
    browser.post(url, {"method": "wallet"})
    browser.post(url, {"method": "wallet"})  # double click
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDED
    assert Transfer.objects.filter(kind="pending").count() == 1
    assert wallet_account(user_id=people["client"].pk, currency="JPY").available == 7_000


def test_fund_with_an_unknown_method_changes_nothing(people: dict[str, User]) -> None:
    contract = offer(client=people["client"], worker=people["worker"])
    milestone = contract.milestones.get()
    response = as_user(people["client"]).post(milestone_url("fund", milestone), {"method": "cash"})
    assert shown_messages(response)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.UNFUNDED


@pytest.mark.django_db(transaction=True)
def test_fund_by_card_succeeds_or_shows_the_decline_reason(people: dict[str, User]) -> None:
    browser = as_user(people["client"])
    paid = offer(client=people["client"], worker=people["worker"])
    milestone = paid.milestones.get()
    response = browser.post(milestone_url("fund", milestone), {"method": "card"}, follow=True)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDED
    assert "カード" in response.content.decode()
    declined = offer(client=people["client"], worker=people["worker"], amounts=(9_457,))
    milestone = declined.milestones.get()
    response = browser.post(milestone_url("fund", milestone), {"method": "card"}, follow=True)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.UNFUNDED
    html = response.content.decode()
    assert "カードが拒否されました" in html or "card was declined" in html


# --- delivery, files -----------------------------------------------------------------------------


def test_empty_document_is_refused_beside_the_upload_field(people: dict[str, User]) -> None:
    _contract, milestone = funded_contract(people)
    response = as_user(people["worker"]).post(
        milestone_url("deliver", milestone),
        {"message": "納品します", "files": [docx("empty.docx", text="")]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "empty.docx" in html and "内容がありません" in html
    assert "納品します</textarea>" in html  # what was typed is kept
    assert not Delivery.objects.exists()
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDED


def test_delivery_before_funding_and_by_the_client_is_refused(people: dict[str, User]) -> None:
    contract = offer(client=people["client"], worker=people["worker"])
    milestone = contract.milestones.get()
    response = as_user(people["worker"]).post(
        milestone_url("deliver", milestone), {"message": "x", "files": [docx()]}
    )
    assert any("仮払い" in m for m in shown_messages(response))
    contract, milestone = funded_contract(people)
    as_user(people["client"]).post(
        milestone_url("deliver", milestone), {"message": "x", "files": [docx()]}
    )
    assert (
        as_user(people["stranger"])
        .post(milestone_url("deliver", milestone), {"message": "x", "files": [docx()]})
        .status_code
        == 404
    )
    assert not Delivery.objects.exists()


def test_deliver_and_download_by_parties_and_staff_only(people: dict[str, User]) -> None:
    contract, milestone = funded_contract(people)
    response = as_user(people["worker"]).post(
        milestone_url("deliver", milestone), {"message": "納品します", "files": [docx("記事.docx")]}
    )
    assert response.status_code == 302
    item = Delivery.objects.get().files.get()
    html = as_user(people["client"]).get(detail_url(contract)).content.decode()
    assert "記事.docx" in html and item.sha256 in html
    url = reverse("contracts:file", args=[item.pk])
    for who in ("client", "worker", "staff"):
        download = as_user(people[who]).get(url)
        assert download.status_code == 200, who
        assert b"".join(download.streaming_content).startswith(b"PK")  # type: ignore[attr-defined]
        assert "attachment" in download["Content-Disposition"]
    assert as_user(people["stranger"]).get(url).status_code == 404


# --- inspection ----------------------------------------------------------------------------------


def test_revision_needs_a_message_and_only_the_client_may_ask(people: dict[str, User]) -> None:
    _contract, milestone = delivered_contract(people)
    url = milestone_url("revision", milestone)
    response = as_user(people["client"]).post(url, {"message": "  "})
    assert response.status_code == 400
    assert "5,000" in response.content.decode()
    as_user(people["worker"]).post(url, {"message": "直して"})
    assert not RevisionRequest.objects.exists()
    as_user(people["client"]).post(url, {"message": "見出しを直してください"})
    as_user(people["client"]).post(url, {"message": "見出しを直してください"})
    assert RevisionRequest.objects.count() == 1
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.REVISION_REQUESTED


def test_accept_pays_the_worker_and_shows_the_split(people: dict[str, User]) -> None:
    contract, milestone = delivered_contract(people)
    url = milestone_url("accept", milestone)
    as_user(people["worker"]).post(url)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DELIVERED
    client = as_user(people["client"])
    client.post(url)
    client.post(url)  # double click
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.RELEASED
    # 33,000 gross − 6,000 platform fee (20%) = 27,000; no withholding in these terms
    assert wallet_account(user_id=people["worker"].pk, currency="JPY").balance == 27_000
    html = as_user(people["worker"]).get(detail_url(contract)).content.decode()
    assert "¥27,000" in html and "¥6,000" in html
    assert reverse("payments:wallet") in html


# --- cancellation and dispute --------------------------------------------------------------------


def test_cancellation_by_agreement(people: dict[str, User]) -> None:
    contract, milestone = funded_contract(people)
    url = milestone_url("cancellation_propose", milestone)
    bad = as_user(people["client"]).post(url, {"release_amount": "999999", "reason": "x"})
    assert bad.status_code == 400 and not CancellationRequest.objects.exists()
    as_user(people["client"]).post(url, {"release_amount": "10000", "reason": "方針が変わりました"})
    request = CancellationRequest.objects.get()
    answer = reverse("contracts:cancellation_respond", args=[contract.pk, request.pk])
    own = as_user(people["client"]).post(answer, {"answer": "accept"})
    assert shown_messages(own)
    assert as_user(people["stranger"]).post(answer, {"answer": "accept"}).status_code == 404
    html = as_user(people["worker"]).get(detail_url(contract)).content.decode()
    assert "方針が変わりました" in html and answer in html
    as_user(people["worker"]).post(answer, {"answer": "accept"})
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.SETTLED and milestone.released_amount == 10_000


def test_withdraw_a_cancellation_proposal(people: dict[str, User]) -> None:
    contract, milestone = funded_contract(people)
    as_user(people["worker"]).post(
        milestone_url("cancellation_propose", milestone),
        {"release_amount": "0", "reason": "体調不良"},
    )
    request = CancellationRequest.objects.get()
    url = reverse("contracts:cancellation_withdraw", args=[contract.pk, request.pk])
    as_user(people["client"]).post(url)
    request.refresh_from_db()
    assert request.status == "open"
    as_user(people["worker"]).post(url)
    request.refresh_from_db()
    assert request.status == "withdrawn"


def test_open_a_dispute(people: dict[str, User]) -> None:
    contract, milestone = delivered_contract(people)
    url = milestone_url("dispute", milestone)
    response = as_user(people["client"]).post(url, {"reason": ""})
    assert response.status_code == 400 and not Dispute.objects.exists()
    assert as_user(people["stranger"]).post(url, {"reason": "x"}).status_code == 404
    as_user(people["client"]).post(url, {"reason": "納品物が仕様と違います"})
    as_user(people["client"]).post(url, {"reason": "納品物が仕様と違います"})
    assert Dispute.objects.count() == 1
    html = as_user(people["worker"]).get(detail_url(contract)).content.decode()
    assert "納品物が仕様と違います" in html
