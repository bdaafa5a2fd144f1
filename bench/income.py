"""A worker's income page with ten years of history: the roll-up against the raw transfers.

    uv run python -m bench.income [--database-url URL] [--clients 200] [--contracts 5000]

Fills a separate database with one worker who has worked for ``--clients`` clients over ten
years: ``--contracts`` paid contracts of one milestone each, and the ledger transfers a release
makes (the escrow funded, then the worker's share, the platform fee and the withholding tax out
of it: four per contract, 20,000 for 5,000 contracts; the hold is a single transfer here), dated
across the ten years. Then times the income page's reads (``income_dashboard`` from the monthly
roll-up, and the charts' geometry) against the same page computed from the raw transfers each
time, without the roll-up. Prints a table and rewrites its own section of docs/benchmarks.md.
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
import uuid
from pathlib import Path
from typing import Any

from bench.analytics import ensure_database, setup_django, write_doc

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:income:start -->", "<!-- bench:income:end -->"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tsunagu_bench_income"
YEARS = 10


def fill(*, clients: int, contracts: int, seed: int = 11) -> tuple[Any, int]:
    """A fresh worker with ``contracts`` released contracts among ``clients`` clients; returns
    the worker and the number of transfers inserted."""
    from django.db import connection

    from tsunagu.accounts.models import User
    from tsunagu.contracts.models import Contract, Milestone
    from tsunagu.contracts.states import ContractStatus, MilestoneStatus
    from tsunagu.ledger.models import Account, AccountKind, Transfer, TransferKind
    from tsunagu.ledger.services import platform_account, wallet_account
    from tsunagu.profiles.models import Profile

    rng = random.Random(seed)
    run = uuid.uuid4().hex[:8]
    unusable = "!"  # an unusable password hash: these accounts cannot log in
    User.objects.bulk_create(
        [
            User(email=f"bench-{run}-{i}@income.example", password=unusable)
            for i in range(clients + 1)
        ]
    )
    users = list(User.objects.filter(email__startswith=f"bench-{run}-").order_by("id"))
    Profile.objects.bulk_create(
        [Profile(user=u, display_name=f"Client {i}", is_worker=i == 0) for i, u in enumerate(users)]
    )
    worker, client_users = users[0], users[1:]
    now = datetime.datetime.now(tz=datetime.UTC)
    span = YEARS * 365 * 24 * 3600
    # a few clients carry most of the work, as in life: a Zipf-like choice
    weights = [1 / (rank + 1) for rank in range(clients)]
    chosen = rng.choices(client_users, weights=weights, k=contracts)
    when = sorted(now - datetime.timedelta(seconds=rng.randrange(span)) for _ in range(contracts))
    Contract.objects.bulk_create(
        [
            Contract(
                client=client,
                worker=worker,
                title=f"Bench {run} {k}",
                status=ContractStatus.COMPLETED,
                accepted_at=at,
                closed_at=at,
            )
            for k, (client, at) in enumerate(zip(chosen, when, strict=True))
        ]
    )
    made = list(Contract.objects.filter(title__startswith=f"Bench {run} ").order_by("id"))
    amounts = [rng.randrange(10, 300) * 1000 for _ in made]
    Milestone.objects.bulk_create(
        [
            Milestone(
                contract=contract,
                title="納品",
                amount=amount,
                tax=amount // 10,
                due_date=at.date(),
                status=MilestoneStatus.RELEASED,
                released_amount=amount,
                funded_at=at,
                closed_at=at,
            )
            for contract, amount, at in zip(made, amounts, when, strict=True)
        ]
    )
    milestones = list(Milestone.objects.filter(contract__in=made).order_by("id"))
    platform_fees = platform_account(kind=AccountKind.PLATFORM_FEES, currency="JPY")
    withholding = platform_account(kind=AccountKind.WITHHOLDING_PAYABLE, currency="JPY")
    wallet = wallet_account(user_id=worker.pk, currency="JPY")
    Account.objects.bulk_create(
        [
            Account(code=m.contract.escrow_code, kind=AccountKind.ESCROW, currency="JPY")
            for m in milestones
        ]
    )
    escrows = dict(
        Account.objects.filter(code__in=[m.contract.escrow_code for m in milestones]).values_list(
            "code", "pk"
        )
    )
    client_wallets = {c.pk: wallet_account(user_id=c.pk, currency="JPY").pk for c in client_users}
    transfers: list[Transfer] = []
    for m in milestones:
        gross = m.amount + m.tax
        fee = gross // 10
        tax = m.amount * 1021 // 10000
        escrow = escrows[m.contract.escrow_code]
        batch = uuid.uuid4()
        for part, debit, credit, amount, reason in (
            ("fund", client_wallets[m.contract.client_id], escrow, gross, "fund"),
            ("pay", escrow, wallet.pk, gross - fee - tax, "release"),
            ("fee", escrow, platform_fees.pk, fee, "platform_fee"),
            ("withholding", escrow, withholding.pk, tax, "withholding"),
        ):
            transfers.append(
                Transfer(
                    key=f"{part}:m{m.pk}",
                    kind=TransferKind.SINGLE,
                    debit_account_id=debit,
                    credit_account_id=credit,
                    amount=amount,
                    currency="JPY",
                    reason=reason,
                    cause_type="milestone",
                    cause_id=str(m.pk),
                    batch=batch,
                )
            )
    Transfer.objects.bulk_create(transfers, batch_size=5000)
    # bulk_create stamps every row now; date each milestone's transfers when it was paid
    with connection.cursor() as cursor:
        table = Transfer._meta.db_table
        cursor.executemany(
            f"UPDATE {table} SET created_at = %s WHERE cause_type = 'milestone' AND cause_id = %s",  # noqa: S608 - the table name is the model's
            [(m.closed_at, str(m.pk)) for m in milestones],
        )
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")
    return worker, len(transfers)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(worker: Any, repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tsunagu.income import engine
    from tsunagu.income.chart import month_chart, pipe_chart, share_chart
    from tsunagu.income.rollups import income_rollup_refresh, ledger_payments
    from tsunagu.income.selectors import income_dashboard

    started = time.perf_counter()
    months = income_rollup_refresh(worker_id=worker.pk)
    rollup_seconds = time.perf_counter() - started
    today = timezone.localdate()

    def page() -> Any:
        dashboard = income_dashboard(worker=worker, today=today)
        pipe_chart(dashboard.pipes)
        month_chart(dashboard.months, target=None)
        share_chart(dashboard.concentration_history, limit=0.5)
        return dashboard

    def raw() -> Any:
        rows = engine.client_months(ledger_payments(worker.pk))
        pipes = engine.pipes(rows, today=today)
        engine.concentration_history(rows, today=today)
        engine.monthly_totals(
            rows, first=engine.add_months(engine.month_start(today), -11), months=12
        )
        return pipes

    page()
    with CaptureQueriesContext(connection) as ctx:
        dashboard = page()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        page()
        samples.append(time.perf_counter() - t)
    raw_pipes = raw()
    raw_samples = []
    for _ in range(max(5, repeat // 5)):
        t = time.perf_counter()
        raw()
        raw_samples.append(time.perf_counter() - t)
    agree = [(p.client, p.thickness, p.total) for p in raw_pipes] == [
        (r.pipe.client, r.pipe.thickness, r.pipe.total) for r in dashboard.pipes
    ]
    return {
        "months": months,
        "rollup_s": rollup_seconds,
        "queries": len(ctx.captured_queries),
        "p50_ms": statistics.median(samples) * 1000,
        "p95_ms": percentile(samples, 0.95) * 1000,
        "raw_p50_ms": statistics.median(raw_samples) * 1000,
        "raw_p95_ms": percentile(raw_samples, 0.95) * 1000,
        "pipes": len(dashboard.pipes),
        "agree": agree,
        "vendor": connection.vendor,
    }


def section(args: argparse.Namespace, transfers: int, m: dict[str, Any]) -> str:
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    met = "met" if m["p95_ms"] <= 100 else "NOT met"
    return f"""{START}
## Income page with ten years of history (`bench/income.py`)

Command: `uv run python -m bench.income --clients {args.clients} --contracts {args.contracts} --repeat {args.repeat}`
({m["vendor"]}; one worker, {args.clients} clients, {args.contracts:,} paid contracts and
{transfers:,} ledger transfers over {YEARS} years; the page is `income_dashboard` and the charts'
geometry).

| what | result | target |
| --- | --- | --- |
| roll-up rebuilt from the ledger | {m["months"]:,} client-months in {m["rollup_s"] * 1000:.0f} ms | |
| income page from the roll-up, p50 / p95 | {m["p50_ms"]:.1f} ms / {m["p95_ms"]:.1f} ms in {m["queries"]} queries | p95 ≤ 100 ms: {met} |
| the same page from the raw transfers, p50 / p95 | {m["raw_p50_ms"]:.1f} ms / {m["raw_p95_ms"]:.1f} ms | |
| raw ÷ roll-up (p50) | {m["raw_p50_ms"] / max(m["p50_ms"], 1e-9):.1f}× | |
| pipes agree between the two | {m["pipes"]} pipes: {"yes" if m["agree"] else "NO"} | |

The number of queries does not grow with the history (tests/income/test_queries.py checks it).

- python {platform.python_version()}, {platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} cores
- load average at the end (1/5/15 min): {load}
- date: {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d %H:%M} UTC
{END}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--contracts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--no-doc", action="store_true", help="print only; leave the doc alone")
    args = parser.parse_args(argv)
    ensure_database(args.database_url)
    setup_django(args.database_url)
    print(
        f"inserting {args.contracts:,} contracts and their transfers…", file=sys.stderr, flush=True
    )
    worker, transfers = fill(clients=args.clients, contracts=args.contracts)
    print("measuring…", file=sys.stderr, flush=True)
    m = measure(worker, args.repeat)
    text = section(args, transfers, m)
    print(text)
    if not args.no_doc:
        write_doc(text, start=START, end=END)
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0 if m["agree"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
