from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tsunagu.accounts.sms import MemorySmsProvider


@pytest.fixture
def sms(settings: Any) -> Iterator[list[Any]]:
    """Messages sent through the in-memory SMS provider during the test."""
    settings.SMS_PROVIDER = "tsunagu.accounts.sms.MemorySmsProvider"
    MemorySmsProvider.outbox.clear()
    yield MemorySmsProvider.outbox
    MemorySmsProvider.outbox.clear()
