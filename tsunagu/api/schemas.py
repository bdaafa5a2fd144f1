"""Schemas shared by every app's API: the strict input base and the error shape."""

from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import ConfigDict


class StrictSchema(Schema):
    """Base for every input schema: a field the schema does not know is refused (422).

    A typo such as ``{"timezone": ...}`` for ``time_zone`` must not pass silently as a request
    that changes nothing.
    """

    model_config = ConfigDict(extra="forbid")


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """What every refused request answers: a stable ``code`` and a translated ``message``."""

    code: str
    message: str
    errors: list[FieldErrorOut] | None = None


class ApiTokenOut(Schema):
    """A personal API token as listed; the secret itself is never part of it."""

    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    is_active: bool
