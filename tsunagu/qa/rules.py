"""The limits of ask-an-expert, in one place for the services, the forms and the API docs."""

from __future__ import annotations

TITLE_MAX = 120
BODY_MAX = 5_000
ANSWER_MAX = 5_000
HIDE_REASON_MAX = 500
PER_PAGE = 20
