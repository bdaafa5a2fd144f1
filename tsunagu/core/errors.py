"""Why the domain refused: one error base for every app.

A service that refuses raises a subclass of :class:`DomainError` with a stable ``code`` (snake_case,
never translated, clients may branch on it), a ``message`` for people (translated) and a ``kind``
that says what sort of refusal it is. Each app declares only its codes::

    class ContractError(DomainError):
        messages = {"not_the_client": _("Only the client of this contract can do this."), ...}
        kinds = {"not_the_client": ErrorKind.FORBIDDEN}
        default_kind = ErrorKind.CONFLICT

    raise ContractError.refuse("not_the_client")

The front ends never map codes themselves: the API answers every ``DomainError`` with the HTTP
status of its kind (one handler, ``tsunagu.api.errors``), and pages show ``message``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar, Self

from django.core.exceptions import ValidationError
from django.utils.functional import Promise


class ErrorKind(StrEnum):
    """What sort of refusal: each front end turns it into its own answer (an HTTP status)."""

    INVALID = "invalid"  # the input cannot be accepted as it is
    FORBIDDEN = "forbidden"  # this person may not do this
    NOT_FOUND = "not_found"  # there is nothing (that this person may see) by that name
    CONFLICT = "conflict"  # the current state does not allow it
    RATE_LIMITED = "rate_limited"  # too many of these for now


class DomainError(Exception):
    """A refusal of the domain: nothing has changed.

    ``messages`` maps each code to its translatable text, which may hold ``%(name)s`` placeholders
    filled from ``params``; ``kinds`` gives the kind of the codes that are not ``default_kind``.
    ``field`` names the input the refusal is about, when there is one.
    """

    messages: ClassVar[Mapping[str, str | Promise]] = {}
    kinds: ClassVar[Mapping[str, ErrorKind]] = {}
    default_kind: ClassVar[ErrorKind] = ErrorKind.CONFLICT

    def __init__(
        self,
        code: str,
        message: str | Promise | None = None,
        *,
        kind: ErrorKind | None = None,
        field: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.code = code
        self._message = message if message is not None else self.messages[code]
        self.kind = kind if kind is not None else self.kinds.get(code, self.default_kind)
        self.field = field
        self.params = dict(params or {})
        super().__init__(code)

    @classmethod
    def refuse(cls, code: str, *, field: str | None = None, **params: Any) -> Self:
        """The error for one of this class's codes, with its declared message and kind."""
        return cls(code, field=field, params=params)

    @property
    def message(self) -> str:
        """The text for people, in the language active when it is read."""
        text = str(self._message)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """A Django ``ValidationError`` as ``[{"field": ..., "message": ...}]`` (field "" if none)."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": str(message)} for message in exc.messages]


def error_text(exc: DomainError | ValidationError) -> str:
    """What a page shows for a refusal: the domain's message, or the validation messages."""
    if isinstance(exc, DomainError):
        return exc.message
    return " ".join(str(message) for message in exc.messages)
