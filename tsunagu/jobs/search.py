"""The full-text index on SQLite (FTS5) and PostgreSQL (tsvector + GIN), one interface.

Both store the same token string (:func:`tsunagu.jobs.tokenize.token_string`) and match with
AND over the same query tokens, so a query finds the same rows on both databases. Relevance is
bm25() on SQLite and ts_rank_cd() on PostgreSQL (higher is better here on both).

A job's document also holds *markers* (:func:`job_markers`): whether it is listed (open and
public), its category, its type and its id window. They start with ``_``, which the tokeniser
never produces, and sit in their own FTS5 column (weight 0 in bm25) or are added to the tsvector
verbatim (never in the ranking query), so they change no score. With them the job search page
counts and picks its rows from the index alone (:func:`job_candidates`) instead of joining every
match back to ``jobs_job``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

from tsunagu.jobs import tokenize
from tsunagu.jobs.models import JobSearchDocument, JobStatus, ProfileSearchDocument, Visibility

M = TypeVar("M", bound=Model)

# kind -> (table of the search documents, its key column, FTS5 table, the searched model's table)
TABLES = {
    "job": ("jobs_jobsearchdocument", "job_id", "jobs_job_fts", "jobs_job"),
    "profile": ("jobs_profilesearchdocument", "profile_id", "jobs_profile_fts", "profiles_profile"),
}


LISTED = "_listed"  # open and public: anyone may find it
# ids are grouped in windows of 4,096 (PostgreSQL walks them newest first); the markers are
# stored, so changing this or any marker's form needs a migration that re-marks every job
WINDOW_BITS = 12
# bm25 weights of the job FTS5 columns (tokens, markers): markers never score
JOB_BM25 = "bm25(jobs_job_fts, 1.0, 0.0)"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def job_markers(
    *, job_id: int, status: str, visibility: str, category_id: int | None, kind: str
) -> list[str]:
    """The marker tokens of a job's document. Only an open public job is ``_listed``; invite-only
    jobs are found through their invitations (see :func:`job_candidates`)."""
    out = [LISTED] if status == JobStatus.OPEN and visibility == Visibility.PUBLIC else []
    out.append(category_marker(category_id))
    out.append(kind_marker(kind))
    out.append(f"_window_{job_id >> WINDOW_BITS}")
    return out


def category_marker(category_id: int | None) -> str:
    return f"_category_{category_id}" if category_id is not None else "_category_none"


def kind_marker(kind: str) -> str:
    return f"_kind_{kind}"


def _fts_put(kind: str, pk: int, tokens: str, markers: str = "") -> None:
    if connection.vendor != "sqlite":
        return
    fts = TABLES[kind][2]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {fts} WHERE rowid = %s", [pk])  # noqa: S608 - fixed names
        if kind == "job":
            cursor.execute(
                f"INSERT INTO {fts}(rowid, tokens, markers) VALUES (%s, %s, %s)",  # noqa: S608
                [pk, tokens, markers],
            )
        else:
            cursor.execute(f"INSERT INTO {fts}(rowid, tokens) VALUES (%s, %s)", [pk, tokens])  # noqa: S608


def _fts_delete(kind: str, pk: int) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLES[kind][2]} WHERE rowid = %s", [pk])  # noqa: S608


def job_document_put(*, job_id: int, text: str, markers: Sequence[str]) -> None:
    """Store the tokens of a job's text and its markers (call inside the transaction that saves
    the job, and again whenever its status, visibility, category or type changes)."""
    tokens = tokenize.token_string(text)
    joined = " ".join(markers)
    JobSearchDocument.objects.update_or_create(
        job_id=job_id, defaults={"tokens": tokens, "markers": joined}
    )
    _fts_put("job", job_id, tokens, joined)


def job_documents_bulk_create(documents: Iterable[JobSearchDocument]) -> None:
    """Insert many new job documents at once (loading data; the jobs have none yet)."""
    docs = JobSearchDocument.objects.bulk_create(list(documents))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO jobs_job_fts(rowid, tokens, markers) VALUES (%s, %s, %s)",
                [(d.job_id, d.tokens, d.markers) for d in docs],
            )


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
    if kind == "job":
        query, rank = _fts5_content(terms), f"-{JOB_BM25}"
    else:
        query, rank = tokenize.fts5_query(terms), f"-bm25({fts})"
    return qs.extra(  # noqa: S610
        tables=[fts],
        where=[f"{fts}.rowid = {model_table}.id", f"{fts} MATCH %s"],
        params=[query],
        select={"rank": rank} if ranked else {},
    )


# --- the job search page: candidates from the index alone -----------------------------------


@dataclass(frozen=True)
class Candidates:
    """The newest matches of a search: ``ranks`` maps each job id to its relevance (higher is
    better); ``more`` is true when older jobs match as well."""

    ranks: dict[int, float]
    more: bool


def _fts5_content(terms: list[tokenize.Term]) -> str:
    return "{tokens} : (" + tokenize.fts5_query(terms) + ")"


def _fts5_markers(markers: Sequence[str]) -> str:
    return "{markers} : (" + " AND ".join(tokenize.fts5_quote(m) for m in markers) + ")"


def _tsquery_markers(markers: Sequence[str], *, any_of: Sequence[str] = ()) -> str:
    """Markers for a ``::tsquery`` cast: taken verbatim, never parsed like words."""
    parts = [tokenize.tsquery_quote(m) for m in markers]
    if any_of:
        parts.append("(" + " | ".join(tokenize.tsquery_quote(m) for m in any_of) + ")")
    return " & ".join(parts)


def job_candidates(
    *, terms: list[tokenize.Term], markers: Sequence[str], private_ids: Sequence[int], limit: int
) -> Candidates:
    """The ``limit`` newest jobs (highest ids) whose text holds every term and which carry every
    marker in ``markers``, among listed jobs and the jobs ``private_ids`` (invite-only jobs the
    viewer may see), with their relevance.

    Only the index is read, and only as far back as needed: SQLite walks the FTS5 doclists from
    the highest rowid, then ranks those rows with bm25 in a second query that holds no markers
    (a marker in the MATCH would make bm25 weigh it over the whole table); PostgreSQL asks GIN
    for the newest id windows first, as many as the matches found so far suggest, so a common
    word visits about ``limit`` rows and ranks only those.
    """
    if not terms:
        raise ValueError("job_candidates needs at least one search term")
    found = _sqlite_candidates if connection.vendor == "sqlite" else _postgres_candidates
    ranks = found(terms, list(markers), list(private_ids), limit + 1)
    newest = sorted(ranks, reverse=True)
    more = len(newest) > limit
    return Candidates(ranks={pk: ranks[pk] for pk in newest[:limit]}, more=more)


def id_set(ids: Sequence[int]) -> RawSQL:
    """A subquery yielding ``ids``, one parameter whatever their number (for ``pk__in``)."""
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])
    return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])


def _sqlite_candidates(
    terms: list[tokenize.Term], markers: list[str], private_ids: list[int], limit: int
) -> dict[int, float]:
    content = _fts5_content(terms)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM jobs_job_fts WHERE jobs_job_fts MATCH %s "
            "ORDER BY rowid DESC LIMIT %s",
            [f"{content} AND {_fts5_markers([LISTED, *markers])}", limit],
        )
        newest = [pk for (pk,) in cursor.fetchall()]
        if private_ids:
            query = f"{content} AND {_fts5_markers(markers)}" if markers else content
            cursor.execute(
                "SELECT rowid FROM jobs_job_fts WHERE jobs_job_fts MATCH %s "
                "AND rowid IN (SELECT value FROM json_each(%s))",
                [query, json.dumps(private_ids)],
            )
            newest = sorted({*newest, *(pk for (pk,) in cursor.fetchall())}, reverse=True)
        newest = newest[:limit]
        if not newest:
            return {}
        cursor.execute(
            f"SELECT rowid, -{JOB_BM25} FROM jobs_job_fts "  # noqa: S608 - fixed SQL
            "WHERE jobs_job_fts MATCH %s AND rowid >= %s ORDER BY rowid DESC",
            [content, newest[-1]],
        )
        wanted = set(newest)
        return {pk: rank for pk, rank in cursor.fetchall() if pk in wanted}


_PG_RANKED = (
    "SELECT job_id, ts_rank_cd(document, to_tsquery('simple', %s)) FROM jobs_jobsearchdocument"
)
_PG_QUERY = "(to_tsquery('simple', %s) && %s::tsquery)"  # words, then markers taken verbatim
# The newest matches below an id, only the rows still wanted ranked. "job_id + 0" keeps the
# planner from walking the primary key backwards through rows the id windows already ruled out.
_PG_NEWEST = (
    "SELECT job_id, ts_rank_cd(document, to_tsquery('simple', %s)) FROM ("
    " SELECT job_id, document FROM jobs_jobsearchdocument"
    " WHERE document @@ (to_tsquery('simple', %s) && %s::tsquery) AND job_id < %s"
    " ORDER BY job_id + 0 DESC LIMIT %s) AS newest"
)
MAX_WINDOWS_PER_QUERY = 64
WINDOW_STEPS = 4  # window queries at most, the last one taking every older window


def _postgres_candidates(
    terms: list[tokenize.Term], markers: list[str], private_ids: list[int], limit: int
) -> dict[int, float]:
    query = tokenize.tsquery(terms)
    listed = [LISTED, *markers]
    found: dict[int, float] = {}
    with connection.cursor() as cursor:
        if private_ids:
            sql = _PG_RANKED + " WHERE job_id = ANY(%s) AND document @@ "
            params: list[Any] = [query, private_ids]
            if markers:
                sql, params = sql + _PG_QUERY, [*params, query, _tsquery_markers(markers)]
            else:
                sql, params = sql + "to_tsquery('simple', %s)", [*params, query]
            cursor.execute(sql, params)
            found.update(cursor.fetchall())
        cursor.execute("SELECT max(job_id) FROM jobs_jobsearchdocument")
        top = cursor.fetchone()
        if not top or top[0] is None:
            return {}
        end = (top[0] >> WINDOW_BITS) + 1
        span, have = 2, 0  # the newest window is partly filled: start with the one below too
        # each step reads the windows [start, end), that is the ids [start << bits, end << bits);
        # every match newer than that is already in hand (``have`` of them)
        for step in range(WINDOW_STEPS):
            start = max(end - span, 0)
            last = step == WINDOW_STEPS - 1 or span > MAX_WINDOWS_PER_QUERY or start == 0
            if last:  # all older windows in one go
                start = 0
                required = _tsquery_markers(listed)
            else:
                windows = [f"_window_{w}" for w in range(start, end)]
                required = _tsquery_markers(listed, any_of=windows)
            cursor.execute(_PG_NEWEST, [query, query, required, end << WINDOW_BITS, limit - have])
            found.update(cursor.fetchall())
            end = start
            boundary = end << WINDOW_BITS
            have = sum(1 for pk in found if pk >= boundary)
            if last or have >= limit:
                break
            # ask next for as many windows as the matches so far suggest, with a margin
            per_id = have / ((top[0] + 1) - boundary)
            wanted = (limit - have) * 1.2 / per_id / (1 << WINDOW_BITS) if have else span * 8
            span = max(1, min(math.ceil(wanted), span * 8))
        return {pk: float(rank) for pk, rank in found.items()}
