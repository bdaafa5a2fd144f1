"""Benchmarks. ``tsunagu bench ledger`` times escrow flows through the ledger service.

A *flow* is what a contract does to the ledger: fund (a hold from the client's wallet to the
escrow, 1 transfer, one ``transfers_create`` call), then release (post of the hold, payout from
escrow to the worker's wallet, platform fee from escrow to the fee account: 3 transfers in one
linked call). Every ledger transfer row counts once, so a flow is 4 transfers and 2 calls; with
``--batch B`` a call carries the funds (or the releases) of B flows.

The command sets up the accounts and tops up the clients before the clock starts, runs the flows
in ``--concurrency`` forked worker processes (one database connection each: processes, not
threads, because the ORM work is CPU-bound under the GIL), then runs every ledger invariant check
and verifies that the balances moved exactly as the flows should have moved them. It prints one
JSON line on stdout; progress goes to stderr.
"""

from __future__ import annotations

import contextlib
import json
import math
import multiprocessing
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import environ
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections, transaction
from django.db.models import F, Sum
from tqdm import tqdm

from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import Account, AccountKind, Transfer
from tsunagu.ledger.services import (
    TransferKind,
    TransferRequest,
    account_open,
    transfers_create,
)

CURRENCY = "JPY"
AMOUNT = 10_000  # what each flow holds in escrow
FEE = 1_000  # the platform's part of it; the worker receives the rest
TRANSFERS_PER_FLOW = 4  # fund; post + payout + fee
TOP_UP_CHUNK = 500
_CHILD_ENV = "TSUNAGU_BENCH_CHILD"


@dataclass(frozen=True)
class Plan:
    run: str
    flows: int
    concurrency: int
    batch: int
    clients: list[int]  # account ids, one per client/worker pair
    workers: list[int]
    escrows: list[int]
    fees: int

    def pairs_of(self, index: int) -> list[int]:
        """The pairs one process works on: its own share when there are enough to go round."""
        pairs = range(len(self.clients))
        if len(self.clients) < self.concurrency:
            return list(pairs)
        return [p for p in pairs if p % self.concurrency == index]

    def flows_of(self, index: int) -> int:
        return self.flows // self.concurrency + (index < self.flows % self.concurrency)


class Command(BaseCommand):
    help = (
        "Benchmarks. `bench ledger` times fund-then-release escrow flows and prints one JSON line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="target", required=True)
        ledger = sub.add_parser(
            "ledger",
            help="fund-then-release escrow flows through transfers_create",
            description=__doc__,
        )
        ledger.add_argument(
            "--database-url",
            default="",
            help="database to run against (default: the configured one)",
        )
        ledger.add_argument(
            "--transfers",
            type=int,
            default=10_000,
            help="ledger transfers to record, rounded up to whole flows of 4 (default 10000)",
        )
        ledger.add_argument(
            "--concurrency", type=int, default=2, help="worker processes (default 2)"
        )
        ledger.add_argument(
            "--batch",
            type=int,
            default=1,
            help="flows per call: 1 is the single path (1 transfer to fund, 3 to release); "
            "B > 1 funds B flows in one call and releases them in the next (default 1)",
        )
        ledger.add_argument(
            "--accounts",
            type=int,
            default=1000,
            help="client/worker pairs, each with its own escrow account (default 1000: enough "
            "that two processes rarely wait for the same wallet; 1 is the hot-account case). "
            "The platform fee account is one row that every release locks, as in production.",
        )
        ledger.add_argument(
            "--reset",
            action="store_true",
            help="drop everything in the database and migrate a fresh schema first (only for a "
            "database whose name contains 'bench' or 'test')",
        )

    def handle(self, *args: Any, target: str, **options: Any) -> None:
        if target == "ledger":
            self._ledger(**options)

    def _ledger(
        self,
        *,
        database_url: str,
        transfers: int,
        concurrency: int,
        batch: int,
        accounts: int,
        reset: bool,
        **_: Any,
    ) -> None:
        for name, value in (
            ("--transfers", transfers),
            ("--concurrency", concurrency),
            ("--batch", batch),
            ("--accounts", accounts),
        ):
            if value < 1:
                raise CommandError(f"{name} must be at least 1")
        if database_url and not _is_current(database_url):
            if os.environ.get(_CHILD_ENV):
                raise CommandError(f"could not switch to {database_url}")
            argv = [
                *("--database-url", database_url),
                *("--transfers", str(transfers)),
                *("--concurrency", str(concurrency)),
                *("--batch", str(batch)),
                *("--accounts", str(accounts)),
                *(["--reset"] if reset else []),
            ]
            env = {**os.environ, "DATABASE_URL": database_url, _CHILD_ENV: "1"}
            done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, "-m", "tsunagu.cli", "bench", "ledger", *argv],
                env=env,
                check=False,
            )
            if done.returncode:
                raise CommandError(f"the benchmark failed (exit {done.returncode})")
            return

        settings.DEBUG = False  # no query log growing in memory while we time
        if reset:
            _reset_database()
        flows = math.ceil(transfers / TRANSFERS_PER_FLOW)
        plan = _prepare(flows=flows, concurrency=concurrency, batch=batch, pairs=accounts)
        before = _balances(plan)

        seconds, calls = _run(plan)

        problems = [str(p) for p in run_checks()]
        problems += _balance_problems(plan, before, _balances(plan))
        recorded = Transfer.objects.filter(key__startswith=f"{plan.run}:").count()
        if recorded != flows * TRANSFERS_PER_FLOW:
            problems.append(f"recorded {recorded} transfers, expected {flows * TRANSFERS_PER_FLOW}")
        for problem in problems:
            self.stderr.write(problem)
        total = flows * TRANSFERS_PER_FLOW
        result = {
            "transfers": total,
            "seconds": round(seconds, 3),
            "per_second": round(total / seconds, 1),
            "invariant_violations": len(problems),
            "flows": flows,
            "flows_per_second": round(flows / seconds, 1),
            "calls": calls,
            "calls_per_second": round(calls / seconds, 1),
            "batch": batch,
            "concurrency": concurrency,
            "accounts": accounts,
            "database": connection.vendor,
        }
        self.stdout.write(json.dumps(result))
        if problems:
            raise CommandError(f"{len(problems)} invariant violation(s)")


def _is_current(url: str) -> bool:
    wanted = environ.Env.db_url_config(url)
    current = connection.settings_dict
    return all(
        str(wanted.get(key) or "") == str(current.get(key) or "")
        for key in ("ENGINE", "NAME", "HOST", "PORT", "USER")
    )


def _reset_database() -> None:
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name and "test" not in name:
        raise CommandError(f"refusing to reset {name!r}: its name contains neither bench nor test")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    elif connection.vendor == "sqlite":
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(name + suffix):
                os.remove(name + suffix)
    else:
        raise CommandError(f"--reset does not know {connection.vendor}")
    call_command("migrate", interactive=False, verbosity=0)


def _prepare(*, flows: int, concurrency: int, batch: int, pairs: int) -> Plan:
    """Open the accounts and top up each client with what its flows will hold (not timed)."""
    with transaction.atomic():
        clearing = account_open(
            code=f"bench:clearing:{CURRENCY}", kind=AccountKind.PROVIDER_CLEARING, currency=CURRENCY
        )
        # Its own fee account, so a run against a live database leaves the platform's alone.
        fees = account_open(
            code=f"bench:fees:{CURRENCY}", kind=AccountKind.PLATFORM_FEES, currency=CURRENCY
        )
        opened = [
            [
                account_open(code=f"bench:{role}:{i}:{CURRENCY}", kind=kind, currency=CURRENCY).pk
                for i in range(pairs)
            ]
            for role, kind in (
                ("client", AccountKind.WALLET),
                ("worker", AccountKind.WALLET),
                ("escrow", AccountKind.ESCROW),
            )
        ]
    plan = Plan(
        run=f"bench:{uuid.uuid4().hex[:12]}",
        flows=flows,
        concurrency=concurrency,
        batch=batch,
        clients=opened[0],
        workers=opened[1],
        escrows=opened[2],
        fees=fees.pk,
    )
    needed = [0] * pairs
    for index in range(concurrency):
        mine = plan.pairs_of(index)
        for k in range(plan.flows_of(index)):
            needed[mine[k % len(mine)]] += AMOUNT
    top_ups = [
        TransferRequest(
            key=f"top-up:{plan.run}:{pair}",
            debit_account_id=clearing.pk,
            credit_account_id=plan.clients[pair],
            amount=amount,
            currency=CURRENCY,
            reason="top_up",
        )
        for pair, amount in enumerate(needed)
        if amount
    ]
    for start in range(0, len(top_ups), TOP_UP_CHUNK):
        transfers_create(transfers=top_ups[start : start + TOP_UP_CHUNK])
    return plan


def _fund(plan: Plan, key: str, pair: int) -> TransferRequest:
    return TransferRequest(
        key=f"{key}:fund",
        kind=TransferKind.PENDING,
        debit_account_id=plan.clients[pair],
        credit_account_id=plan.escrows[pair],
        amount=AMOUNT,
        currency=CURRENCY,
        reason="fund",
        cause_type="bench",
        cause_id=key,
    )


def _release(plan: Plan, key: str, pair: int) -> list[TransferRequest]:
    return [
        TransferRequest(
            key=f"{key}:post",
            kind=TransferKind.POST,
            pending_key=f"{key}:fund",
            amount=0,
            currency=CURRENCY,
            reason="release",
            cause_type="bench",
            cause_id=key,
        ),
        TransferRequest(
            key=f"{key}:pay",
            debit_account_id=plan.escrows[pair],
            credit_account_id=plan.workers[pair],
            amount=AMOUNT - FEE,
            currency=CURRENCY,
            reason="release",
            cause_type="bench",
            cause_id=key,
        ),
        TransferRequest(
            key=f"{key}:fee",
            debit_account_id=plan.escrows[pair],
            credit_account_id=plan.fees,
            amount=FEE,
            currency=CURRENCY,
            reason="platform_fee",
            cause_type="bench",
            cause_id=key,
        ),
    ]


def _worker(
    plan: Plan,
    index: int,
    ready: Any,  # multiprocessing.Barrier: every process, and the clock
    progress: Any,  # multiprocessing.Array of calls made, one slot per process
    errors: Any,  # multiprocessing.Queue
) -> None:
    try:
        mine = plan.pairs_of(index)
        count = plan.flows_of(index)
        # Build every request before the clock starts: the harness should cost nothing timed.
        calls: list[list[TransferRequest]] = []
        for first in range(0, count, plan.batch):
            ks = range(first, min(first + plan.batch, count))
            keys = [(f"{plan.run}:{index}:{k}", mine[k % len(mine)]) for k in ks]
            calls.append([_fund(plan, key, pair) for key, pair in keys])
            calls.append([r for key, pair in keys for r in _release(plan, key, pair)])
        connection.ensure_connection()
        ready.wait()
        for n, call in enumerate(calls, 1):
            transfers_create(transfers=call)
            progress[index] = n
    except BaseException as exc:
        ready.abort()
        errors.put(f"process {index}: {exc!r}")
        raise
    finally:
        connections.close_all()


def _run(plan: Plan) -> tuple[float, int]:
    """Fork the processes, start them together, return the seconds until the last one ends."""
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(plan.concurrency + 1)
    progress = context.Array("q", plan.concurrency, lock=False)
    errors = context.Queue()
    connections.close_all()  # each child opens its own connection
    processes = [
        context.Process(target=_worker, args=(plan, index, ready, progress, errors), daemon=True)
        for index in range(plan.concurrency)
    ]
    for process in processes:
        process.start()
    total_calls = sum(2 * math.ceil(plan.flows_of(i) / plan.batch) for i in range(plan.concurrency))
    # Every process has built its requests and connected; if one failed first, its error is
    # reported below.
    with contextlib.suppress(threading.BrokenBarrierError):
        ready.wait()
    began = time.perf_counter()
    with tqdm(total=total_calls, unit="call", file=sys.stderr, disable=None) as bar:
        while any(p.is_alive() for p in processes):
            time.sleep(0.1)
            bar.update(sum(progress) - bar.n)
        seconds = time.perf_counter() - began
        bar.update(sum(progress) - bar.n)
    for process in processes:
        process.join()
    failed = [p.exitcode for p in processes if p.exitcode]
    if failed:
        messages = []
        while not errors.empty():
            messages.append(errors.get())
        raise CommandError("; ".join(messages) or f"a process exited with {failed[0]}")
    return seconds, total_calls


@dataclass(frozen=True)
class Balances:
    clients: int
    workers: int
    escrows: int
    fees: int
    pending: int


def _sum(ids: Sequence[int], expression: Any) -> int:
    total = Account.objects.filter(pk__in=ids).aggregate(total=Sum(expression))["total"]
    return int(total or 0)


def _balances(plan: Plan) -> Balances:
    balance = F("credits_posted") - F("debits_posted")
    pending = F("credits_pending") + F("debits_pending")
    every = [*plan.clients, *plan.workers, *plan.escrows, plan.fees]
    return Balances(
        clients=_sum(plan.clients, balance),
        workers=_sum(plan.workers, balance),
        escrows=_sum(plan.escrows, balance),
        fees=_sum([plan.fees], balance),
        pending=_sum(every, pending),
    )


def _balance_problems(plan: Plan, before: Balances, after: Balances) -> list[str]:
    expected = Balances(
        clients=before.clients - plan.flows * AMOUNT,
        workers=before.workers + plan.flows * (AMOUNT - FEE),
        escrows=before.escrows,
        fees=before.fees + plan.flows * FEE,
        pending=before.pending,
    )
    return [
        f"balances: {field} is {getattr(after, field)}, the flows should leave {want}"
        for field, want in vars(expected).items()
        if getattr(after, field) != want
    ]
