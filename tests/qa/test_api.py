"""/api/v1/questions with a second and a third person: every refusal is a clear error in the
caller's language and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.api.factories import bearer, make_token
from tests.qa.conftest import snapshot
from tests.qa.factories import answer, person, question
from tsunagu.accounts.models import User
from tsunagu.qa import rules, services
from tsunagu.qa.models import HelpfulVote, Question

pytestmark = pytest.mark.django_db

BASE = "/api/v1/questions"


class Api:
    made = 0

    def __init__(self, user: User | None, language: str = "ja") -> None:
        self.client = Client()
        self.headers: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": language}
        if user is not None:
            Api.made += 1
            secret = make_token(user=user, name=f"script {Api.made}")[1]
            self.headers.update(bearer(secret))

    def get(self, path: str) -> Any:
        return self.client.get(BASE + path, **self.headers)

    def send(self, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
        return getattr(self.client, method)(
            BASE + path,
            data=json.dumps(data or {}),
            content_type="application/json",
            **self.headers,
        )

    def post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.send("post", path, data)


def refused(call: Any, status: int, code: str) -> dict[str, Any]:
    before = snapshot()
    response = call()
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert snapshot() == before
    return body


def ask_values(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "翻訳の相場は？",
        "body": "技術文書の英日翻訳をお願いする場合の相場を知りたいです。",
        "category": "translation",
        **overrides,
    }


def test_ask_answer_vote_best_close_through_the_api() -> None:
    asker, expert, voter = person("佐藤"), person("田中"), person()
    made = Api(asker).post("", ask_values(expert_profile_id=expert.profile.pk))
    assert made.status_code == 201, made.content
    qid = made.json()["id"]
    assert made.json()["expert"]["display_name"] == "田中"
    answered = Api(expert).post(f"/{qid}/answers", {"body": "1文字あたり10円前後が目安です。"})
    assert answered.status_code == 201, answered.content
    aid = answered.json()["id"]
    voted = Api(voter).post(f"/{qid}/answers/{aid}/vote")
    assert voted.status_code == 201 and voted.json() == {
        "answer_id": aid,
        "helpful": 1,
        "voted": True,
    }
    best = Api(asker).post(f"/{qid}/best", {"answer_id": aid})
    assert best.status_code == 200 and best.json()["best_answer_id"] == aid
    assert best.json()["answers"][0]["is_best"] is True
    closed = Api(asker).post(f"/{qid}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    detail = Api(None).get(f"/{qid}")
    assert detail.status_code == 200 and detail.json()["answers"][0]["helpful"] == 1


def test_list_search_and_category_filter_for_anyone() -> None:
    question(title="契約書の翻訳", body="英文契約書を訳してほしい")
    question(title="ロゴのデザイン", body="店のロゴ", category_id=None or 0) if False else None
    from tests.qa.factories import category

    question(title="ロゴのデザイン", body="店のロゴを作りたい", category_id=category("design").pk)
    api = Api(None)
    assert api.get("").json()["count"] == 2
    found = api.get("?q=翻訳").json()
    assert [r["title"] for r in found["results"]] == ["契約書の翻訳"]
    assert [r["title"] for r in api.get("?category=design").json()["results"]] == ["ロゴのデザイン"]
    assert api.get("?q=訳").json()["count"] == 1


def test_voting_twice_and_on_ones_own_answer_are_refused() -> None:
    q = question()
    author, voter = person(), person()
    a = answer(q, author)
    Api(voter).post(f"/{q.pk}/answers/{a.pk}/vote")
    body = refused(lambda: Api(voter).post(f"/{q.pk}/answers/{a.pk}/vote"), 409, "already_voted")
    assert body["message"] == "この回答にはすでに「役に立った」を付けています。"
    refused(lambda: Api(author).post(f"/{q.pk}/answers/{a.pk}/vote"), 403, "own_answer")
    assert HelpfulVote.objects.count() == 1


def test_answering_a_closed_question_is_refused() -> None:
    asker = person()
    q = question(asker)
    services.question_close(question=q, by=asker)
    body = refused(
        lambda: Api(person()).post(f"/{q.pk}/answers", {"body": "遅れてすみません"}), 409, "closed"
    )
    assert "締め切" in body["message"]


def test_best_on_someone_elses_question_and_closing_it_are_forbidden() -> None:
    q = question()
    a = answer(q)
    third = person()
    refused(lambda: Api(third).post(f"/{q.pk}/best", {"answer_id": a.pk}), 403, "not_the_asker")
    refused(lambda: Api(third).post(f"/{q.pk}/close"), 403, "not_the_asker")


def test_contact_details_are_422_with_the_parts_found() -> None:
    asker = person()
    body = refused(
        lambda: Api(asker).post("", ask_values(body="連絡は yamada.taro@gmail.com へ")),
        422,
        "contact_blocked",
    )
    assert body["findings"][0]["kind"] == "email"
    assert body["errors"][0]["field"] == "body"
    q = question()
    body = refused(
        lambda: Api(person()).post(
            f"/{q.pk}/answers", {"body": "電話ください 〇九〇・一二三四・五六七八"}
        ),
        422,
        "contact_blocked",
    )
    assert body["findings"][0]["kind"] == "phone"


def test_bad_values_are_422_in_the_callers_language() -> None:
    asker = person()
    body = refused(lambda: Api(asker).post("", ask_values(title="")), 422, "title_required")
    assert body["message"] == "質問のタイトルを書いてください。"
    english = refused(
        lambda: Api(asker, "en").post("", ask_values(body="あ" * (rules.BODY_MAX + 1))),
        422,
        "body_too_long",
    )
    assert english["message"] == "The question can be at most 5000 characters."
    refused(lambda: Api(asker).post("", ask_values(category="nope")), 422, "unknown_category")
    refused(lambda: Api(asker).post("", ask_values(extra=1)), 422, "invalid")
    refused(
        lambda: Api(asker).post("", ask_values(expert_profile_id=asker.profile.pk)),
        422,
        "self_expert",
    )


def test_a_visitor_cannot_write_and_hidden_questions_are_404() -> None:
    q = question()
    refused(lambda: Api(None).post("", ask_values()), 401, "not_authenticated")
    staff = person()
    staff.is_staff = True
    staff.save()
    services.question_hide(question=q, by=staff, reason="spam")
    refused(lambda: Api(person()).get(f"/{q.pk}"), 404, "not_found")
    refused(lambda: Api(person()).post(f"/{q.pk}/answers", {"body": "回答"}), 404, "not_found")
    assert Api(None).get("").json()["count"] == 0
    assert Question.objects.count() == 1


def test_edit_keeps_revisions_and_is_refused_once_best() -> None:
    asker, author = person(), person()
    q = question(asker)
    a = answer(q, author)
    api = Api(author)
    edited = api.send("put", f"/{q.pk}/answers/{a.pk}", {"body": "書き直しました。"})
    assert edited.status_code == 200 and edited.json()["edited_at"]
    refused(
        lambda: Api(asker).send("put", f"/{q.pk}/answers/{a.pk}", {"body": "x"}),
        403,
        "not_the_author",
    )
    services.answer_mark_best(question=q, answer=a, by=asker)
    refused(
        lambda: api.send("put", f"/{q.pk}/answers/{a.pk}", {"body": "後で"}), 409, "best_locked"
    )


def test_the_asker_sees_the_contracts_offered_from_the_question() -> None:
    import datetime

    from django.utils import timezone

    from tsunagu.contracts.services import MilestoneInput

    asker, expert = person(), person()
    q = question(asker)
    a = answer(q, expert)
    due = timezone.localdate() + datetime.timedelta(days=14)
    contract = services.answer_offer(
        answer=a,
        by=asker,
        title=q.title,
        description="質問への回答を受けて",
        deliverables="翻訳文",
        milestones=[MilestoneInput(title="翻訳", amount=20_000, due_date=due)],
        payment_due=due + datetime.timedelta(days=30),
    )
    assert Api(asker).get(f"/{q.pk}").json()["offered_contract_ids"] == [contract.pk]
    assert Api(expert).get(f"/{q.pk}").json()["offered_contract_ids"] == []


def offer_terms(**overrides: Any) -> dict[str, Any]:
    import datetime

    from django.utils import timezone

    due = timezone.localdate() + datetime.timedelta(days=14)
    return {
        "title": "契約書の翻訳",
        "description": "質問への回答を受けての発注です。",
        "deliverables": "翻訳文（Word）",
        "milestones": [{"title": "翻訳", "amount": 30000, "due_date": due.isoformat()}],
        "payment_due": (due + datetime.timedelta(days=30)).isoformat(),
        **overrides,
    }


def test_an_offer_from_an_answer_through_the_api() -> None:
    from tsunagu.contracts.models import Contract
    from tsunagu.qa.models import QuestionOffer

    asker, expert, third = person(), person("田中"), person()
    q = question(asker)
    a = answer(q, expert)
    url = f"/{q.pk}/answers/{a.pk}/offer"
    refused(lambda: Api(third).post(url, offer_terms()), 403, "not_the_asker")
    refused(lambda: Api(asker).post(url, offer_terms(payment_due="2000-01-01")), 422, "invalid")
    made = Api(asker).post(url, offer_terms(weekly_hours=6))
    assert made.status_code == 201, made.content
    body = made.json()
    contract = Contract.objects.get()
    assert body == {
        "contract_id": contract.pk,
        "question_id": q.pk,
        "answer_id": a.pk,
        "worker": {"profile_id": expert.profile.pk, "display_name": "田中"},
    }
    assert QuestionOffer.objects.get().contract == contract
    assert contract.worker == expert and contract.weekly_hours == 6
