from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model

from tsunagu.audit.models import AuditEvent
from tsunagu.contracts.models import Contract
from tsunagu.notifications.models import Notification
from tsunagu.qa.models import (
    Answer,
    AnswerRevision,
    HelpfulVote,
    Question,
    QuestionOffer,
    QuestionSearchDocument,
)

TABLES: list[type[Model]] = [
    Question,
    Answer,
    AnswerRevision,
    HelpfulVote,
    QuestionOffer,
    QuestionSearchDocument,
    Contract,
    Notification,
]


def snapshot() -> dict[str, Any]:
    """Every row of the tables ask-an-expert writes to, to prove a refusal changed nothing."""
    rows = {
        model.__name__: sorted(repr(sorted(row.items())) for row in model.objects.values())  # type: ignore[attr-defined]
        for model in TABLES
    }
    # API tokens made for a request are audited too; only what this app audits counts here
    rows["AuditEvent"] = sorted(
        repr(sorted(row.items()))
        for row in AuditEvent.objects.filter(subject_type__startswith="qa.").values()
    )
    return rows


def unchanged(call: Callable[[], Any]) -> Any:
    before = snapshot()
    result = call()
    assert snapshot() == before
    return result
