"""A consistent snapshot of the database and loading one back, for SQLite and PostgreSQL.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the live file page by page
while the site keeps running; the copy is then counted. PostgreSQL: a REPEATABLE READ
transaction exports its snapshot, the rows are counted in it, and ``pg_dump -Fc --snapshot``
dumps exactly that state, so the counts in the manifest are those of the dump.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections
from django.utils.translation import gettext as _

from tsunagu.ledger.models import Transfer


class SnapshotError(Exception):
    pass


@dataclass(frozen=True)
class Snapshot:
    path: Path
    member: str
    vendor: str
    tables: dict[str, int]
    ledger: dict[str, dict[str, int]]


def model_tables() -> list[str]:
    """Every table of an installed model (many-to-many tables included), sorted."""
    tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    return sorted(tables)


def facts(cursor: Any, existing: Iterable[str]) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Row counts of the model tables that exist, and per currency the ledger's transfer totals
    by kind, through a DB-API cursor (sqlite3 or psycopg)."""
    present = set(existing)
    tables: dict[str, int] = {}
    for table in model_tables():
        if table in present:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names from the models)
            tables[table] = int(cursor.fetchone()[0])
    ledger: dict[str, dict[str, int]] = {}
    transfers = Transfer._meta.db_table
    if transfers in present:
        cursor.execute(
            f'SELECT currency, kind, COALESCE(SUM(amount), 0) FROM "{transfers}"'  # noqa: S608
            " GROUP BY currency, kind ORDER BY currency, kind"
        )
        for currency, kind, total in cursor.fetchall():
            ledger.setdefault(str(currency), {})[str(kind)] = int(total)
    return tables, ledger


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise SnapshotError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor}
        )
    return vendor


def _pg_env(settings: dict[str, Any]) -> tuple[dict[str, str], str]:
    env = {**os.environ}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings.get(key):
            env[variable] = str(settings[key])
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return env, str(settings["NAME"])


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SnapshotError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def database_snapshot(*, alias: str, into: Path) -> Snapshot:
    """Snapshot database ``alias`` into folder ``into``."""
    vendor = _vendor(alias)
    settings = connections[alias].settings_dict
    if vendor == "sqlite":
        target = into / "database.sqlite3"
        source = sqlite3.connect(str(settings["NAME"]), timeout=60)
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            cursor = copy.cursor()
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables, ledger = facts(cursor, [row[0] for row in cursor.fetchall()])
        finally:
            copy.close()
            source.close()
        return Snapshot(target, "database/tsunagu.sqlite3", vendor, tables, ledger)

    import psycopg

    target = into / "database.dump"
    env, name = _pg_env(settings)
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=name,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
    )
    with psycopg.connect(conninfo) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        pg_cursor = conn.cursor()
        pg_cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        tables, ledger = facts(pg_cursor, [r[0] for r in pg_cursor.fetchall()])
        _run(
            [
                "pg_dump",
                "-Fc",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={row[0]}",
                "-f",
                str(target),
                name,
            ],
            env,
        )
        conn.rollback()
    return Snapshot(target, "database/tsunagu.pgdump", vendor, tables, ledger)


def database_is_empty(*, alias: str) -> bool:
    """True when the database has no tables, or only an empty schema (migrated, no accounts)."""
    from django.contrib.auth import get_user_model

    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    users = get_user_model()._meta.db_table
    if not existing:
        return True
    if users not in existing:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COUNT(*) FROM "{users}"')  # noqa: S608
        row = cursor.fetchone()
    return bool(row and row[0] == 0)


def database_load(*, alias: str, vendor: str, snapshot: Path) -> None:
    """Replace database ``alias`` with the snapshot (the caller checked it may)."""
    if vendor != _vendor(alias):
        raise SnapshotError(
            _("The archive holds a %(archive)s database; this site uses %(site)s.")
            % {"archive": vendor, "site": _vendor(alias)}
        )
    connection = connections[alias]
    settings = connection.settings_dict
    connection.close()
    if vendor == "sqlite":
        source = sqlite3.connect(str(snapshot))
        target = sqlite3.connect(str(settings["NAME"]), timeout=60)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    with connection.cursor() as cursor:
        # What the site's schema holds goes, one object at a time: dropping the schema itself
        # would need its owner, which a hosted database rarely makes the site's user.
        cursor.execute(_DROP_ALL)
    connection.close()
    env, name = _pg_env(settings)
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "-d",
            name,
            str(snapshot),
        ],
        env,
    )


_DROP_ALL = """
DO $$
DECLARE item record;
BEGIN
  FOR item IN
    SELECT c.relname AS name, c.relkind AS kind FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
  LOOP
    EXECUTE format(
      CASE item.kind
        WHEN 'v' THEN 'DROP VIEW IF EXISTS %I CASCADE'
        WHEN 'm' THEN 'DROP MATERIALIZED VIEW IF EXISTS %I CASCADE'
        WHEN 'S' THEN 'DROP SEQUENCE IF EXISTS %I CASCADE'
        WHEN 'f' THEN 'DROP FOREIGN TABLE IF EXISTS %I CASCADE'
        ELSE 'DROP TABLE IF EXISTS %I CASCADE'
      END, item.name);
  END LOOP;
END $$;
"""


def database_facts(*, alias: str) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Row counts and ledger totals of the live database ``alias``, as in ``facts``."""
    connection = connections[alias]
    existing = connection.introspection.table_names()
    with connection.cursor() as cursor:
        return facts(cursor, existing)
