"""Why an analytics action was refused: a stable code and a translated message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tsunagu.core.errors import DomainError, ErrorKind


class AnalyticsError(DomainError):
    messages = {
        "not_a_viewer": _("This person has not viewed your profile, or chose to stay private."),
        "not_a_client": _("You can reach out only to clients who viewed your profile."),
        "rate_limited": _(
            "You have reached out to %(limit)d people today. You can reach out to more tomorrow."
        ),
        "bad_viewer": _("Choose a person from the list of clients who viewed your profile."),
    }
    kinds = {
        "not_a_viewer": ErrorKind.NOT_FOUND,
        "not_a_client": ErrorKind.FORBIDDEN,
        "rate_limited": ErrorKind.RATE_LIMITED,
        "bad_viewer": ErrorKind.INVALID,
    }

    def __init__(
        self,
        code: str,
        message: str | Promise | None = None,
        *,
        kind: ErrorKind | None = None,
        field: str | None = None,
        params: Mapping[str, Any] | None = None,
        **named: Any,
    ) -> None:
        # The services raise ``AnalyticsError("rate_limited", limit=...)``: named values are
        # the message's parameters, as with ``refuse``.
        super().__init__(code, message, kind=kind, field=field, params={**(params or {}), **named})
