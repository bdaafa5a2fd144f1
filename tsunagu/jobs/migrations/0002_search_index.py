"""The full-text index: FTS5 tables on SQLite, a generated tsvector column with GIN on PostgreSQL.

Both hold the token strings of jobs_jobsearchdocument / jobs_profilesearchdocument, written by
the services (tsunagu.jobs.search); no triggers.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE jobs_job_fts USING fts5("
    "tokens, tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE jobs_profile_fts USING fts5("
    "tokens, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS jobs_job_fts", "DROP TABLE IF EXISTS jobs_profile_fts"]

POSTGRES = [
    "ALTER TABLE jobs_jobsearchdocument ADD COLUMN document tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED",
    "CREATE INDEX jobs_jobsearch_gin ON jobs_jobsearchdocument USING gin (document)",
    "ALTER TABLE jobs_profilesearchdocument ADD COLUMN document tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED",
    "CREATE INDEX jobs_profilesearch_gin ON jobs_profilesearchdocument USING gin (document)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS jobs_jobsearch_gin",
    "ALTER TABLE jobs_jobsearchdocument DROP COLUMN IF EXISTS document",
    "DROP INDEX IF EXISTS jobs_profilesearch_gin",
    "ALTER TABLE jobs_profilesearchdocument DROP COLUMN IF EXISTS document",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
