"""Run every benchmark in turn (`make bench`); each rewrites its own section of docs/benchmarks.md.

One benchmark alone: `uv run python -m bench.<name> --help` (guard, ledger, search, analytics,
trust, referrals, income, load).
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ("guard", "ledger", "search", "analytics", "trust", "referrals", "income", "load")


def main(argv: list[str]) -> int:
    chosen = argv or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    failed = 0
    for name in chosen:
        print(f"\n=== bench.{name} ===", flush=True)
        module = importlib.import_module(f"bench.{name}")
        sys.argv = [f"bench.{name}"]
        result = module.main()
        failed += 1 if result else 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
