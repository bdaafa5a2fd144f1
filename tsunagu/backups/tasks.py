from __future__ import annotations

from django_tasks import task

from tsunagu.backups.export import data_export_build


@task()
def data_export_build_task(*, export_id: int) -> str:
    """Build one person's export ZIP; safe to run twice."""
    return data_export_build(export_id=export_id)
