"""Load test: Tsunagu on PostgreSQL + Redis with 1, 2 and 4 web processes, under a realistic mix.

    uv run python -m bench.load [--processes 1,2,4] [--seconds 20] [--users 16]
                                [--database-url URL] [--redis-url URL] [--port 18100] [--no-doc]

For each number of web processes it starts ``tsunagu run --workers N`` (gunicorn, sessions in
PostgreSQL, cache, rate limits and tasks in Redis, an RQ worker beside it) on 127.0.0.1, then
``--users`` signed-in demo people (each with their own session) replay, for ``--seconds``, a mix
of job search, job page, profile, room with new messages, wallet, contract page, sending a
message and sending a proposal, interleaved with a bare Django view that answers "ok"
(/bench/ok, on only with BENCH_ENDPOINTS). Every request has a timeout and the run stops by
itself. It reports requests/s, p50, p95, p99 and errors per endpoint, and each page's p95
divided by the bare view's p95 measured in the same run. Prints a table and rewrites its own
section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import random
import secrets
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench:load:start -->", "<!-- bench:load:end -->"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tsunagu_bench_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/4"
BARE = "bare /bench/ok"
# endpoint -> weight in the mix (the bare view is interleaved at the same rate as a page)
MIX = {
    "job search": 14,
    "job page": 14,
    "profile": 12,
    "room (new messages)": 14,
    "wallet": 8,
    "contract page": 10,
    "message send": 6,
    "proposal send": 3,
    BARE: 14,
}
PAGES = [name for name in MIX if name != BARE]
SEARCH_WORDS = ["翻訳", "記事", "デザイン", "開発", "ライティング", "動画", "Python", ""]
REQUEST_TIMEOUT = 30.0
BENCH_SUFFIX = " (bench)"


@dataclass
class Person:
    email: str
    session: str
    jobs: list[int]
    profiles: list[int]
    rooms: list[int]
    contracts: list[int]
    proposal_jobs: list[int] = field(default_factory=list)


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: dict[str, str] = field(default_factory=dict)


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "TASKS_BACKEND": "rq",
        "TASKS_REDIS_URL": args.redis_url,
        "BENCH_ENDPOINTS": "1",
        "WEB_SERVER": "gunicorn",  # the same server for 1, 2 and 4 processes
        "TSUNAGU_VAR_DIR": str(ROOT / "var" / "bench-load"),
        "PROPOSALS_PER_DAY": "1000000",
        "LOG_LEVEL": "WARNING",
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "tsunagu.settings",
    }
    return env


def ensure_database(url: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup(env: dict[str, str]) -> None:
    """Migrate and load the demo data into the bench database, then set Django up here."""
    for command in (["migrate", "--noinput", "-v", "0"], ["demo"]):
        subprocess.run(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "tsunagu.cli", *command],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    os.environ.update(env)
    import django

    django.setup()


def plan(users: int, proposals_each: int) -> list[Person]:
    """Signed-in demo people (a real session row each) and what each of them may open."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Q

    from tsunagu.accounts.models import User
    from tsunagu.contracts.models import Contract
    from tsunagu.demo.people import PEOPLE
    from tsunagu.jobs import services as job_services
    from tsunagu.jobs.models import Job, JobStatus
    from tsunagu.messaging.models import RoomMember
    from tsunagu.profiles.models import Profile

    emails = [person.email for person in PEOPLE]
    people = list(User.objects.filter(email__in=emails).order_by("pk"))
    demo_jobs = Job.objects.filter(status=JobStatus.OPEN, visibility="public").exclude(
        title__endswith=BENCH_SUFFIX
    )
    public_jobs = list(demo_jobs.values_list("pk", flat=True))
    profiles = list(Profile.objects.values_list("pk", flat=True)[:200])
    templates: dict[int, Job] = {}
    for job in demo_jobs.select_related("client").order_by("pk"):
        templates.setdefault(job.client_id, job)
    chosen: list[Person] = []
    for index in range(users):
        user = people[index % len(people)]
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        rooms = list(
            RoomMember.objects.filter(user=user, removed_at__isnull=True).values_list(
                "room_id", flat=True
            )
        )
        contracts = list(
            Contract.objects.filter(Q(client=user) | Q(worker=user)).values_list("pk", flat=True)
        )
        chosen.append(
            Person(
                email=user.email,
                session=store.session_key or "",
                jobs=list(public_jobs) or [0],
                profiles=profiles,
                rooms=rooms,
                contracts=contracts,
            )
        )
    # Fresh open jobs, posted by someone else, for each person's proposals (one per job).
    for person in chosen:
        owner = next(t for t in templates.values() if t.client.email != person.email)
        for _ in range(proposals_each):
            job = job_services.job_publish(
                client=owner.client,
                job=None,
                values={**job_services._current_values(owner), "title": owner.title + BENCH_SUFFIX},
            )
            person.proposal_jobs.append(job.pk)
    return chosen


def start_server(env: dict[str, str], *, port: int, workers: int) -> subprocess.Popen[bytes]:
    log = (ROOT / "var" / "bench-load" / f"run-{workers}.log").open("wb")
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tsunagu.cli", "run", f"--port={port}", f"--workers={workers}"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


async def wait_serving(base: str, proc: subprocess.Popen[bytes]) -> None:
    import httpx

    give_up = time.monotonic() + 300
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        while time.monotonic() < give_up:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with {proc.returncode}")
            try:
                if (await client.get("/bench/ok")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("the server did not answer within 300 s")


def _request(person: Person, name: str, counter: int) -> tuple[str, str, dict[str, str]]:
    """(method, path, form) for one request of ``name`` by ``person``."""
    if name == "job search":
        return "GET", f"/jobs/?q={random.choice(SEARCH_WORDS)}", {}
    if name == "job page":
        return "GET", f"/jobs/{random.choice(person.jobs)}/", {}
    if name == "profile":
        return "GET", f"/profiles/{random.choice(person.profiles)}/", {}
    if name == "room (new messages)":
        return "GET", f"/messages/rooms/{random.choice(person.rooms)}/", {}
    if name == "wallet":
        return "GET", "/payments/wallet/", {}
    if name == "contract page":
        return "GET", f"/contracts/{random.choice(person.contracts)}/", {}
    if name == "message send":
        body = f"進捗のご報告です（{counter}）。本日中に初稿をお送りします。"
        return "POST", f"/messages/rooms/{random.choice(person.rooms)}/send/", {"body": body}
    if name == "proposal send":
        job = person.proposal_jobs.pop()
        form = {
            "cover_letter": "ご依頼内容を拝見しました。同様の案件の経験があり、丁寧に対応します。",
            "price": "30000",
            "schedule": "5日で初稿、10日で納品",
            "pm-TOTAL_FORMS": "0",
            "pm-INITIAL_FORMS": "0",
        }
        return "POST", f"/proposals/jobs/{job}/new/", form
    return "GET", "/bench/ok", {}


def _choices(person: Person) -> tuple[list[str], list[int]]:
    names = [
        name
        for name in MIX
        if not (name in ("room (new messages)", "message send") and not person.rooms)
        and not (name == "contract page" and not person.contracts)
    ]
    return names, [MIX[name] for name in names]


async def virtual_user(
    person: Person, base: str, deadline: float, stats: Stats, csrf: str, seed: int
) -> None:
    import httpx

    rng = random.Random(seed)
    names, weights = _choices(person)
    cookies = {"sessionid": person.session, "csrftoken": csrf}
    headers = {"X-CSRFToken": csrf, "Referer": base + "/", "Accept-Language": "ja"}
    counter = 0
    async with httpx.AsyncClient(
        base_url=base, cookies=cookies, headers=headers, timeout=REQUEST_TIMEOUT
    ) as client:
        while time.monotonic() < deadline:
            counter += 1
            name = rng.choices(names, weights)[0]
            if name == "proposal send" and not person.proposal_jobs:
                name = "job page"
            method, path, form = _request(person, name, counter)
            extra = {"HX-Request": "true"} if name == "message send" else {}
            started = time.perf_counter()
            try:
                response = await client.request(method, path, data=form or None, headers=extra)
                ok = response.status_code in (200, 204) or (
                    method == "POST" and response.status_code == 302
                )
                if not ok:
                    stats.samples.setdefault(name, f"{response.status_code} {path}")
            except httpx.HTTPError as exc:
                ok = False
                stats.samples.setdefault(name, f"{type(exc).__name__} {path}")
            elapsed = time.perf_counter() - started
            if time.monotonic() > deadline + REQUEST_TIMEOUT:
                break
            stats.latencies[name].append(elapsed)
            if not ok:
                stats.errors[name] += 1


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[rank]


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def run_once(
    env: dict[str, str], people: list[Person], *, workers: int, port: int, seconds: float
) -> tuple[Stats, float]:
    base = f"http://127.0.0.1:{port}"
    proc = start_server(env, port=port, workers=workers)
    try:
        asyncio.run(wait_serving(base, proc))
        csrf = secrets.token_hex(16)  # 32 characters: a CSRF secret Django accepts as is
        # warm-up (not counted): every process imports its views and opens its connections
        asyncio.run(_load(people, base, 3.0, Stats(), csrf))
        stats = Stats()
        started = time.monotonic()
        asyncio.run(_load(people, base, seconds, stats, csrf))
        return stats, time.monotonic() - started
    finally:
        stop_server(proc)


async def _load(people: list[Person], base: str, seconds: float, stats: Stats, csrf: str) -> None:
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(
            virtual_user(person, base, deadline, stats, csrf, seed=index)
            for index, person in enumerate(people)
        )
    )


def table(workers: int, stats: Stats, elapsed: float) -> tuple[str, dict[str, Any]]:
    bare_p95 = percentile(stats.latencies[BARE], 0.95)
    lines = [
        f"**{workers} web process{'es' if workers > 1 else ''}**",
        "",
        "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors | p95 / bare p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    total = 0
    errors = 0
    worst = 0.0
    for name in [*PAGES, BARE]:
        values = stats.latencies.get(name, [])
        total += len(values)
        errors += stats.errors.get(name, 0)
        p95 = percentile(values, 0.95)
        ratio = p95 / bare_p95 if bare_p95 else 0.0
        if name != BARE:
            worst = max(worst, ratio)
        lines.append(
            f"| {name} | {len(values)} | {len(values) / elapsed:.1f} | "
            f"{percentile(values, 0.5) * 1000:.0f} | {p95 * 1000:.0f} | "
            f"{percentile(values, 0.99) * 1000:.0f} | {stats.errors.get(name, 0)} | "
            f"{'' if name == BARE else f'{ratio:.1f}×'} |"
        )
    lines.append(
        f"| **all** | {total} | {total / elapsed:.1f} | | | | {errors} | worst {worst:.1f}× |"
    )
    if stats.samples:
        lines += [
            "",
            "first error of each endpoint: "
            + "; ".join(f"{name}: {sample}" for name, sample in stats.samples.items()),
        ]
    return "\n".join(lines), {"rps": total / elapsed, "errors": errors, "worst": worst}


def section(args: argparse.Namespace, tables: list[str], summary: dict[int, dict[str, Any]]) -> str:
    load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    rising = " → ".join(f"{summary[n]['rps']:.1f}" for n in sorted(summary))
    return f"""{START}
## Load: pages against a bare view, 1, 2 and 4 web processes (`bench/load.py`)

`uv run python -m bench.load --processes {",".join(map(str, args.processes))} --seconds {args.seconds:g} --users {args.users}`

Each run starts `tsunagu run --workers N` (gunicorn, {args.threads} threads per process) on
PostgreSQL and Redis (sessions in the database; cache, rate limits and RQ tasks in Redis), then
{args.users} signed-in demo people send requests back to back for {args.seconds:g} s after a 3 s
warm-up; the bare view (`/bench/ok`) is part of the same mix, so "p95 / bare p95" compares at
the same load. A POST answered with a redirect counts as a success; any other status than
200/204 or a timeout ({REQUEST_TIMEOUT:g} s) is an error. Throughput (all requests/s) by
processes: {rising}.

{chr(10).join(tables)}

- machine: python {platform.python_version()}, {platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} cores (the load generator runs on the same cores)
- load average at the end (1/5/15 min): {load}
- date: {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d %H:%M} UTC
{END}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument(
        "--processes", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2, 4]
    )
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=18100)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--no-doc", action="store_true", help="print only; leave the doc alone")
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 600 or not 1 <= args.users <= 200:
        parser.error("--seconds must be within 1..600 and --users within 1..200")
    env = server_env(args)
    env["WEB_THREADS"] = str(args.threads)
    (ROOT / "var" / "bench-load").mkdir(parents=True, exist_ok=True)
    ensure_database(args.database_url)
    print("migrating and loading the demo data…", file=sys.stderr, flush=True)
    setup(env)
    tables = []
    summary: dict[int, dict[str, Any]] = {}
    for offset, workers in enumerate(args.processes):
        # proposals go to fresh jobs: enough for the busiest person of this run
        people = plan(args.users, proposals_each=int(args.seconds * 2) + 10)
        print(f"{workers} web process(es): {args.seconds:g} s…", file=sys.stderr, flush=True)
        stats, elapsed = run_once(
            env, people, workers=workers, port=args.port + offset, seconds=args.seconds
        )
        text, summary[workers] = table(workers, stats, elapsed)
        print(text + "\n", flush=True)
        tables.append(text + "\n")
    doc = section(args, tables, summary)
    if not args.no_doc:
        from bench.analytics import write_doc

        write_doc(doc, start=START, end=END)
    failed = any(s["errors"] for s in summary.values()) or any(
        s["worst"] > 5 for s in summary.values()
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
