from __future__ import annotations

from typing import Any

from django.db import models

from tsunagu.audit.models import AuditEvent


def audit_record(
    *,
    actor: Any | None,
    subject: models.Model,
    event: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row; call it inside the transaction that makes the change."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        event=event,
        before=before,
        after=after,
    )
