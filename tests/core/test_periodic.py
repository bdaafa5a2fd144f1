from __future__ import annotations

from collections.abc import Iterator

import pytest

from tsunagu.core import periodic
from tsunagu.core.tasks import tick


@pytest.fixture
def jobs() -> Iterator[list[str]]:
    saved = periodic.registered_jobs()
    calls: list[str] = []
    periodic._JOBS.clear()

    @periodic.periodic("ok")
    def ok() -> None:
        calls.append("ok")

    @periodic.periodic("broken")
    def broken() -> None:
        raise RuntimeError("boom")

    yield calls
    periodic._JOBS.clear()
    periodic._JOBS.update(saved)


def test_one_failing_job_does_not_stop_the_others(jobs: list[str]) -> None:
    assert periodic.run_periodic_jobs() == {"broken": "failed", "ok": "ok"}
    assert jobs == ["ok"]


@pytest.mark.django_db
def test_tick_task_runs_the_jobs_through_the_task_backend(jobs: list[str]) -> None:
    result = tick.enqueue()
    assert result.return_value == {"broken": "failed", "ok": "ok"}
    assert jobs == ["ok"]
