""" "Who can introduce me" at scale: the set-based join against a breadth-first search in Python.

    uv run python -m bench.referrals [--database-url URL] [--people 100000] [--friends 1000]
                                     [--degree 1000] [--repeat 7]

Fills a separate database (SQLite under var/ by default; PostgreSQL with ``--database-url``)
with ``--people`` accounts: one viewer with ``--friends`` accepted connections, each of whom
has ``--degree`` connections of their own (about a million rows for the defaults). Then asks
who can introduce the viewer to three targets: an ordinary person two steps away, a busy
stranger with ``--degree`` connections, and someone connected to every one of the viewer's
connections. Each answer is timed against a BFS that reads each neighbour's
connections with its own query (what a per-row implementation does), and the two answers are
checked to name the same introducers. Prints a table and rewrites its section of
docs/benchmarks.md.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.analytics import HEADER, ensure_database, setup_django

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:referrals:start -->", "<!-- bench:referrals:end -->"
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'bench-referrals.sqlite3'}"


def fill(*, people: int, friends: int, degree: int, seed: int = 12) -> dict[str, Any]:
    """Fresh accounts and connections; returns the viewer, the targets and the insert time."""
    from django.db import connection, transaction

    from tsunagu.accounts.models import User
    from tsunagu.profiles.models import Profile
    from tsunagu.referrals.models import Connection

    rng = random.Random(seed)
    started = time.perf_counter()
    Connection.objects.all().delete()
    run = f"{int(time.time())}"
    unusable = "!"  # an unusable password hash: these accounts cannot log in
    for start in range(0, people, 20_000):
        User.objects.bulk_create(
            [
                User(email=f"bench-{run}-{i}@referrals.example", password=unusable)
                for i in range(start, min(people, start + 20_000))
            ],
            batch_size=5_000,
        )
    ids = list(
        User.objects.filter(email__startswith=f"bench-{run}-")
        .order_by("id")
        .values_list("id", flat=True)
    )
    for start in range(0, people, 20_000):
        Profile.objects.bulk_create(
            [
                Profile(
                    user_id=pk, display_name=f"Bench {pk}", worker_trust_score=rng.randrange(101)
                )
                for pk in ids[start : start + 20_000]
            ],
            batch_size=5_000,
        )
    viewer, dense, worst = ids[0], ids[1], ids[2]
    circle = ids[3 : 3 + friends]
    population = ids[3 + friends :]
    pairs: set[tuple[int, int]] = set()

    def link(a: int, b: int) -> None:
        if a != b:
            pairs.add((a, b) if a < b else (b, a))

    for friend in circle:
        link(viewer, friend)
        for other in rng.sample(population, degree - 1):
            link(friend, other)
    for other in rng.sample(population, degree):
        link(dense, other)
    for friend in circle:
        link(worst, friend)
    # an ordinary person two steps away: a friend's friend, not a friend of the viewer
    ordinary = next(b for a, b in sorted(pairs) if a == circle[0] and b in set(population))
    rows = [(a, b, a, "accepted") for a, b in sorted(pairs)]
    now = datetime.datetime.now(tz=datetime.UTC)
    sql = (
        "INSERT INTO referrals_connection (user_low_id, user_high_id, requested_by_id, status,"
        " created_at, changed_at, accepted_at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            cursor.executemany(sql, [(*r, now, now, now) for r in rows[start : start + 50_000]])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "viewer": viewer,
        "targets": {"ordinary": ordinary, "busy stranger": dense, "all direct": worst},
        "rows": len(rows),
        "fill_seconds": time.perf_counter() - started,
    }


def naive(viewer: int, target: int) -> set[int]:
    """The reference: a BFS over per-person queries (the introducers it finds)."""
    from tsunagu.referrals.selectors import connected_ids

    mine = connected_ids(viewer)
    theirs = connected_ids(target)
    found = set()
    for first in mine:
        if first == target:
            continue
        if first in theirs:
            found.add(first)
            continue
        second = connected_ids(first)
        # a second hop the viewer knows too could be asked directly: not a path through first
        if (second & theirs) - mine - {viewer, target}:
            found.add(first)
    return found


def timed(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    result = func()  # warm the caches once
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def measure(data: dict[str, Any], repeat: int) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tsunagu.referrals.graph import who_can_introduce

    viewer = data["viewer"]
    results = []
    for name, target in data["targets"].items():

        def fast(target: int = target) -> set[int]:
            answer = who_can_introduce(viewer_id=viewer, target_id=target, limit=10**9)
            return {p.introducer.user_id for p in answer.paths}

        with CaptureQueriesContext(connection) as ctx:
            fast()
        fast_seconds, fast_answer = timed(fast, repeat)

        def reference(target: int = target) -> set[int]:
            return naive(viewer, target)

        naive_seconds, naive_answer = timed(reference, max(1, repeat // 3))
        results.append(
            {
                "name": name,
                "fast_ms": fast_seconds * 1000,
                "queries": len(ctx.captured_queries),
                "naive_ms": naive_seconds * 1000,
                "introducers": len(fast_answer),
                "agree": fast_answer == naive_answer,
            }
        )
    return results


def _ratio(reference: float, measured: float) -> str:
    ratio = reference / max(measured, 1e-9)
    return f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.1f}"


def _server(connection: Any) -> str:
    if connection.vendor == "postgresql":
        number = connection.cursor().connection.info.server_version
        return f"PostgreSQL {number // 10000}.{number % 10000}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def section(args: argparse.Namespace, data: dict[str, Any], results: list[dict[str, Any]]) -> str:
    from django.db import connection

    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    url = "" if args.database_url == DEFAULT_URL else " --database-url URL"
    lines = "\n".join(
        f"| {r['name']} | {r['introducers']:,} | {r['fast_ms']:.1f} ms ({r['queries']} queries) "
        f"| {r['naive_ms']:.0f} ms | {_ratio(r['naive_ms'], r['fast_ms'])}× "
        f"| {'yes' if r['agree'] else 'NO'} |"
        for r in results
    )
    return f"""{START}
## Referrals: "who can introduce me" vs a breadth-first search in Python

Command: `uv run python -m bench.referrals{url} --people {args.people} --friends {args.friends} --degree {args.degree}`
({_server(connection)}; one viewer with {args.friends:,} connections, each with {args.degree:,};
{data["rows"]:,} connection rows, filled in {data["fill_seconds"]:.0f} s). Medians of
{args.repeat} runs; the reference reads each of the viewer's connections' connections with its
own query, as a per-row implementation does.

| target | introducers found | set-based join | Python BFS | speed-up | same answer |
| --- | --- | --- | --- | --- | --- |
{lines}

"Ordinary": a friend's friend with a few dozen connections; "busy stranger": someone not
connected to the viewer with {args.degree:,} connections, reached through about ten thousand
two-step paths; "all direct": someone connected to every one of the viewer's connections, so
every introducer is one step away: the BFS's best case (no second-hop queries), shown for
honesty.

- python {platform.python_version()}, {platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} cores
- load average at the end (1/5/15 min): {load}
- date: {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d %H:%M} UTC
{END}"""


def write_doc(text: str) -> None:
    current = DOC.read_text() if DOC.exists() else HEADER
    if START in current and END in current:
        head, rest = current.split(START, 1)
        tail = rest.split(END, 1)[1]
        current = head + text + tail
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    DOC.write_text(current)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--friends", type=int, default=1_000)
    parser.add_argument("--degree", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-doc", action="store_true", help="print only; leave the doc alone")
    args = parser.parse_args(argv)
    if args.database_url.startswith("sqlite"):
        path = Path(args.database_url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    ensure_database(args.database_url)
    setup_django(args.database_url)
    print("filling…", file=sys.stderr, flush=True)
    data = fill(people=args.people, friends=args.friends, degree=args.degree)
    print("measuring…", file=sys.stderr, flush=True)
    results = measure(data, args.repeat)
    text = section(args, data, results)
    print(text)
    if not args.no_doc:
        write_doc(text)
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0 if all(r["agree"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
