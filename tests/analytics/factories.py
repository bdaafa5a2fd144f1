"""Helpers for analytics tests: workers, clients and raw views in bulk."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from tests.profiles.factories import worker
from tsunagu.analytics.models import ProfileView, ViewSource
from tsunagu.analytics.services import visitor_hash
from tsunagu.profiles.models import Profile

_counter = itertools.count(1)


def client_profile(**fields: Any) -> Profile:
    """Someone who orders work (their profile says so)."""
    fields.setdefault("display_name", f"Client {next(_counter)}")
    return worker(is_client=True, is_worker=False, **fields)


def views_bulk(
    profile: Profile,
    *,
    count: int,
    start: datetime.datetime,
    step: datetime.timedelta,
    visitors: int = 10,
    sources: tuple[str, ...] = tuple(ViewSource.values),
    batch_size: int = 5000,
) -> list[ProfileView]:
    """``count`` anonymous views, ``step`` apart from ``start``, by ``visitors`` sessions."""
    hashes = [visitor_hash(viewer=None, session_key=f"s{i}") for i in range(visitors)]
    views = [
        ProfileView(
            profile=profile,
            source=sources[i % len(sources)],
            created_at=start + step * i,
            visitor_hash=hashes[i % visitors],
        )
        for i in range(count)
    ]
    return ProfileView.objects.bulk_create(views, batch_size=batch_size)
