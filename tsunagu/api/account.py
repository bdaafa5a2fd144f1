"""/api/v1/account: closing one's own account."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from tsunagu.accounts.closing import account_close
from tsunagu.accounts.request import signed_in_user
from tsunagu.api.schemas import ErrorOut, StrictSchema
from tsunagu.core.fields import Line

router = Router(tags=["me"])

ERRORS: dict[int | tuple[int, ...], Any] = {(401, 403, 409, 422, 429): ErrorOut}


class AccountCloseIn(StrictSchema):
    password: Line = Field(max_length=4096, description="The account's password, to confirm.")


class AccountClosedOut(Schema):
    closed: bool
    closed_at: datetime.datetime | None


@router.post("/close", response={200: AccountClosedOut, **ERRORS}, summary="Close my account")
def account_close_api(request: HttpRequest, payload: AccountCloseIn) -> AccountClosedOut:
    """Refused (409) while contracts, escrow or the wallet are still open, with what is left in
    the message; 422 for a wrong password. Afterwards every token and session is revoked."""
    user = account_close(user=signed_in_user(request), password=payload.password)
    return AccountClosedOut(closed=True, closed_at=user.closed_at)
