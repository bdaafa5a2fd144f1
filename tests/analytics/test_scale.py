"""With many raw views, the page reads only the roll-up for past days and stays correct."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.analytics.factories import views_bulk
from tests.profiles.factories import worker
from tsunagu.analytics.models import ProfileView
from tsunagu.analytics.services import profile_views_roll_up

pytestmark = pytest.mark.django_db

RAW = re.compile(r'"analytics_profileview"(?!\w)')


def test_past_days_come_from_the_roll_up_only(client: Client) -> None:
    owner = worker(time_zone="Asia/Tokyo")
    zone = zoneinfo.ZoneInfo("Asia/Tokyo")
    today = timezone.now().astimezone(zone).date()
    start = datetime.datetime.combine(
        today - datetime.timedelta(days=89), datetime.time(0, 30), tzinfo=zone
    )
    views_bulk(owner, count=20_000, start=start, step=datetime.timedelta(minutes=6), visitors=200)
    ProfileView.objects.filter(created_at__gte=start + datetime.timedelta(days=89)).delete()
    raw_total = ProfileView.objects.count()
    while profile_views_roll_up():
        pass
    client.force_login(owner.user)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/analytics/?days=90").content.decode()
    raw_queries = [q["sql"] for q in ctx.captured_queries if RAW.search(q["sql"])]
    # the raw table is read for today only (the profile's views since local midnight)
    assert raw_queries
    for sql in raw_queries:
        assert '"created_at" >=' in sql, sql
    assert len(ctx.captured_queries) < 20
    assert f"<dd>{raw_total:,}</dd>" in html
