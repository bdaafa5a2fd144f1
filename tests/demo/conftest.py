"""The demo's tests run the real command, which pays by card and so must not run inside a
transaction: they are transactional, and put the migrations' seeded rows back after each flush."""

from __future__ import annotations

import pytest

from tests.support.seeds import migration_seeds_restore


@pytest.fixture(autouse=True)
def _seeded_rows(transactional_db: None) -> None:
    migration_seeds_restore()
