"""Mail servers for tests: one that is down, one that is slow. Set ``settings.EMAIL_BACKEND``."""

from __future__ import annotations

import time
from collections.abc import Sequence
from smtplib import SMTPServerDisconnected

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend

DOWN = "tests.support.mail.DownBackend"
SLOW = "tests.support.mail.SlowBackend"
MEMORY = "django.core.mail.backends.locmem.EmailBackend"


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise SMTPServerDisconnected("Connection unexpectedly closed")


class SlowBackend(MemoryBackend):
    """A mail server that takes a moment, so two attempts at once overlap."""

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        time.sleep(0.3)
        return super().send_messages(messages)
