"""Markers in the job index (listed, category, type, id window) so that the job search page
counts and picks its rows from the index alone.

SQLite: ``jobs_job_fts`` gets a second column, ``markers`` (``_`` is a token character there so
``_listed`` stays one token). PostgreSQL: the stored ``document`` adds the markers verbatim and
its GIN index has fastupdate off, so searches never scan a pending list.
"""

from django.db import migrations, models

SQLITE = [
    "DROP TABLE IF EXISTS jobs_job_fts",
    "CREATE VIRTUAL TABLE jobs_job_fts USING fts5(tokens, markers, "
    "tokenize = 'unicode61 remove_diacritics 0 tokenchars ''_''')",
    "INSERT INTO jobs_job_fts(rowid, tokens, markers) "
    "SELECT job_id, tokens, markers FROM jobs_jobsearchdocument",
    "INSERT INTO jobs_job_fts(jobs_job_fts) VALUES ('optimize')",
]
SQLITE_REVERSE = [
    "DROP TABLE IF EXISTS jobs_job_fts",
    "CREATE VIRTUAL TABLE jobs_job_fts USING fts5("
    "tokens, tokenize = 'unicode61 remove_diacritics 0')",
    "INSERT INTO jobs_job_fts(rowid, tokens) SELECT job_id, tokens FROM jobs_jobsearchdocument",
]

POSTGRES = [
    "ALTER TABLE jobs_jobsearchdocument DROP COLUMN document",
    "ALTER TABLE jobs_jobsearchdocument ADD COLUMN document tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, tokens) || array_to_tsvector(string_to_array(markers, ' '))"
    ") STORED",
    "CREATE INDEX jobs_jobsearch_gin ON jobs_jobsearchdocument USING gin (document) "
    "WITH (fastupdate = off)",
]
POSTGRES_REVERSE = [
    "ALTER TABLE jobs_jobsearchdocument DROP COLUMN document",
    "ALTER TABLE jobs_jobsearchdocument ADD COLUMN document tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED",
    "CREATE INDEX jobs_jobsearch_gin ON jobs_jobsearchdocument USING gin (document)",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def fill_markers(apps, schema_editor):
    from tsunagu.jobs.search import job_markers

    Job = apps.get_model("jobs", "Job")
    JobSearchDocument = apps.get_model("jobs", "JobSearchDocument")
    jobs = Job.objects.filter(search_document__isnull=False).values_list(
        "pk", "status", "visibility", "category_id", "kind"
    )
    batch = []
    for pk, status, visibility, category_id, kind in jobs.iterator(chunk_size=2000):
        markers = job_markers(
            job_id=pk, status=status, visibility=visibility, category_id=category_id, kind=kind
        )
        batch.append(JobSearchDocument(job_id=pk, markers=" ".join(markers)))
        if len(batch) >= 2000:
            JobSearchDocument.objects.bulk_update(batch, ["markers"])
            batch = []
    JobSearchDocument.objects.bulk_update(batch, ["markers"])


class Migration(migrations.Migration):
    dependencies = [("jobs", "0004_index_existing_profiles")]

    operations = [
        migrations.AddField(
            model_name="jobsearchdocument",
            name="markers",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(fill_markers, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
