"""The question search index: an FTS5 table on SQLite, a generated tsvector with GIN on
PostgreSQL, over the token strings of qa_questionsearchdocument (written by tsunagu.qa.search)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE qa_question_fts USING fts5("
    "tokens, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS qa_question_fts"]

POSTGRES = [
    "ALTER TABLE qa_questionsearchdocument ADD COLUMN document tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED",
    "CREATE INDEX qa_questionsearch_gin ON qa_questionsearchdocument USING gin (document)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS qa_questionsearch_gin",
    "ALTER TABLE qa_questionsearchdocument DROP COLUMN IF EXISTS document",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("qa", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
