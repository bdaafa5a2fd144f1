"""Why an analytics action was refused: a stable code and a translated message."""

from __future__ import annotations

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
