"""Question search with the jobs' tokeniser, on SQLite (FTS5) and PostgreSQL (GIN): one- and
two-character Japanese words are found inside unsegmented text."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.qa.factories import category, person, question
from tsunagu.jobs import tokenize
from tsunagu.qa import search, selectors, services
from tsunagu.qa.models import QuestionSearchDocument

pytestmark = pytest.mark.django_db


def titles(query: str = "", category: str = "", status: str = "") -> list[str]:
    page = selectors.question_page(
        viewer=None,
        filters=selectors.QuestionFilter(query=query, category=category, status=status),
    )
    return [q.title for q in page.object_list]


@pytest.fixture
def asked() -> None:
    question(title="英文契約書の翻訳について", body="業務委託契約の和訳で注意する点は？")
    question(title="動画編集者の探し方", body="YouTube の動画を編集してくれる人を探しています")
    question(
        title="ロゴの依頼", body="飲食店のロゴを作りたいです", category_id=category("design").pk
    )


def test_backend_in_use() -> None:
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.usefixtures("asked")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("翻訳", ["英文契約書の翻訳について"]),  # two characters inside a longer run
        ("訳", ["英文契約書の翻訳について"]),  # one character
        ("動画", ["動画編集者の探し方"]),
        ("編集 動画", ["動画編集者の探し方"]),  # every word required, in any order
        ("youtube", ["動画編集者の探し方"]),
        ("ＹｏｕＴｕｂｅ", ["動画編集者の探し方"]),  # full-width letters normalised
        ("ロゴ 翻訳", []),
        ("！？", []),  # nothing searchable finds nothing
    ],
)
def test_query(query: str, expected: list[str]) -> None:
    assert titles(query) == expected


@pytest.mark.usefixtures("asked")
def test_search_with_category_and_status_filters() -> None:
    assert titles("ロゴ", category="design") == ["ロゴの依頼"]
    assert titles("ロゴ", category="translation") == []
    assert titles(status="closed") == []
    assert len(titles(status="open")) == 3


def test_the_document_holds_the_jobs_tokens() -> None:
    q = question(title="翻訳", body="記事")
    doc = QuestionSearchDocument.objects.get(question=q)
    assert doc.tokens == tokenize.token_string("翻訳\n記事")


def test_relevance_orders_the_results() -> None:
    question(title="翻訳の質問", body="翻訳 翻訳 翻訳の料金")
    question(title="料金の質問", body="ついでに翻訳も")
    assert titles("翻訳")[0] == "翻訳の質問"


def test_hidden_questions_are_not_found() -> None:
    staff = person()
    staff.is_staff = True
    staff.save()
    q = question(title="翻訳の相談")
    services.question_hide(question=q, by=staff, reason="spam")
    assert titles("翻訳") == []


def test_rebuild_indexes_every_question_again() -> None:
    question(title="翻訳の相談")
    QuestionSearchDocument.objects.all().delete()
    assert search.question_documents_rebuild() == 1
    assert titles("翻訳") == ["翻訳の相談"]


def test_the_reindex_command() -> None:
    import io

    from django.core.management import call_command

    question(title="記事の書き方")
    out = io.StringIO()
    call_command("qa_reindex", stdout=out)
    assert "1 questions indexed." in out.getvalue()
    assert titles("記事") == ["記事の書き方"]
