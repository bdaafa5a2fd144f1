"""The demo's tests share two runs of the real command, made once for the package: the first
fills an empty database, the second must change nothing. The command pays by card and so must not
run inside a transaction: the runs commit, and the package's last test leaves the database empty
again, with the migrations' seeded rows put back and the search index emptied.

Each test reads the committed data inside its own transaction (rolled back afterwards), and
``DemoRuns`` holds the output and the state after each run, for the tests that compare them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.models import Max
from django.test import override_settings

from tests.support.seeds import migration_seeds_restore
from tests.support.settings import isolated_settings, storages_forget
from tsunagu.jobs import search


@dataclass(frozen=True)
class DemoRuns:
    output: str  # what the first run printed
    first: dict[str, Any]  # every table's primary keys and every stored file, after the first run
    second: dict[str, Any]  # the same after the second run


def database_state() -> dict[str, Any]:
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    rows = {m._meta.label: sorted(m._default_manager.values_list("pk", flat=True)) for m in models}
    # a row saved again moves its updated_at, even when nothing else changes
    saved = {
        m._meta.label: m._default_manager.aggregate(last=Max("updated_at"))["last"]
        for m in models
        if any(field.name == "updated_at" for field in m._meta.concrete_fields)
    }
    files = sorted(
        str(path.relative_to(root))
        for root in (Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT))
        for path in root.rglob("*")
        if path.is_file()
    )
    return {"rows": rows, "saved": saved, "files": files}


def _run() -> str:
    out = io.StringIO()
    call_command("demo", no_progress=True, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="package")
def demo_runs(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoRuns]:
    root = tmp_path_factory.mktemp("demo")
    isolated = override_settings(**isolated_settings(root, settings.STORAGES))
    with django_db_blocker.unblock(), isolated:
        storages_forget()
        try:
            output = _run()
            first = database_state()
            _run()
            second = database_state()
            yield DemoRuns(output=output, first=first, second=second)
        finally:
            storages_forget()
            call_command("flush", interactive=False, verbosity=0)
            search.fts_clear()  # SQLite's full-text tables are no model: flush leaves them
            migration_seeds_restore()


@pytest.fixture(autouse=True)
def _demo_loaded(demo_runs: DemoRuns, db: None) -> None:
    """Every test here reads the demo's data."""
