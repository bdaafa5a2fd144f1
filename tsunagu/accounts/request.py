"""The person a request is made by, for pages and the API alike."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from tsunagu.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in account (session or API token); refuse if there is none.

    Pages behind ``login_required`` and API routes behind the API's authentication always have
    one; a route that forgot its guard is refused rather than served to an anonymous visitor.
    """
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
