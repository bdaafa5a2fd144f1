from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up remembers the language the person was using, so e-mails and pages match it."""

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        language = (getattr(request, "LANGUAGE_CODE", "") or "ja")[:2]
        if language in ("ja", "en"):
            user.language = language
        return super().save_user(request, user, form, commit=commit)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed logins are counted per address *and client IP* (``login_failed`` in
        ``ACCOUNT_RATE_LIMITS``), not per address alone: someone who knows an address and types
        wrong passwords from elsewhere locks out only themselves, never the owner signing in from
        their own connection. Guessing from many addresses at once still meets the per-IP limit
        of each, and a successful password reset clears the count for the IP it came from."""
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{self.get_client_ip(request)}"
