"""Background tasks on Redis (TASKS_BACKEND=rq): enqueued by the site, run by `tsunagu worker`.

Uses the local Redis (TSUNAGU_TEST_REDIS_URL, DB 4 by default); skipped without it, failed under
CI=true. Test processes take turns on the shared queue (a Redis lock).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_tasks import TaskResultStatus

from tests.core import task_examples
from tests.support.services import redis_exclusive, redis_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rq_backend(settings: Any) -> Iterator[str]:
    import django_rq

    url = redis_url()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": url}}
    with redis_exclusive(url, "rq-default-queue"):
        django_rq.get_queue("default").empty()
        yield url
        django_rq.get_queue("default").empty()


def _worker_env(tmp_path: Path, url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "TASKS_BACKEND": "rq",
        "TASKS_REDIS_URL": url,
        "TSUNAGU_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _run_worker_until_empty(tmp_path: Path, url: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tsunagu.cli", "worker", "--burst"],
        env=_worker_env(tmp_path, url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_a_task_goes_to_redis_and_a_separate_worker_process_runs_it(
    rq_backend: str, tmp_path: Path
) -> None:
    import django_rq

    ok = task_examples.add.enqueue(2, 3)
    failing = task_examples.fail.enqueue("broken on purpose")
    assert ok.status == TaskResultStatus.READY
    assert django_rq.get_queue("default").count == 2  # waiting in Redis, not run here

    _run_worker_until_empty(tmp_path, rq_backend)

    done = task_examples.add.get_result(ok.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == 5
    broken = task_examples.fail.get_result(failing.id)
    assert broken.status == TaskResultStatus.FAILED
    assert broken.errors[0].exception_class_path == "builtins.ValueError"
    assert django_rq.get_queue("default").count == 0


def test_tasks_backend_rq_in_the_environment_configures_the_queue() -> None:
    env = {**os.environ, "TASKS_BACKEND": "rq", "TASKS_REDIS_URL": "redis://127.0.0.1:6379/9"}
    script = (
        "import json; from tsunagu import settings as s; print(json.dumps({"
        "'backend': s.TASKS['default']['BACKEND'], 'url': s.RQ_QUEUES['default']['URL'],"
        "'apps': 'django_rq' in s.INSTALLED_APPS}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == {
        "backend": "django_tasks_rq.RQBackend",
        "url": "redis://127.0.0.1:6379/9",
        "apps": True,
    }
