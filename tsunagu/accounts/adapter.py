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
