"""The restore drill: a site with contracts, payments and messages is backed up, restored into
a fresh database and fresh folders by ``tsunagu restore --verify`` in another process, and the
restored site is compared with the original: row counts, ledger totals, files and chains.

Runs on SQLite (a new file) and, when the tests run on PostgreSQL, on a new database made with
CREATE DATABASE.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.backups.factories import site_env, site_with_work, tsunagu
from tsunagu.backups.models import Verification
from tsunagu.backups.services import backup_create
from tsunagu.backups.snapshot import database_facts, facts
from tsunagu.contracts.models import DeliveryFile
from tsunagu.messaging.models import Attachment

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of the same kind as the tests'."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    name = f"restore_drill_{uuid.uuid4().hex[:12]}"
    conninfo = psycopg.conninfo.make_conninfo(
        dbname="postgres",
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
    )
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or "5432"
    try:
        yield f"postgres://{user}{password}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restored_facts(url: str) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    if url.startswith("sqlite:///"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            cursor = db.cursor()
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            return facts(cursor, [r[0] for r in cursor.fetchall()])
        finally:
            db.close()
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as pg_db:
        pg = pg_db.cursor()
        pg.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        return facts(pg, [r[0] for r in pg.fetchall()])


def test_backup_restore_verify_and_compare(
    tmp_path: Path, fresh_database: str, settings: Any
) -> None:
    site = site_with_work()
    tables, ledger = database_facts(alias="default")
    backup = backup_create(out=tmp_path / "archives")
    assert backup.verification == Verification.VERIFIED
    assert backup.files == DeliveryFile.objects.count() + Attachment.objects.count() == 2
    assert Path(backup.path).stat().st_mode & 0o077 == 0

    target = tmp_path / "restored"
    env = site_env(target, fresh_database)
    done = tsunagu("restore", backup.path, "--verify", "--no-progress", env=env)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "検証: 正常" in done.stdout.splitlines()[-1]
    assert "メッセージのハッシュチェーン: 正常 (2 件を検証)" in done.stdout
    assert "保存ファイル: 正常 (2 件を検証)" in done.stdout

    restored_tables, restored_ledger = restored_facts(fresh_database)
    assert restored_ledger == ledger and ledger["JPY"]
    for table in ("contracts_contract", "ledger_transfer", "messaging_message", "accounts_user"):
        assert restored_tables[table] == tables[table] > 0
    assert restored_tables == tables
    delivered = DeliveryFile.objects.get()
    assert (target / "private" / delivered.file.name).read_bytes() == delivered.file.read()
    site.room.refresh_from_db()
    assert site.room.last_seq == 4

    # A delivered file changed after the restore: the check names it and exits non-zero.
    (target / "private" / delivered.file.name).write_bytes(b"not the delivery")
    checked = tsunagu("verify", env=env)
    assert checked.returncode == 1
    assert "検証に失敗しました: 保存ファイル" in checked.stderr
    assert delivered.file.name in checked.stderr


def test_a_restore_clears_the_schema_without_owning_it(fresh_database: str) -> None:
    """A hosted database rarely makes the site's user the owner of schema public: the restore
    removes what the schema holds object by object, which the tables' owner may do."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's schemas and owners")
    import psycopg

    from tsunagu.backups.snapshot import _DROP_ALL

    role = f"site_{uuid.uuid4().hex[:10]}"
    url = fresh_database.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{role}" LOGIN')
        admin.execute(f'GRANT USAGE, CREATE ON SCHEMA public TO "{role}"')
    site = psycopg.conninfo.make_conninfo(url, user=role)
    try:
        with psycopg.connect(site, autocommit=True) as db:
            db.execute(
                "CREATE TABLE parent (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY)"
            )
            db.execute("CREATE TABLE child (id serial PRIMARY KEY, p bigint REFERENCES parent)")
            db.execute(
                "CREATE VIEW both_ids AS SELECT child.id FROM child JOIN parent ON p = parent.id"
            )
            db.execute("CREATE SEQUENCE loose")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                db.execute("DROP SCHEMA public CASCADE")
            db.execute(_DROP_ALL)
            left = db.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'S')"
            ).fetchall()
        assert left == []
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP OWNED BY "{role}" CASCADE')
        # the database goes with the fixture; the role is the cluster's
        with psycopg.connect(
            psycopg.conninfo.make_conninfo(url, dbname="postgres"), autocommit=True
        ) as admin:
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')
