"""Transfers keep only the indexes that the ledger's queries use (migration 0002)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from tests.ledger.factories import open_accounts, top_up
from tsunagu.ledger.models import Transfer

pytestmark = pytest.mark.django_db


def _indexes() -> dict[str, dict[str, object]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Transfer._meta.db_table)
    return {name: info for name, info in constraints.items() if info["index"] or info["unique"]}


def test_no_second_index_on_pending_or_key() -> None:
    on_pending = [n for n, i in _indexes().items() if i["columns"] == ["pending_id"]]
    on_key = [n for n, i in _indexes().items() if i["columns"] == ["key"]]
    # the partial unique index serves every lookup by pending; one unique index on key, no LIKE one
    assert on_pending == ["ledger_pending_resolved_once"]
    assert len(on_key) == 1 and _indexes()[on_key[0]]["unique"]


def test_keys_are_still_unique() -> None:
    accounts = open_accounts()
    top_up(accounts, 1000, key="once")
    first = Transfer.objects.get(key="once")
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            key="once",
            kind=first.kind,
            debit_account=first.debit_account,
            credit_account=first.credit_account,
            amount=1,
            currency=first.currency,
            reason=first.reason,
            batch=first.batch,
        )
    assert Transfer.objects.filter(key="once").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans of PostgreSQL")
def test_the_hot_lookups_use_the_remaining_indexes() -> None:
    accounts = open_accounts()
    top_up(accounts, 1000, key="k1")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: ask which index serves
        cursor.execute("EXPLAIN SELECT id FROM ledger_transfer WHERE pending_id = 1 LIMIT 1")
        by_pending = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(
            "EXPLAIN SELECT t.id FROM unnest(ARRAY['k1']::text[]) AS k(key) "
            "CROSS JOIN LATERAL (SELECT * FROM ledger_transfer WHERE key = k.key LIMIT 1) AS t"
        )
        by_key = "\n".join(row[0] for row in cursor.fetchall())
    assert "ledger_pending_resolved_once" in by_pending, by_pending
    assert "ledger_transfer_key_unique" in by_key, by_key
