"""Profile analytics at scale: the page's queries against an aggregate over the raw views.

    uv run python -m bench.analytics [--database-url URL] [--events 1000000] [--profiles 500]

Fills a separate database with ``--events`` raw profile views over the last 90 days (a fifth of
them on one busy profile), rolls them up with the periodic job, then times what the analytics
page reads for the busy profile (``profile_summary`` and ``profile_viewers``: roll-up rows for
past days, today's raw rows) against the same numbers computed straight from the raw table.
Prints a table and rewrites its own section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:analytics:start -->", "<!-- bench:analytics:end -->"
HEADER = """# Benchmarks

Each section below is written by the benchmark command it names, between its own markers; run
the command again to refresh it. Numbers depend on the machine and on what else it was doing.
"""
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tsunagu_bench_analytics"


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def fill(*, events: int, profiles: int, seed: int = 7) -> tuple[Any, float]:
    """Fresh users, profiles and views; returns the busy profile and seconds spent inserting."""
    from django.db import connection

    from tsunagu.accounts.models import User
    from tsunagu.analytics.models import (
        ProfileView,
        ProfileViewDaily,
        ProfileViewer,
        RollupState,
        ViewSource,
    )
    from tsunagu.analytics.services import visitor_hash
    from tsunagu.profiles.models import Profile

    rng = random.Random(seed)
    for model in (ProfileViewer, ProfileViewDaily, ProfileView, RollupState):
        model.objects.all().delete()
    run = f"{int(time.time())}"
    unusable = "!"  # an unusable password hash: these accounts cannot log in
    User.objects.bulk_create(
        [
            User(email=f"bench-{run}-{i}@analytics.example", password=unusable)
            for i in range(profiles)
        ]
    )
    users = list(User.objects.filter(email__startswith=f"bench-{run}-").order_by("id"))
    Profile.objects.bulk_create(
        [
            Profile(user=u, display_name=f"Bench {i}", is_client=i % 3 == 0)
            for i, u in enumerate(users)
        ]
    )
    profile_ids = list(
        Profile.objects.filter(user__in=users).order_by("id").values_list("id", flat=True)
    )
    busy = profile_ids[1]
    client_ids = [u.pk for i, u in enumerate(users) if i % 3 == 0]
    hashes = [visitor_hash(viewer=None, session_key=f"bench-{i}") for i in range(5000)]
    sources = list(ViewSource.values)
    now = datetime.datetime.now(tz=datetime.UTC)
    span = 90 * 24 * 3600
    started = time.perf_counter()
    batch: list[ProfileView] = []
    # in time order, as a real site would insert them
    offsets = sorted(rng.randrange(span) for _ in range(events))
    for offset in offsets:
        profile_id = busy if rng.random() < 0.2 else rng.choice(profile_ids)
        signed_in = rng.random() < 0.1
        viewer_id = rng.choice(client_ids) if signed_in else None
        batch.append(
            ProfileView(
                profile_id=profile_id,
                viewer_id=viewer_id,
                source=rng.choice(sources),
                created_at=now - datetime.timedelta(seconds=span - offset),
                visitor_hash=rng.choice(hashes),
            )
        )
        if len(batch) >= 20_000:
            ProfileView.objects.bulk_create(batch)
            batch.clear()
    if batch:
        ProfileView.objects.bulk_create(batch)
    inserted = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE analytics_profileview")
    return Profile.objects.select_related("user").get(pk=busy), inserted


def timed(func: Any, repeat: int) -> tuple[float, Any]:
    result = func()  # warm the caches once
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def measure(profile: Any, repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import TruncDate
    from django.test.utils import CaptureQueriesContext

    from tsunagu.analytics import selectors
    from tsunagu.analytics.models import ProfileView
    from tsunagu.analytics.services import profile_views_roll_up

    started = time.perf_counter()
    rolled = 0
    while taken := profile_views_roll_up(now=datetime.datetime.now(tz=datetime.UTC)):
        rolled += taken
    roll_up_seconds = time.perf_counter() - started

    def page() -> selectors.Summary:
        summary = selectors.profile_summary(profile=profile, days=90)
        selectors.profile_viewers(
            profile=profile, since=summary.since, today_start=summary.today_start
        )
        return summary

    with CaptureQueriesContext(connection) as ctx:
        page()
    page_seconds, summary = timed(page, repeat)
    zone = selectors.zone_or_utc(profile.user.time_zone)

    def raw() -> list[dict[str, Any]]:
        return list(
            ProfileView.objects.filter(profile=profile, created_at__gte=summary.since)
            .annotate(day=TruncDate("created_at", tzinfo=zone))
            .values("day")
            .annotate(n=Count("id"), unique=Count("visitor_hash", distinct=True))
            .order_by("day")
        )

    raw_seconds, raw_rows = timed(raw, max(3, repeat // 4))
    raw_total = sum(r["n"] for r in raw_rows)
    return {
        "rolled": rolled,
        "roll_up_seconds": roll_up_seconds,
        "page_ms": page_seconds * 1000,
        "page_queries": len(ctx.captured_queries),
        "raw_ms": raw_seconds * 1000,
        "busy_views": raw_total,
        "page_total": summary.total_views,
        "agree": raw_total == summary.total_views,
        "vendor": connection.vendor,
        "server": _server_version(connection),
    }


def _server_version(connection: Any) -> str:
    if connection.vendor != "postgresql":
        return ""
    number = connection.cursor().connection.info.server_version
    return f"{number // 10000}.{number % 10000}"


def section(args: argparse.Namespace, inserted: float, m: dict[str, Any]) -> str:
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"""{START}
## Profile analytics: the page's queries vs an aggregate over the raw views

Command: `uv run python -m bench.analytics --events {args.events} --profiles {args.profiles}`
({m["vendor"]} {m["server"]}; views over the last 90 days, a fifth of them on one busy profile;
10% by signed-in clients).

| what | result |
| --- | --- |
| raw views inserted (bulk_create, 20,000 a batch) | {args.events:,} in {inserted:.1f} s |
| roll-up job, from nothing | {m["rolled"]:,} views in {m["roll_up_seconds"]:.1f} s ({m["rolled"] / max(m["roll_up_seconds"], 1e-9):,.0f} views/s) |
| busy profile's views in 90 days | {m["busy_views"]:,} (page and raw aggregate agree: {"yes" if m["agree"] else "NO"}) |
| analytics page reads (summary + viewers, 90 days), median | {m["page_ms"]:.1f} ms in {m["page_queries"]} queries |
| the same per-day counts from the raw table, median | {m["raw_ms"]:.1f} ms in 1 query |
| speed-up | {m["raw_ms"] / max(m["page_ms"], 1e-9):.0f}× |

The page reads the daily roll-up for past days and only today's raw rows of one profile, so
its cost does not grow with the number of views; the raw aggregate grows with the busy
profile's views.

- python {platform.python_version()}, {platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} cores
- load average at the end (1/5/15 min): {load}
- date: {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d %H:%M} UTC
{END}"""


def write_doc(text: str, *, start: str = START, end: str = END) -> None:
    """Put ``text`` (which begins with ``start`` and ends with ``end``) in place of its section
    of docs/benchmarks.md, or at the end when it has none yet."""
    current = DOC.read_text() if DOC.exists() else HEADER
    if start in current and end in current:
        head, rest = current.split(start, 1)
        tail = rest.split(end, 1)[1]
        current = head + text + tail
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(current)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--profiles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-doc", action="store_true", help="print only; leave the doc alone")
    args = parser.parse_args(argv)
    ensure_database(args.database_url)
    setup_django(args.database_url)
    print(f"inserting {args.events:,} views…", file=sys.stderr, flush=True)
    profile, inserted = fill(events=args.events, profiles=args.profiles)
    print("rolling up and measuring…", file=sys.stderr, flush=True)
    m = measure(profile, args.repeat)
    text = section(args, inserted, m)
    print(text)
    if not args.no_doc:
        write_doc(text)
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0 if m["agree"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
