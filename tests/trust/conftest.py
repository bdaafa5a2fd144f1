"""The platform's signing key in a temporary folder, so that cards signed in tests never touch
the installation's own key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _evidence_key(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_KEY_PATH = tmp_path / "evidence.pem"
