"""Periodic work of the proposals app, registered when the app starts."""

from __future__ import annotations

from tsunagu.core.periodic import periodic
from tsunagu.proposals import services


@periodic("proposals.interview_reminders")
def interview_reminders() -> int:
    """Remind both people shortly before a booked interview; once each (``reminder_sent_at``)."""
    return services.interview_reminders_send()


@periodic("proposals.response_times")
def response_times() -> int:
    """Refresh the response-time table, at most once an hour."""
    return services.response_times_refresh(force=False)
