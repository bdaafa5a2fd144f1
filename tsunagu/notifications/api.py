"""/api/v1/notifications: the caller's own notifications, and marking them read."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tsunagu.accounts.request import signed_in_user
from tsunagu.api.schemas import ErrorOut, StrictSchema
from tsunagu.core.fields import Id, Int
from tsunagu.notifications import selectors
from tsunagu.notifications.services import notifications_mark_read

router = Router(tags=["notifications"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 422, 429): ErrorOut}


class NotificationOut(Schema):
    id: int
    kind: str
    message: str
    url: str = Field(description="A path on this site, or empty.")
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationListOut(Schema):
    count: int
    unread: int
    page: int
    pages: int
    items: list[NotificationOut]


class PageQuery(Schema):
    page: Int = 1


class ReadIn(StrictSchema):
    ids: list[Id] | None = Field(
        None,
        description="Which of my notifications to mark read; leave out to mark all.",
        max_length=500,
    )


class ReadOut(Schema):
    marked: int
    unread: int


@router.get("", response={200: NotificationListOut, **ERRORS}, summary="My notifications")
def notification_list(request: HttpRequest, query: Query[PageQuery]) -> Any:
    user_id = signed_in_user(request).pk
    page = selectors.notification_page(user_id=user_id, page_number=max(query.page, 1))
    return NotificationListOut(
        count=page.paginator.count,
        unread=selectors.unread_count(user_id=user_id),
        page=page.number,
        pages=page.paginator.num_pages,
        items=[
            NotificationOut(
                id=n.pk,
                kind=n.kind,
                message=n.message,
                url=selectors.safe_internal_url(n.url),
                created_at=n.created_at,
                read_at=n.read_at,
            )
            for n in page.object_list
        ],
    )


@router.post("/read", response={200: ReadOut, **ERRORS}, summary="Mark my notifications read")
def notification_read(request: HttpRequest, payload: ReadIn) -> Any:
    user = signed_in_user(request)
    # Ids of other people's notifications are simply not found: the filter is by owner.
    marked = notifications_mark_read(user=user, ids=payload.ids)
    return ReadOut(marked=marked, unread=selectors.unread_count(user_id=user.pk))
