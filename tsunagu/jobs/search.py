"""The full-text index on SQLite (FTS5) and PostgreSQL (tsvector + GIN), one interface.

Both store the same token string (:func:`tsunagu.jobs.tokenize.token_string`) and match with
AND over the same query tokens, so a query finds the same rows on both databases. Relevance is
bm25() on SQLite and ts_rank_cd() on PostgreSQL (higher is better here on both).
"""

from __future__ import annotations

from typing import TypeVar

from django.db import connection
from django.db.models import Model, QuerySet

from tsunagu.jobs import tokenize
from tsunagu.jobs.models import JobSearchDocument, ProfileSearchDocument

M = TypeVar("M", bound=Model)

# kind -> (table of the search documents, its key column, FTS5 table, the searched model's table)
TABLES = {
    "job": ("jobs_jobsearchdocument", "job_id", "jobs_job_fts", "jobs_job"),
    "profile": ("jobs_profilesearchdocument", "profile_id", "jobs_profile_fts", "profiles_profile"),
}


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _fts_put(kind: str, pk: int, tokens: str) -> None:
    if connection.vendor != "sqlite":
        return
    fts = TABLES[kind][2]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {fts} WHERE rowid = %s", [pk])  # noqa: S608 - fixed names
        cursor.execute(f"INSERT INTO {fts}(rowid, tokens) VALUES (%s, %s)", [pk, tokens])  # noqa: S608


def _fts_delete(kind: str, pk: int) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLES[kind][2]} WHERE rowid = %s", [pk])  # noqa: S608


def job_document_put(*, job_id: int, text: str) -> None:
    """Store the tokens of a job's text (call inside the transaction that saves the job)."""
    tokens = tokenize.token_string(text)
    JobSearchDocument.objects.update_or_create(job_id=job_id, defaults={"tokens": tokens})
    _fts_put("job", job_id, tokens)


def profile_document_put(*, profile_id: int, text: str) -> None:
    tokens = tokenize.token_string(text)
    ProfileSearchDocument.objects.update_or_create(
        profile_id=profile_id, defaults={"tokens": tokens}
    )
    _fts_put("profile", profile_id, tokens)


def profile_document_delete(*, profile_id: int) -> None:
    ProfileSearchDocument.objects.filter(profile_id=profile_id).delete()
    _fts_delete("profile", profile_id)


def fts_clear() -> None:
    """Empty the SQLite FTS5 tables (before a full reindex); nothing to do on PostgreSQL."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for _table, _key, fts, _model in TABLES.values():
            cursor.execute(f"DELETE FROM {fts}")  # noqa: S608


def matching(
    qs: QuerySet[M], *, kind: str, terms: list[tokenize.Term], ranked: bool
) -> QuerySet[M]:
    """``qs`` narrowed to rows whose text holds every query term; with ``ranked``, each row
    gets ``rank`` (higher = more relevant) to order by."""
    table, key, fts, model_table = TABLES[kind]
    if is_postgres():
        query = tokenize.tsquery(terms)
        select = (
            {"rank": f"ts_rank_cd({table}.document, to_tsquery('simple', %s))"} if ranked else {}
        )
        return qs.extra(  # noqa: S610 - fixed SQL, the query text is a parameter
            tables=[table],
            where=[
                f"{table}.{key} = {model_table}.id",
                f"{table}.document @@ to_tsquery('simple', %s)",
            ],
            params=[query],
            select=select,
            select_params=[query] if ranked else [],
        )
    query = tokenize.fts5_query(terms)
    return qs.extra(  # noqa: S610
        tables=[fts],
        where=[f"{fts}.rowid = {model_table}.id", f"{fts} MATCH %s"],
        params=[query],
        select={"rank": f"-bm25({fts})"} if ranked else {},
    )
