from __future__ import annotations

from django_tasks import task

from tsunagu.core.periodic import run_periodic_jobs


@task()
def tick() -> dict[str, str]:
    """Run every registered periodic job once."""
    return run_periodic_jobs()
