"""Settings every test shares (tests/support/settings.py): tasks run at once, files go to a
temporary folder, mail to memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.settings import isolated_settings, storages_forget


@pytest.fixture(autouse=True)
def _isolated_settings(settings: Any, tmp_path: Path) -> Iterator[None]:
    for name, value in isolated_settings(tmp_path, settings.STORAGES).items():
        setattr(settings, name, value)
    storages_forget()
    yield
    storages_forget()
