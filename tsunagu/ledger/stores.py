"""How ``transfers_create`` reads and writes the database: one store per vendor, the same steps.

Inside the caller's transaction a store:

1. ``lock_and_read``: locks the named accounts and the accounts of the named holds, in id order,
   and returns their totals; then, in a statement that starts only once every lock is held,
   reads the transfers with the given keys (the call's own keys, which exist if it is a repeat,
   and the holds it resolves) and whether each hold is already resolved. What that second read
   sees of those accounts' transfers cannot change before we commit: any call that could
   change it waits for our locks. (A call recording one of our keys on other accounts is
   stopped by the unique key instead.)
2. ``write``: inserts the transfers the engine accepted, writes the accounts' new totals and
   returns the transfers.

``engine.apply`` decides in between; a store has no rules of its own.

``OrmStore`` works through the Django ORM on any database. ``PostgresStore`` sends the same
steps as hand-written SQL that passes one array per column (``= ANY(...)``, ``unnest(...)``),
bound on the server in binary, so each statement has the same text and a dozen parameters
whether a call carries 1 transfer or 3,000; it sends the lock and the read together (psycopg's
pipeline mode) and writes the transfers and the totals in one statement, so a call waits for
the server three times (twice, then the commit) where the ORM waits six or seven. The database
constraints on both tables stay the last word on both.
"""

from __future__ import annotations

import contextlib
import datetime
import sqlite3
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, cast

import psycopg
from django.db import connection
from django.db.models import Exists, OuterRef
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

from tsunagu.ledger import engine
from tsunagu.ledger.models import Account, Transfer

_TOTALS = ("debits_pending", "debits_posted", "credits_pending", "credits_posted")


@dataclass(frozen=True, slots=True)
class Recorded:
    """A transfer already in the database that a call names by key."""

    id: int
    kind: str
    debit_account_id: int
    credit_account_id: int
    amount: int
    timeout_at: datetime.datetime | None
    resolved: bool  # some post, void or expiry names it as its pending transfer


@dataclass(frozen=True, slots=True)
class Row:
    """A transfer to insert, as the engine recorded it."""

    key: str
    kind: str
    debit_account_id: int
    credit_account_id: int
    amount: int
    currency: str
    pending_id: int | None  # a hold recorded before this call
    hold_index: int | None  # or the position of a hold earlier in the same call
    timeout_at: datetime.datetime | None
    reason: str
    cause_type: str
    cause_id: str


class Store(Protocol):
    def lock_and_read(
        self, account_ids: Collection[int], hold_keys: Collection[str], keys: Collection[str]
    ) -> tuple[dict[int, engine.AccountState], dict[str, Recorded]]: ...

    def write(
        self,
        rows: list[Row],
        accounts: Collection[engine.AccountState],
        *,
        batch: uuid.UUID,
        created_at: datetime.datetime,
    ) -> list[Transfer]: ...


def current() -> Store:
    if connection.vendor == "postgresql":
        return PostgresStore()
    return OrmStore()


def _state(row: Iterable[Any]) -> engine.AccountState:
    pk, currency, no_overdraft, no_overcredit, dp, dpo, cp, cpo = row
    return engine.AccountState(
        id=pk,
        currency=currency,
        flags=engine.Flags(
            debits_must_not_exceed_credits=no_overdraft,
            credits_must_not_exceed_debits=no_overcredit,
        ),
        debits_pending=dp,
        debits_posted=dpo,
        credits_pending=cp,
        credits_posted=cpo,
    )


_ACCOUNT_FIELDS = (
    "id",
    "currency",
    "debits_must_not_exceed_credits",
    "credits_must_not_exceed_debits",
    *_TOTALS,
)
_RECORDED_FIELDS = (
    "key",
    "id",
    "kind",
    "debit_account_id",
    "credit_account_id",
    "amount",
    "timeout_at",
    "resolved",
)


def _loaded(values: list[dict[str, Any]]) -> list[Transfer]:
    """Transfer instances for rows just inserted, as a queryset would return them.

    ``Model.__init__`` costs about 10 µs a row here, most of it in the setters of the three
    foreign keys, which only check a cache that a new instance does not have. So the instances
    are built as ``__init__`` leaves them (every field's value in ``__dict__``, a ``ModelState``
    that says saved, from this database) unless something listens to Transfer's init signals,
    which then get the ordinary path.
    """
    if pre_init.has_listeners(Transfer) or post_init.has_listeners(Transfer):
        return [Transfer(**row) for row in values]
    alias = connection.alias
    made = []
    for row in values:
        transfer = Transfer.__new__(Transfer)
        transfer.__dict__.update(row)
        state = transfer._state = ModelState()
        state.adding = False
        state.db = alias
        made.append(transfer)
    return made


class OrmStore:
    """The ORM on any database. On SQLite the transaction itself is the lock (BEGIN IMMEDIATE)."""

    def lock_and_read(
        self, account_ids: Collection[int], hold_keys: Collection[str], keys: Collection[str]
    ) -> tuple[dict[int, engine.AccountState], dict[str, Recorded]]:
        ids = set(account_ids)
        if hold_keys:
            for debit, credit in Transfer.objects.filter(
                key__in=hold_keys, kind=engine.TransferKind.PENDING
            ).values_list("debit_account_id", "credit_account_id"):
                ids.update((debit, credit))
        states = {
            row[0]: _state(row)
            for row in Account.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list(*_ACCOUNT_FIELDS)
        }
        # Only now, holding the locks, is what we read final.
        recorded = {
            row[0]: Recorded(*row[1:])
            for row in Transfer.objects.filter(key__in=keys)
            .annotate(resolved=Exists(Transfer.objects.filter(pending=OuterRef("pk"))))
            .order_by()
            .values_list(*_RECORDED_FIELDS)
        }
        return states, recorded

    def write(
        self,
        rows: list[Row],
        accounts: Collection[engine.AccountState],
        *,
        batch: uuid.UUID,
        created_at: datetime.datetime,
    ) -> list[Transfer]:
        made = [
            Transfer(
                key=row.key,
                kind=row.kind,
                debit_account_id=row.debit_account_id,
                credit_account_id=row.credit_account_id,
                amount=row.amount,
                currency=row.currency,
                pending_id=row.pending_id,
                timeout_at=row.timeout_at,
                reason=row.reason,
                cause_type=row.cause_type,
                cause_id=row.cause_id,
                batch=batch,
                created_at=created_at,
            )
            for row in rows
        ]
        if any(row.hold_index is not None for row in rows):
            # A hold resolved in its own batch: insert in order so the hold has its id first.
            for transfer, row in zip(made, rows, strict=True):
                if row.hold_index is not None:
                    transfer.pending_id = made[row.hold_index].pk
                transfer.save(force_insert=True)
        else:
            Transfer.objects.bulk_create(made)
        self._save_totals(accounts)
        return made

    def _save_totals(self, accounts: Collection[engine.AccountState]) -> None:
        """One UPDATE for every changed account.

        ``bulk_update`` builds a CASE expression per field and row, which costs more than the
        rest of a call; an UPDATE ... FROM (VALUES ...) is the same single statement.
        """
        if not accounts:
            return
        if connection.vendor != "sqlite" or sqlite3.sqlite_version_info < (3, 33):
            changed = []
            for state in accounts:
                account = Account(pk=state.id)
                for name in _TOTALS:
                    setattr(account, name, getattr(state, name))
                changed.append(account)
            Account.objects.bulk_update(changed, list(_TOTALS))
            return
        quote = connection.ops.quote_name
        table = quote(Account._meta.db_table)
        fields = {f.name: f.column for f in Account._meta.concrete_fields}
        columns = [quote(fields[name]) for name in _TOTALS]
        assignments = ", ".join(f"{column} = v.column{i}" for i, column in enumerate(columns, 2))
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(accounts))
        params: list[int] = []
        for state in accounts:
            params.append(state.id)
            params.extend(getattr(state, name) for name in _TOTALS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v "  # noqa: S608 - names from the model
                f"WHERE {table}.{quote(fields['id'])} = v.column1",
                params,
            )


# Each key is looked up through its index, one at a time (a LATERAL subquery that LIMIT keeps
# from being merged into a join): with thousands of keys the planner would otherwise rather scan
# and hash the whole table, and every resolution in it.
#
# The accounts of the holds are read in the statement that locks: a hold's accounts never change.
# ARRAY(...) is evaluated once, before any row is locked.
_LOCK = """
SELECT id, currency, debits_must_not_exceed_credits, credits_must_not_exceed_debits,
       debits_pending, debits_posted, credits_pending, credits_posted
FROM ledger_account
WHERE id = ANY(%b::bigint[] || ARRAY(
    SELECT unnest(ARRAY[t.debit_account_id, t.credit_account_id])
    FROM unnest(%b::text[]) AS k(key)
    CROSS JOIN LATERAL (
        SELECT debit_account_id, credit_account_id FROM ledger_transfer
        WHERE key = k.key AND kind = 'pending'
        LIMIT 1
    ) AS t
))
ORDER BY id
FOR UPDATE
"""

_READ = """
SELECT t.key, t.id, t.kind, t.debit_account_id, t.credit_account_id, t.amount, t.timeout_at,
       r.id IS NOT NULL
FROM unnest(%b::text[]) AS k(key)
CROSS JOIN LATERAL (SELECT * FROM ledger_transfer WHERE key = k.key LIMIT 1) AS t
LEFT JOIN LATERAL (
    SELECT id FROM ledger_transfer WHERE pending_id = t.id LIMIT 1
) AS r ON true
"""

# The insert and the new totals in one statement. Ids come from the table's own sequence, taken
# in the call's order before the insert, so a hold resolved later in the same call is known by
# its id; RETURNING says which id went where. The UPDATE runs in full whether or not the INSERT
# reads it, and only changes rows that this transaction has locked.
_WRITE = """
WITH totals AS (
    UPDATE ledger_account AS a
    SET debits_pending = v.debits_pending,
        debits_posted = v.debits_posted,
        credits_pending = v.credits_pending,
        credits_posted = v.credits_posted
    FROM unnest(%b::bigint[], %b::bigint[], %b::bigint[], %b::bigint[], %b::bigint[])
        AS v(id, debits_pending, debits_posted, credits_pending, credits_posted)
    WHERE a.id = v.id
), t AS MATERIALIZED (
    SELECT nextval((SELECT pg_get_serial_sequence('ledger_transfer', 'id'))) AS id, u.*
    FROM unnest(
        %b::text[], %b::text[], %b::bigint[], %b::bigint[], %b::bigint[], %b::text[],
        %b::bigint[], %b::bigint[], %b::timestamptz[], %b::text[], %b::text[], %b::text[]
    ) WITH ORDINALITY AS u(
        key, kind, debit_account_id, credit_account_id, amount, currency, pending_id,
        hold_index, timeout_at, reason, cause_type, cause_id, n
    )
)
INSERT INTO ledger_transfer (
    id, key, kind, debit_account_id, credit_account_id, amount, currency, pending_id,
    timeout_at, reason, cause_type, cause_id, batch, created_at
)
SELECT t.id, t.key, t.kind, t.debit_account_id, t.credit_account_id, t.amount, t.currency,
       COALESCE(t.pending_id, hold.id), t.timeout_at, t.reason, t.cause_type, t.cause_id,
       %b::uuid, %b::timestamptz
FROM t LEFT JOIN t AS hold ON hold.n = t.hold_index + 1
RETURNING key, id, pending_id
"""


class PostgresStore:
    """Hand-written SQL with arrays: two round trips before the commit."""

    def lock_and_read(
        self, account_ids: Collection[int], hold_keys: Collection[str], keys: Collection[str]
    ) -> tuple[dict[int, engine.AccountState], dict[str, Recorded]]:
        # The server starts the read, and takes its snapshot, only once the lock statement has
        # returned every row, i.e. once we hold every lock.
        locked, read = _send(
            (_LOCK, [list(account_ids), list(hold_keys)]),
            (_READ, [list(keys)]),
        )
        states = {row[0]: _state(row) for row in locked}
        recorded = {row[0]: Recorded(*row[1:]) for row in read}
        return states, recorded

    def write(
        self,
        rows: list[Row],
        accounts: Collection[engine.AccountState],
        *,
        batch: uuid.UUID,
        created_at: datetime.datetime,
    ) -> list[Transfer]:
        (written,) = _send((_WRITE, [*_totals(accounts), *_columns(rows), batch, created_at]))
        inserted = {key: (pk, pending_id) for key, pk, pending_id in written}
        return _loaded(
            [
                {
                    "id": inserted[row.key][0],
                    "key": row.key,
                    "kind": row.kind,
                    "debit_account_id": row.debit_account_id,
                    "credit_account_id": row.credit_account_id,
                    "amount": row.amount,
                    "currency": row.currency,
                    "pending_id": inserted[row.key][1],
                    "timeout_at": row.timeout_at,
                    "reason": row.reason,
                    "cause_type": row.cause_type,
                    "cause_id": row.cause_id,
                    "batch": batch,
                    "created_at": created_at,
                }
                for row in rows
            ]
        )


def _columns(rows: list[Row]) -> list[list[Any]]:
    return [
        [r.key for r in rows],
        [r.kind for r in rows],
        [r.debit_account_id for r in rows],
        [r.credit_account_id for r in rows],
        [r.amount for r in rows],
        [r.currency for r in rows],
        [r.pending_id for r in rows],
        [r.hold_index for r in rows],
        [r.timeout_at for r in rows],
        [r.reason for r in rows],
        [r.cause_type for r in rows],
        [r.cause_id for r in rows],
    ]


def _totals(accounts: Collection[engine.AccountState]) -> list[list[int]]:
    return [
        [a.id for a in accounts],
        [a.debits_pending for a in accounts],
        [a.debits_posted for a in accounts],
        [a.credits_pending for a in accounts],
        [a.credits_posted for a in accounts],
    ]


def _send(*statements: tuple[str, list[Any]]) -> list[list[tuple[Any, ...]]]:
    """Run the statements in order, sent together; return each one's rows.

    In pipeline mode the statements go out one after the other without waiting, then a Sync,
    and the server answers them in order, each statement starting only when the one before has
    finished: one wait for all. (A single statement is sent plainly: a pipeline would only add
    the Sync.)
    The cursors bind parameters on the server (Django's own bind them in the client), so an
    array travels as one value, not as a literal of thousands of numbers in the SQL text. They
    are wrapped as Django wraps its cursors: errors become ``django.db`` errors and the queries
    are logged whenever Django logs queries.
    """
    connection.ensure_connection()
    raw = connection.connection
    cursors = [psycopg.Cursor(raw) for _ in statements]
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    pipeline = (
        raw.pipeline()
        if len(statements) > 1 and psycopg.Pipeline.is_supported()
        else contextlib.nullcontext()
    )
    try:
        with connection.wrap_database_errors:
            with pipeline:
                for cursor, (sql, params) in zip(cursors, statements, strict=True):
                    wrap(cast(Any, cursor)).execute(sql, params)
            return [cursor.fetchall() if cursor.description else [] for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()
