"""Ledger throughput against pgbench's TPC-B-like script, on the same PostgreSQL database.

    uv run python -m bench.ledger [--database-url URL] [--concurrency 2,4] [--seconds 20]

For each concurrency C it runs ``pgbench -b tpcb-like -c C -j C`` before and after the ledger's
single-transfer path (the mean of the two is the reference, because other work on the machine
moves both), then the batched path and the hot-account variant, prints a table, and rewrites its
own section of docs/benchmarks.md. The whole round is repeated (``--repeat``, the concurrencies
taking turns so that a busy minute on a shared machine does not land on one of them) and the
table gives medians, with the range of the ratios to the targets.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:ledger:start -->", "<!-- bench:ledger:end -->"
HEADER = """# Benchmarks

Each section below is written by the benchmark command it names, between its own markers; run
the command again to refresh it. Numbers depend on the machine and on what else it was doing.
"""
BATCH_TARGET = 10_000  # transfers per second on the batched path
SINGLE_TARGET = 0.5  # single-path transfers/s as a fraction of pgbench TPS


def ensure_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def pgbench_path() -> str:
    found = shutil.which("pgbench")
    if not found:
        raise SystemExit("pgbench is missing: apt-get install -y postgresql-client-15")
    return found


def pgbench_args(url: str) -> list[str]:
    parts = urlsplit(url)
    return [
        *("-h", parts.hostname or "127.0.0.1"),
        *("-p", str(parts.port or 5432)),
        *("-U", parts.username or "postgres"),
        parts.path.lstrip("/"),
    ]


def pgbench(url: str, concurrency: int, seconds: int) -> float:
    c = str(concurrency)
    done = subprocess.run(  # noqa: S603
        [
            pgbench_path(),
            "-b",
            "tpcb-like",
            "-c",
            c,
            "-j",
            c,
            "-T",
            str(seconds),
            *pgbench_args(url),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"tps = ([\d.]+)", done.stdout)
    if not found:
        raise SystemExit(f"pgbench printed no tps:\n{done.stdout}\n{done.stderr}")
    return float(found.group(1))


def ledger(url: str, *args: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "tsunagu.cli", "bench", "ledger", "--database-url", url, *args]
    print("  $", "tsunagu bench ledger", *args, file=sys.stderr, flush=True)
    done = subprocess.run(  # noqa: S603
        command,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DATABASE_URL": url},
        cwd=ROOT,
    )
    if done.returncode:
        raise SystemExit(f"the ledger bench failed:\n{done.stdout}\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert isinstance(result, dict)
    return result


def machine(url: str) -> dict[str, str]:
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        server = row[0] if row else "?"
        row = conn.execute("SHOW synchronous_commit").fetchone()
        sync = row[0] if row else "?"
    uname = platform.uname()
    return {
        "uname": f"{uname.system} {uname.release} {uname.machine}",
        "cpu": cpu or platform.processor(),
        "cores": str(os.cpu_count()),
        "memory": memory,
        "postgresql": f"{server} (synchronous_commit={sync})",
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ledger", description=__doc__)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/tsunagu_bench"
    )
    parser.add_argument("--concurrency", default="2,4", help="comma-separated (default 2,4)")
    parser.add_argument("--seconds", type=int, default=15, help="each pgbench run (default 15)")
    parser.add_argument("--transfers", type=int, default=8_000, help="single path (default 8000)")
    parser.add_argument("--batch", type=int, default=1_000, help="flows per call (default 1000)")
    parser.add_argument(
        "--batch-transfers", type=int, default=100_000, help="batched path (default 100000)"
    )
    parser.add_argument("--accounts", type=int, default=1_000, help="client/worker pairs")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, for medians (default 3)")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    args = parser.parse_args(argv)
    pgbench_path()
    url = args.database_url
    ensure_database(url)
    about = machine(url)
    loads = [load()]
    runs: list[dict[str, Any]] = []
    concurrencies = [int(x) for x in args.concurrency.split(",")]
    for round_ in range(1, args.repeat + 1):
        for c in concurrencies:
            common = ["--concurrency", str(c), "--accounts", str(args.accounts)]
            print(f"round {round_}, concurrency {c}", file=sys.stderr, flush=True)
            ledger(url, "--reset", "--transfers", "400", *common)  # fresh schema, warm caches
            subprocess.run(  # noqa: S603
                [pgbench_path(), "-i", "-q", *pgbench_args(url)], capture_output=True, check=True
            )
            before = pgbench(url, c, args.seconds)
            single = ledger(url, "--transfers", str(args.transfers), *common)
            after = pgbench(url, c, args.seconds)
            batched = ledger(
                url, "--transfers", str(args.batch_transfers), "--batch", str(args.batch), *common
            )
            hot = ledger(
                url,
                *("--transfers", str(args.transfers // 4)),
                *("--concurrency", str(c), "--accounts", "1"),
            )
            loads.append(load())
            runs.append(
                {
                    "round": round_,
                    "concurrency": c,
                    "load": loads[-1],
                    "pgbench_tps": [before, after],
                    "tps": (before + after) / 2,
                    "single": single,
                    "batched": batched,
                    "hot": hot,
                }
            )
    rows = [summary(c, [r for r in runs if r["concurrency"] == c]) for c in concurrencies]
    table = render(rows)
    print(table)
    for run in runs:
        print(json.dumps(run))
    if not args.no_docs:
        write_doc(section(about, args, rows, runs, table, loads))
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


def summary(concurrency: int, runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the rounds at one concurrency, and the range of each ratio to its target."""

    def median(values: list[float]) -> float:
        return statistics.median(values)

    single_ratio = [r["single"]["per_second"] / r["tps"] for r in runs]
    batch_ratio = [r["batched"]["per_second"] / BATCH_TARGET for r in runs]
    return {
        "concurrency": concurrency,
        "rounds": len(runs),
        "tps": median([r["tps"] for r in runs]),
        "single": median([r["single"]["per_second"] for r in runs]),
        "single_calls": median([r["single"]["calls_per_second"] for r in runs]),
        "single_ratio": median(single_ratio),
        "single_ratio_range": (min(single_ratio), max(single_ratio)),
        "call_ratio": median([r["single"]["calls_per_second"] / r["tps"] for r in runs]),
        "batched": median([r["batched"]["per_second"] for r in runs]),
        "batch": runs[0]["batched"]["batch"],
        "batch_ratio": median(batch_ratio),
        "batch_ratio_range": (min(batch_ratio), max(batch_ratio)),
        "hot": median([r["hot"]["per_second"] for r in runs]),
        "violations": sum(
            r[k]["invariant_violations"] for r in runs for k in ("single", "batched", "hot")
        ),
    }


def render(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| C | rounds | pgbench TPS | single: transfers/s (calls/s) | ÷ pgbench TPS (range) "
        "| batched: transfers/s | ÷ 10,000 (range) | hot account: transfers/s | violations |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lo, hi = r["single_ratio_range"]
        blo, bhi = r["batch_ratio_range"]
        lines.append(
            f"| {r['concurrency']} | {r['rounds']} | {r['tps']:.0f} "
            f"| {r['single']:.0f} ({r['single_calls']:.0f}) "
            f"| {r['single_ratio']:.2f} ({lo:.2f}–{hi:.2f}; target ≥ {SINGLE_TARGET}) "
            f"| {r['batched']:.0f} (B={r['batch']}) | {r['batch_ratio']:.2f} ({blo:.2f}–{bhi:.2f}) "
            f"| {r['hot']:.0f} | {r['violations']} |"
        )
    return "\n".join(lines)


def section(
    about: dict[str, str],
    args: argparse.Namespace,
    rows: list[dict[str, Any]],
    runs: list[dict[str, Any]],
    table: str,
    loads: list[str],
) -> str:
    facts = "\n".join(f"- {key}: {value}" for key, value in about.items())
    raw = "\n".join(
        json.dumps(
            {
                k: r[k]
                for k in ("round", "concurrency", "load", "pgbench_tps", "single", "batched", "hot")
            }
        )
        for r in runs
    )
    single_ok = all(r["single_ratio"] >= SINGLE_TARGET for r in rows)
    batch_ok = all(r["batched"] >= BATCH_TARGET for r in rows)
    clean = all(r["violations"] == 0 for r in rows)
    argv = " ".join(sys.argv[1:])
    verdict = (
        f"Single path target (≥ {SINGLE_TARGET} × pgbench TPS, medians): "
        f"{'met' if single_ok else 'not met'}. Batched target (≥ {BATCH_TARGET:,} transfers/s, "
        f"medians): {'met' if batch_ok else 'not met'}. "
        f"Invariant violations: {'none' if clean else 'SOME'}."
    )
    return f"""{START}
## Ledger: escrow flows vs pgbench TPC-B

Command: `uv run python -m bench.ledger {argv}`{" " if argv else ""}(database {args.database_url},
{args.accounts} client/worker pairs, single path {args.transfers} transfers, batched path
{args.batch_transfers} transfers with {args.batch} flows per call, hot account
{args.transfers // 4} transfers on one pair, pgbench {args.seconds} s per run, scale 1;
{args.repeat} rounds, the concurrencies taking turns; medians).

{facts}
- load average (1/5/15 min) at start, then after each round and concurrency: {" → ".join(loads)}

{table}

A flow is fund (a hold, 1 transfer, 1 call) then release (post + payout + fee, 3 transfers, 1
call): 4 transfers and 2 database transactions. A pgbench TPC-B transaction is 1 transaction, so
"transfers/s ÷ TPS" compares 2 ledger transfers per transaction against one; calls/s ÷ TPS is the
transaction-for-transaction ratio. The fee account is one row locked by every release, as
pgbench's single branch row at scale 1 is locked by every transaction.

{verdict}

{READING}

<details><summary>raw results</summary>

```
{raw}
```
</details>
{END}"""


# What the numbers mean; written by hand after reading the runs, kept here so that a rerun
# rewrites the numbers without losing it. Update it when the code or the numbers change.
READING = """\
Reading (written for the run of 2026-11-22 18:27 UTC above). Before these changes (the ledger
as of 0e44d73), the same command right after it, 18:34 UTC, load 1.9–2.5: single path 0.43 (C=2) and 0.35
(C=4) of pgbench's TPS, batched 9,661 and 10,845 transfers/s; an earlier round at load 2.5–3.7
gave 0.36 / 0.24 and 6,749 / 5,930. After: 0.63 and 0.57, 22,986 and 26,708, no violations.

What changed. On PostgreSQL `transfers_create` goes through hand-written SQL
(`tsunagu/ledger/stores.py`): the account lock and the re-read of keys and holds go out
together in psycopg's pipeline mode (the re-read starts only once every lock is held), then one
statement inserts the transfers and updates the totals, so a call waits for the server three
times (with the commit) instead of seven, and sends 8 packets (strace). Every statement passes
one array per column, bound in binary, whatever the batch size. The re-read of a batch's
4,000 keys used to be a sequential scan of the whole transfer table plus a hash of every
resolution (170–280 ms a call at 500,000 rows, inside the locks); keys are now looked up one
by one through the index (11 ms). In Python, a batch costs about 30 µs a transfer instead of
45 (engine on mutable totals, no quoting of literals, Transfer instances built without
`Model.__init__`); a single-path call about 0.6 ms of client CPU, of which about 0.43 ms goes to
sending statements and reading results. SQLite keeps the ORM through the same steps and the same engine.

What limits it now. Single path: the release holds the fee account's row from its first
statement to its commit (a WAL flush, synchronous_commit=on), so releases run one at a time;
pgbench holds its branch row only for its last two statements. The Python clients share the two
cores with PostgreSQL. Server-side prepared statements would save a further 0.2–0.3 ms of
planning per call (measured statement by statement), but Django turns them off by default
because transaction-pooling proxies break them: enabling them (`OPTIONS["prepare_threshold"]`)
is a deployment decision, not made here. Batched path: every release batch locks the same fee
row, so release batches run one after the other; inside one, the database spends about 15 µs a
transfer inserting into eleven indexes (two of them, the plain index on `pending_id` and the
`LIKE` index on `key`, duplicate others for this workload), about 10 µs updating totals and
about 20 µs on the deferred foreign-key checks at commit. Numbers move with the machine's other
work: pgbench alone ran between 590 and 2,760 TPS today; the ranges in the table are the spread
of the three rounds.\
"""


def write_doc(text: str) -> None:
    current = DOC.read_text() if DOC.exists() else HEADER
    if START in current and END in current:
        head, rest = current.split(START, 1)
        tail = rest.split(END, 1)[1]
        current = head + text + tail
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(current)


if __name__ == "__main__":
    raise SystemExit(main())
