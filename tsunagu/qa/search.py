"""Question search in Japanese with the jobs' tokeniser, on SQLite (FTS5) and PostgreSQL (GIN).

The same token string as jobs (:func:`tsunagu.jobs.tokenize.token_string`: words, CJK bigrams and
unigrams) is stored per question, and a query needs every token of every term, so 1- and
2-character words such as 翻訳 are found inside unsegmented text on both databases.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from tsunagu.jobs import tokenize
from tsunagu.qa.models import Question, QuestionSearchDocument

FTS = "qa_question_fts"


def question_text(question: Question) -> str:
    return f"{question.title}\n{question.body}"


def question_document_put(*, question: Question) -> None:
    """Store the tokens of a question (inside the transaction that saves it)."""
    tokens = tokenize.token_string(question_text(question))
    QuestionSearchDocument.objects.update_or_create(
        question_id=question.pk, defaults={"tokens": tokens}
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS} WHERE rowid = %s", [question.pk])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {FTS}(rowid, tokens) VALUES (%s, %s)",  # noqa: S608 - fixed name
                [question.pk, tokens],
            )


def question_documents_rebuild() -> int:
    """Tokenise every question again (after a tokeniser change); the number indexed."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS}")  # noqa: S608
    QuestionSearchDocument.objects.all().delete()
    count = 0
    for question in Question.objects.iterator():
        question_document_put(question=question)
        count += 1
    return count


def matching(qs: QuerySet[Question], query: str) -> QuerySet[Question] | None:
    """``qs`` narrowed to questions holding every term of ``query``, each with ``rank`` (higher is
    more relevant); ``None`` when the query holds nothing searchable."""
    terms = tokenize.query_terms(query)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        tsquery = tokenize.tsquery(terms)
        return qs.extra(
            tables=["qa_questionsearchdocument"],
            where=[
                "qa_questionsearchdocument.question_id = qa_question.id",
                "qa_questionsearchdocument.document @@ to_tsquery('simple', %s)",
            ],
            params=[tsquery],
            select={
                "rank": "ts_rank_cd(qa_questionsearchdocument.document, to_tsquery('simple', %s))"
            },
            select_params=[tsquery],
        )
    return qs.extra(  # noqa: S610
        tables=[FTS],
        where=[f"{FTS}.rowid = qa_question.id", f"{FTS} MATCH %s"],
        params=[tokenize.fts5_query(terms)],
        select={"rank": f"-bm25({FTS})"},
    )
