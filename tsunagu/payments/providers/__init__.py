"""Payment providers behind one interface. ``get_provider()`` returns the configured one."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from tsunagu.payments.providers.base import (
    BankAccountDetails,
    InvalidWebhook,
    PaymentProvider,
    ProviderResult,
    WebhookData,
)

__all__ = [
    "BankAccountDetails",
    "InvalidWebhook",
    "PaymentProvider",
    "ProviderResult",
    "WebhookData",
    "get_provider",
]


def get_provider() -> PaymentProvider:
    provider: PaymentProvider = import_string(settings.PAYMENT_PROVIDER)()
    return provider
