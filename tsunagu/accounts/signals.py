"""After signing in, pages follow the language saved on the account, and the browser is
recorded as one the account uses (``devices``)."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation

from tsunagu.accounts.models import Language


@receiver(user_logged_in, dispatch_uid="tsunagu.accounts.language_on_login")
def language_on_login(
    sender: Any,
    request: HttpRequest,
    user: Any,
    response: HttpResponseBase | None = None,
    **kwargs: Any,
) -> None:
    language = getattr(user, "language", "")
    if language not in Language.values:
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language
    if response is not None:
        from tsunagu.accounts.views import set_language_cookie

        set_language_cookie(response, language)


@receiver(user_logged_in, dispatch_uid="tsunagu.accounts.device_on_login")
def device_on_login(
    sender: Any,
    request: HttpRequest,
    user: Any,
    response: HttpResponseBase | None = None,
    **kwargs: Any,
) -> None:
    from tsunagu.accounts.devices import device_seen

    device_seen(request=request, user=user, response=response)
