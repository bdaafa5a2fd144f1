"""Recording a profile view from the profile page: one call that never breaks the page.

The page sends ``tsunagu.profiles.signals.profile_viewed``; :func:`profile_viewed_receiver` is
connected to it when the app is ready, so that profiles needs to know nothing of analytics.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest

from tsunagu.analytics.selectors import source_from_query
from tsunagu.analytics.services import profile_view_record
from tsunagu.profiles.models import Profile

logger = logging.getLogger(__name__)


def _session_key(request: HttpRequest) -> str:
    """The session key, or for a first visit without a session the address and browser.

    Either is only ever stored as a keyed hash (see ``visitor_hash``), never in clear.
    """
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        return str(session.session_key)
    address = request.META.get("REMOTE_ADDR", "")
    agent = request.META.get("HTTP_USER_AGENT", "")[:200]
    return f"anon:{address}|{agent}"


def record_profile_view(request: HttpRequest, *, profile: Profile) -> None:
    """Record that ``request`` viewed ``profile``; any failure is logged and swallowed."""
    try:
        viewer = request.user if request.user.is_authenticated else None
        if viewer is not None and viewer.pk == profile.user_id:
            return
        profile_view_record(
            profile=profile,
            viewer=viewer,
            source=source_from_query(request.GET.get("src")),
            session_key=_session_key(request),
        )
    except Exception:
        logger.exception("could not record a view of profile %s", profile.pk)


def profile_viewed_receiver(
    sender: Any, *, request: HttpRequest, profile: Profile, **kwargs: Any
) -> None:
    """``profile_viewed`` receiver: record the view (never raises, see above)."""
    record_profile_view(request, profile=profile)
