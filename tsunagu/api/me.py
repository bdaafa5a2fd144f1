"""/api/v1/me: the caller's own account, and their personal API tokens."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import field_validator

from tsunagu.accounts.request import signed_in_user
from tsunagu.accounts.services import user_preferences_update
from tsunagu.api import selectors, services
from tsunagu.api.schemas import ApiTokenOut, ErrorOut, StrictSchema
from tsunagu.core.fields import Line

router = Router(tags=["me"])

ERRORS: dict[int | tuple[int, ...], Any] = {
    (400, 401, 403, 404, 422, 429): ErrorOut,
}


class VerificationOut(Schema):
    levels: list[str] = Field(description="Verification levels passed, e.g. email, phone.")


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    language: str
    time_zone: str
    date_joined: datetime.datetime
    verification: VerificationOut | None = Field(
        None, description="Which identity checks this account has passed."
    )


class MePatchIn(StrictSchema):
    """Only the fields sent are changed; null is not a value for either."""

    language: Literal["ja", "en"] | None = Field(None, description="ja or en")
    time_zone: Line | None = Field(
        None, max_length=64, description="IANA time zone name", examples=["Asia/Tokyo"]
    )

    @field_validator("language", "time_zone", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Runs only for fields that were sent: a field left out keeps its None default.
        if value is None:
            raise ValueError(_("This field may not be null."))
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return None if value is None else services.validate_time_zone(value)


def _verified_levels(user: Any) -> list[str] | None:
    try:
        from tsunagu.accounts.selectors import verified_levels
    except ImportError:
        return None
    return sorted(verified_levels(user=user))


def _me_out(user: Any) -> MeOut:
    profile = getattr(user, "profile", None)
    levels = _verified_levels(user)
    return MeOut(
        id=user.pk,
        email=user.email,
        display_name=getattr(profile, "display_name", "") or "",
        language=user.language,
        time_zone=user.time_zone,
        date_joined=user.date_joined,
        verification=VerificationOut(levels=levels) if levels is not None else None,
    )


@router.get("", response={200: MeOut, **ERRORS}, summary="My account")
def me_get(request: HttpRequest) -> MeOut:
    return _me_out(signed_in_user(request))


@router.patch("", response={200: MeOut, **ERRORS}, summary="Change my language or time zone")
def me_patch(request: HttpRequest, payload: MePatchIn) -> MeOut:
    user = signed_in_user(request)
    data = payload.model_dump(exclude_unset=True)
    user_preferences_update(
        user=user,
        language=data.get("language", user.language),
        time_zone=data.get("time_zone", user.time_zone),
    )
    return _me_out(user)


@router.get("/tokens", response={200: list[ApiTokenOut], **ERRORS}, summary="My API tokens")
def me_tokens(request: HttpRequest) -> list[Any]:
    return list(selectors.api_token_list(user=signed_in_user(request)))


@router.post(
    "/tokens/{token_id}/revoke",
    response={200: ApiTokenOut, **ERRORS},
    summary="Revoke one of my API tokens",
)
def me_token_revoke(request: HttpRequest, token_id: int) -> Any:
    user = signed_in_user(request)
    token = selectors.api_token_get(user=user, pk=token_id)
    if token is None:
        raise Http404
    return services.api_token_revoke(token=token, by=user)
