"""``Idempotency-Key`` on the routes that move money (top-up, payout, escrow funding).

A client that did not hear the answer (a timeout, a dropped connection) sends the same request
again with the same key. The same rule as the ledger's transfer ids applies:

* same person, same key, same request (method, path, body) → the answer stored for the first
  one, and nothing is done again (no second charge);
* same key, another request → 409 ``idempotency_key_reused``;
* same key while the first is still being processed → 409 ``idempotency_key_in_progress``
  (try again in a moment and get the stored answer).

The record is committed before the work starts, so two concurrent requests with one key cannot
both run: the database's unique constraint lets one insert win. A refusal of the work itself
(bad input, not enough balance: nothing changed) forgets the key, so the corrected request can
use it again. An unexpected error keeps it in progress rather than risk doing the work twice.
The header is optional: without it a request is simply carried out.

An answered key is kept for ``KEEP_ANSWERED`` (a week), then swept by the periodic tick
(``idempotency_records_sweep``): a retry later than that is a new request. A key never answered
(the process died during the work) is kept, since nobody can tell whether the work was done.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.errors import HttpError
from pydantic import BaseModel

from tsunagu.accounts.request import signed_in_user
from tsunagu.api.errors import ApiError
from tsunagu.api.models import IdempotentRequest
from tsunagu.core.errors import DomainError

HEADER = "Idempotency-Key"
IDEMPOTENCY_DESCRIPTION = (
    " Send an `Idempotency-Key` header (1 to 255 printable ASCII characters) to retry safely: "
    "the same key with the same body answers the first result without doing it again; the "
    "same key with another body answers 409. Keys are remembered for 7 days."
)
MAX_KEY_LENGTH = 255
KEEP_ANSWERED = datetime.timedelta(days=7)

# Refusals that change nothing: after one, the key may be used again.
_REFUSALS = (DomainError, ValidationError, HttpError)


def _key(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise ApiError(
            "invalid_idempotency_key",
            _("The Idempotency-Key header must be 1 to %(max)d printable ASCII characters.")
            % {"max": MAX_KEY_LENGTH},
            status=400,
        )
    return key


def request_fingerprint(request: HttpRequest, payload: BaseModel | None) -> str:
    """What makes two requests "the same": method, path and the body as parsed."""
    body = payload.model_dump(mode="json") if payload is not None else None
    text = json.dumps(
        {"method": request.method, "path": request.path, "body": body},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def idempotent(
    request: HttpRequest,
    payload: BaseModel | None,
    run: Callable[[str], tuple[int, Schema]],
) -> Any:
    """Carry out ``run`` once per ``Idempotency-Key`` and answer the same each time.

    ``run`` receives a stable reference for the request (empty without a key), which the money
    services record as the cause of the payment, and returns ``(status, body)``.
    """
    key = _key(request)
    if key is None:
        status, body = run("")
        return Status(status, body)
    user = signed_in_user(request)
    fingerprint = request_fingerprint(request, payload)
    try:
        with transaction.atomic():
            record = IdempotentRequest.objects.create(user=user, key=key, fingerprint=fingerprint)
    except IntegrityError:
        found = IdempotentRequest.objects.filter(user=user, key=key).first()
        if found is None:  # forgotten in between (the first was refused): nothing to replay
            raise ApiError(
                "idempotency_key_in_progress",
                _("A request with this Idempotency-Key is being processed. Try again shortly."),
                status=409,
            ) from None
        return _replay(found, fingerprint)
    try:
        status, body = run(f"request:{record.pk}")
    except _REFUSALS:
        IdempotentRequest.objects.filter(pk=record.pk).delete()
        raise
    data = body.model_dump(mode="json")
    IdempotentRequest.objects.filter(pk=record.pk).update(
        status_code=status, response=data, completed_at=timezone.now()
    )
    return Status(status, data)


def _replay(record: IdempotentRequest, fingerprint: str) -> Any:
    if record.fingerprint != fingerprint:
        raise ApiError(
            "idempotency_key_reused",
            _(
                "This Idempotency-Key was already used for a different request. "
                "Use a new key for a new request."
            ),
            status=409,
        )
    if record.completed_at is None or record.status_code is None:
        raise ApiError(
            "idempotency_key_in_progress",
            _("A request with this Idempotency-Key is being processed. Try again shortly."),
            status=409,
        )
    return Status(record.status_code, record.response)


def idempotency_records_sweep(*, now: datetime.datetime | None = None) -> int:
    """Forget keys answered more than ``KEEP_ANSWERED`` ago; returns how many."""
    cutoff = (now or timezone.now()) - KEEP_ANSWERED
    deleted, _by_model = IdempotentRequest.objects.filter(completed_at__lt=cutoff).delete()
    return deleted
