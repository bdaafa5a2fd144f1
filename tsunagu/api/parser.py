"""The JSON body parser: declared as JSON, UTF-8 only, standard JSON only, each key once."""

from __future__ import annotations

import json
from typing import Any, NoReturn, cast

from django.http import HttpRequest
from ninja.parser import Parser
from ninja.types import DictStrAny

JSON_CONTENT_TYPE = "application/json"


class UnsupportedMediaType(ValueError):
    """The body was sent under another content type than ``application/json``."""

    def __init__(self, content_type: str) -> None:
        super().__init__(f"{content_type or 'no content type'} is not {JSON_CONTENT_TYPE}")
        self.content_type = content_type


class DuplicateKey(ValueError):
    """An object of the body names the same key twice (``{"amount": 1, "amount": 2}``)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


class StrictJsonParser(Parser):
    """Like ninja's parser, but strict about what it takes as JSON.

    * The body must be declared ``Content-Type: application/json``: a body sent as text or as a
      form is not read as JSON by chance (answered 415).
    * It must be UTF-8: ``json.loads`` on bytes guesses UTF-16 and UTF-32 too; decoding first
      keeps one encoding.
    * NaN and Infinity are not JSON.
    * A key given twice in one object is refused (answered 400) rather than keeping the last
      value: ``{"amount": 100, "amount": 200}`` must not charge 200 while a proxy that kept the
      first saw 100.

    ninja wraps what this raises into ``HttpError(400)``; the error handlers look at the cause
    (:class:`UnsupportedMediaType`, :class:`DuplicateKey`, ``UnicodeDecodeError`` or
    ``ValueError``) to tell the client which one it was.
    """

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        content_type = (request.content_type or "").lower()
        if content_type != JSON_CONTENT_TYPE:
            raise UnsupportedMediaType(content_type)
        text = request.body.decode("utf-8")
        data: Any = json.loads(
            text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys
        )
        return cast(DictStrAny, data)
