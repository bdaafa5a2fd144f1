"""Sending text messages (SMS) through a provider chosen in settings.

``settings.SMS_PROVIDER`` holds the dotted path of a class with a ``send(*, to, body)`` method.
On one machine the default, :class:`LogSmsProvider`, writes each message to the log so that the
person running the site can read the code; :class:`MemorySmsProvider` keeps messages in memory
(for tests and demos). A real carrier adapter only has to implement the same method.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider could not accept the message."""


class SmsProvider(Protocol):
    def send(self, *, to: str, body: str) -> None:
        """Send ``body`` to the E.164 number ``to``; raise :class:`SmsError` on failure."""


@dataclass(frozen=True)
class SentSms:
    to: str
    body: str


class LogSmsProvider:
    """Delivers every message to the ``tsunagu.accounts.sms`` logger at INFO level."""

    def send(self, *, to: str, body: str) -> None:
        if not to.startswith("+"):
            raise SmsError("numbers must be in E.164 form")
        logger.info("SMS to %s: %s", to, body)


class MemorySmsProvider:
    """Keeps every message in ``outbox`` (class-wide, like Django's locmem e-mail backend)."""

    outbox: ClassVar[list[SentSms]] = []

    def send(self, *, to: str, body: str) -> None:
        if not to.startswith("+"):
            raise SmsError("numbers must be in E.164 form")
        self.outbox.append(SentSms(to=to, body=body))


def get_sms_provider() -> SmsProvider:
    """An instance of the provider named by ``settings.SMS_PROVIDER``."""
    provider_class = import_string(settings.SMS_PROVIDER)
    provider: SmsProvider = provider_class()
    return provider
