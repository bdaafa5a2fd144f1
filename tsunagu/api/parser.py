"""The JSON body parser: UTF-8 only, standard JSON only."""

from __future__ import annotations

import json
from typing import Any, NoReturn, cast

from django.http import HttpRequest
from ninja.parser import Parser
from ninja.types import DictStrAny


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


class StrictJsonParser(Parser):
    """Like ninja's parser, but a body in another encoding or with NaN/Infinity is refused.

    ``json.loads`` on bytes guesses UTF-16 and UTF-32 too; decoding first keeps one encoding.
    ninja wraps what this raises into ``HttpError(400)``; the error handlers look at the cause
    (``UnicodeDecodeError`` or ``ValueError``) to tell the client which one it was.
    """

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        text = request.body.decode("utf-8")
        data: Any = json.loads(text, parse_constant=_reject_constant)
        return cast(DictStrAny, data)
