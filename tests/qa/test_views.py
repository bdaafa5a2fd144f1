"""The ask-an-expert pages with a second and a third person: each refusal says why in the
reader's language and changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.qa.conftest import snapshot
from tests.qa.factories import answer, category, person, question
from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract
from tsunagu.qa import rules, services
from tsunagu.qa.models import Answer, HelpfulVote, Question, QuestionOffer

pytestmark = pytest.mark.django_db


def as_user(user: User | None) -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="ja")
    if user is not None:
        browser.force_login(user)
    return browser


def text(response: Any) -> str:
    return str(response.content.decode())


def refused_page(call: Any, status: int, message: str) -> str:
    before = snapshot()
    response = call()
    assert response.status_code == status, text(response)[:500]
    page = text(response)
    assert message in page
    assert snapshot() == before
    return page


def test_list_search_and_category_filter() -> None:
    question(title="契約書の翻訳について", body="英文契約書の翻訳")
    question(title="ロゴを作りたい", body="お店のロゴ", category_id=category("design").pk)
    page = text(as_user(None).get("/questions/"))
    assert "契約書の翻訳について" in page and "ロゴを作りたい" in page
    found = text(as_user(None).get("/questions/", {"q": "翻訳"}))
    assert "契約書の翻訳について" in found and "ロゴを作りたい" not in found
    design = text(as_user(None).get("/questions/", {"category": "design"}))
    assert "ロゴを作りたい" in design and "契約書の翻訳について" not in design
    partial = as_user(None).get("/questions/", {"q": "ロゴ"}, HTTP_HX_REQUEST="true")
    assert text(partial).lstrip().startswith("<section") and "ロゴを作りたい" in text(partial)


def test_list_runs_a_constant_number_of_queries(django_assert_max_num_queries: Any) -> None:
    for i in range(6):
        q = question(title=f"質問{i}")
        answer(q)
    with django_assert_max_num_queries(12):
        response = as_user(None).get("/questions/", {"q": "質問"})
    assert text(response).count('data-testid="question-card"') == 6


def test_ask_through_the_form_with_a_named_expert() -> None:
    asker, expert = person(), person("田中")
    browser = as_user(asker)
    form = browser.get(f"/questions/ask/?expert={expert.profile.pk}")
    assert "田中さんを指名して質問します" in text(form)
    response = browser.post(
        "/questions/ask/",
        {
            "title": "翻訳の相場",
            "body": "相場を教えてください",
            "category": category().pk,
            "expert": expert.profile.pk,
        },
    )
    q = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/questions/{q.pk}/"
    assert q.expert == expert and q.asker == asker


def test_a_visitor_is_sent_to_log_in_to_ask() -> None:
    response = as_user(None).get("/questions/ask/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"title": ""}, "質問のタイトルを書いてください。"),
        ({"body": "あ" * (rules.BODY_MAX + 1)}, "質問は5000文字までです。"),
        (
            {"body": "連絡は yamada.taro@gmail.com へ"},
            "外部連絡先（メールアドレス）が含まれています",
        ),
        ({"title": "電話ください 〇九〇・一二三四・五六七八"}, "投稿されませんでした"),
    ],
)
def test_bad_questions_say_why_and_store_nothing(values: dict[str, str], message: str) -> None:
    data = {"title": "翻訳の相場", "body": "相場を教えてください", "category": category().pk}
    data.update(values)
    page = refused_page(lambda: as_user(person()).post("/questions/ask/", data), 400, message)
    if "gmail" in str(values):
        assert "<mark" in page  # the part to remove is shown


def test_answer_through_the_page_and_the_asker_is_told() -> None:
    q = question()
    expert = person("鈴木")
    response = as_user(expert).post(
        f"/questions/{q.pk}/answer/", {"body": "用語集を作りましょう。"}
    )
    made = Answer.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#answer-{made.pk}")
    page = text(as_user(q.asker).get(f"/questions/{q.pk}/"))
    assert "用語集を作りましょう。" in page and "ベストアンサーに選ぶ" in page
    assert "鈴木さんに発注する" in page


def test_answer_refusals_on_the_page() -> None:
    asker = person()
    q = question(asker)
    refused_page(
        lambda: as_user(person()).post(
            f"/questions/{q.pk}/answer/", {"body": "メール yamada.taro@gmail.com"}
        ),
        400,
        "外部連絡先",
    )
    refused_page(
        lambda: as_user(person()).post(f"/questions/{q.pk}/answer/", {"body": ""}),
        400,
        "回答を書いてください。",
    )
    refused_page(
        lambda: as_user(asker).post(f"/questions/{q.pk}/answer/", {"body": "自答"}),
        400,
        "自分の質問には回答できません。",
    )
    services.question_close(question=q, by=asker)
    refused_page(
        lambda: as_user(person()).post(f"/questions/{q.pk}/answer/", {"body": "遅れて回答"}),
        400,
        "この質問は締め切られています。",
    )
    page = text(as_user(person()).get(f"/questions/{q.pk}/"))
    assert f'action="/questions/{q.pk}/answer/"' not in page
    assert "回答は受け付けていません" in page


def test_best_answer_and_close_only_by_the_asker() -> None:
    asker, author, third = person(), person(), person()
    q = question(asker)
    a = answer(q, author)
    before = snapshot()
    response = as_user(third).post(f"/questions/{q.pk}/answers/{a.pk}/best/", follow=True)
    assert "質問した人だけがこの操作をできます。" in text(response)
    response = as_user(third).post(f"/questions/{q.pk}/close/", follow=True)
    assert "質問した人だけがこの操作をできます。" in text(response)
    assert snapshot() == before
    as_user(asker).post(f"/questions/{q.pk}/answers/{a.pk}/best/")
    q.refresh_from_db()
    assert q.best_answer == a
    page = text(as_user(third).get(f"/questions/{q.pk}/"))
    assert 'data-testid="best"' in page and "ベストアンサーに選ぶ" not in page
    as_user(asker).post(f"/questions/{q.pk}/close/")
    q.refresh_from_db()
    assert not q.is_open


def test_votes_by_htmx_once_and_never_on_ones_own() -> None:
    q = question()
    author, voter = person(), person()
    a = answer(q, author)
    url = f"/questions/{q.pk}/answers/{a.pk}/vote/"
    first = as_user(voter).post(url, {"action": "vote"}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and 'aria-pressed="true"' in text(first)
    assert '<span class="vote-count">1</span>' in text(first)
    refused_page(
        lambda: as_user(voter).post(url, {"action": "vote"}, HTTP_HX_REQUEST="true"),
        400,
        "この回答にはすでに「役に立った」を付けています。",
    )
    refused_page(
        lambda: as_user(author).post(url, {"action": "vote"}, HTTP_HX_REQUEST="true"),
        400,
        "自分の回答に「役に立った」は付けられません。",
    )
    back = as_user(voter).post(url, {"action": "unvote"}, HTTP_HX_REQUEST="true")
    assert back.status_code == 200 and 'aria-pressed="false"' in text(back)
    assert not HelpfulVote.objects.exists()


def test_edit_page_for_the_author_only_and_never_once_best() -> None:
    asker, author = person(), person()
    q = question(asker)
    a = answer(q, author, "最初の文面")
    url = f"/questions/{q.pk}/answers/{a.pk}/edit/"
    stranger = as_user(person()).get(url, follow=True)
    assert "回答を編集できるのは回答者だけです。" in text(stranger)
    assert as_user(author).post(url, {"body": "直した文面"}).status_code == 302
    a.refresh_from_db()
    assert a.body == "直した文面" and a.revisions.get().body == "最初の文面"
    services.answer_mark_best(question=q, answer=a, by=asker)
    refused_page(
        lambda: as_user(author).post(url, {"body": "後から"}), 400, "ベストアンサーに選ばれたため"
    )


def test_hidden_questions_are_404_for_others() -> None:
    staff = person()
    staff.is_staff = True
    staff.save()
    q = question()
    a = answer(q)
    services.question_hide(question=q, by=staff, reason="spam")
    assert as_user(person()).get(f"/questions/{q.pk}/").status_code == 404
    assert as_user(q.asker).get(f"/questions/{q.pk}/").status_code == 404
    assert as_user(person()).post(f"/questions/{q.pk}/answers/{a.pk}/vote/").status_code == 404
    assert as_user(staff).get(f"/questions/{q.pk}/").status_code == 200


def test_an_answer_becomes_an_offer_prefilled_and_linked_to_the_question() -> None:
    asker, expert, third = person(), person("田中"), person()
    q = question(asker, title="契約書の翻訳をお願いしたい")
    a = answer(q, expert)
    url = f"/questions/{q.pk}/answers/{a.pk}/offer/"
    refused = as_user(third).get(url, follow=True)
    assert "質問した人だけがこの操作をできます。" in text(refused)
    form = as_user(asker).get(url)
    page = text(form)
    assert form.status_code == 200 and "田中" in page
    assert 'value="契約書の翻訳をお願いしたい"' in page
    assert f"http://testserver/questions/{q.pk}/" in page
    # the same form as any offer, the estimate of hours a week included
    assert 'data-testid="offer-from-question"' in page and 'name="weekly_hours"' in page
    due = timezone.localdate() + datetime.timedelta(days=14)
    data = {
        "title": "契約書の翻訳をお願いしたい",
        "description": f"質問 http://testserver/questions/{q.pk}/ から",
        "deliverables": "Word ファイル",
        "inspection_days": 7,
        "revision_limit": 2,
        "payment_due": (due + datetime.timedelta(days=30)).isoformat(),
        "withholding_category": "on",
        "m-TOTAL_FORMS": 1,
        "m-INITIAL_FORMS": 0,
        "m-0-title": "翻訳",
        "m-0-amount": 30000,
        "m-0-due_date": due.isoformat(),
        "weekly_hours": 6,
    }
    response = as_user(asker).post(url, data)
    contract = Contract.objects.get()
    assert contract.weekly_hours == 6
    assert response.status_code == 302 and response["Location"] == f"/contracts/{contract.pk}/"
    assert contract.worker == expert and contract.client == asker
    link = QuestionOffer.objects.get()
    assert link.contract == contract and link.question == q and link.answer == a
    assert "1件の発注を送信済み" in text(as_user(asker).get(f"/questions/{q.pk}/"))


def test_a_bad_offer_changes_nothing() -> None:
    asker = person()
    q = question(asker)
    a = answer(q)
    refused_page(
        lambda: as_user(asker).post(
            f"/questions/{q.pk}/answers/{a.pk}/offer/",
            {"title": "", "m-TOTAL_FORMS": 1, "m-INITIAL_FORMS": 0},
        ),
        400,
        "field-error",
    )


def test_profile_shows_answers_and_best_answers() -> None:
    expert = person()
    q1, q2 = question(), question(title="別の質問")
    a1 = answer(q1, expert)
    answer(q2, expert)
    services.answer_mark_best(question=q1, answer=a1, by=q1.asker)
    page = text(as_user(person()).get(f"/profiles/{expert.profile.pk}/"))
    assert 'data-testid="qa-standing"' in page
    assert "2件の回答" in page and "ベストアンサー1件" in page
    assert f"/questions/ask/?expert={expert.profile.pk}" in page


def test_pages_in_english() -> None:
    q = question()
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/questions/{q.pk}/")
    assert "No answers yet." in text(page)
    listing = Client(HTTP_ACCEPT_LANGUAGE="en").get("/questions/")
    assert "Ask an expert" in text(listing)


def test_solicitation_is_posted_with_a_warning_on_the_page() -> None:
    asker = person()
    response = as_user(asker).post(
        "/questions/ask/",
        {
            "title": "外注の相談",
            "body": "サイト外で直接取引しませんか？手数料がかからないので",
            "category": category().pk,
        },
        follow=True,
    )
    page = text(response)
    assert "注意書き付きで投稿されました" in page
    assert 'data-notice="solicit"' in page


def test_the_question_page_runs_a_constant_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    q = question()
    for _ in range(5):
        services.answer_vote(answer=answer(q), by=person())
    viewer = as_user(person())
    with django_assert_max_num_queries(14):
        response = viewer.get(f"/questions/{q.pk}/")
    assert text(response).count('data-testid="answer"') == 5


def test_asking_an_unknown_or_oneself_as_expert_is_refused() -> None:
    asker = person()
    data = {"title": "翻訳の相場", "body": "相場を教えてください", "category": category().pk}
    refused_page(
        lambda: as_user(asker).post("/questions/ask/", {**data, "expert": 999_999}),
        400,
        "質問先の人が見つかりません。",
    )
    refused_page(
        lambda: as_user(asker).post("/questions/ask/", {**data, "expert": asker.profile.pk}),
        400,
        "自分自身には質問できません。",
    )
