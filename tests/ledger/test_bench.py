"""`tsunagu bench ledger` runs its flows against the test database and reports honestly."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import Account, Transfer

# The flows run in forked processes with their own connections, so they must really commit.
pytestmark = pytest.mark.django_db(transaction=True)


def bench(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("bench", "ledger", *args, stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert isinstance(result, dict)
    return result


@pytest.mark.parametrize("batch", ["1", "3"])
def test_bench_prints_one_json_line_with_zero_violations(batch: str) -> None:
    result = bench("--transfers", "20", "--concurrency", "1", "--accounts", "4", "--batch", batch)

    assert result["transfers"] == 20
    assert result["flows"] == 5
    assert result["invariant_violations"] == 0
    assert result["calls"] == (10 if batch == "1" else 4)
    assert isinstance(result["seconds"], float) and result["seconds"] > 0
    assert result["per_second"] == pytest.approx(20 / result["seconds"], rel=0.01)
    # Every counted transfer is a row: 5 top-ups before the clock, then 4 per flow.
    assert Transfer.objects.filter(reason="top_up").count() == 4
    assert Transfer.objects.exclude(reason="top_up").count() == 20
    fees = Account.objects.get(code="bench:fees:JPY")
    assert fees.balance == 5 * 1_000
    assert run_checks() == []


def test_two_processes_and_a_rounded_up_flow_count() -> None:
    result = bench("--transfers", "21", "--concurrency", "2", "--accounts", "1")

    assert result["flows"] == 6
    assert result["transfers"] == 24
    assert result["invariant_violations"] == 0
    assert Transfer.objects.exclude(reason="top_up").count() == 24


def test_nonsense_options_are_refused_and_change_nothing() -> None:
    with pytest.raises(CommandError, match="--transfers"):
        bench("--transfers", "0")
    assert not Transfer.objects.exists()


def test_the_report_gives_medians_over_rounds_and_the_range_of_the_ratios() -> None:
    from bench.ledger import render, summary

    def run(tps: float, single: float, batched: float, violations: int = 0) -> dict[str, object]:
        return {
            "concurrency": 2,
            "tps": tps,
            "single": {
                "per_second": single,
                "calls_per_second": single / 2,
                "invariant_violations": 0,
            },
            "batched": {"per_second": batched, "batch": 1000, "invariant_violations": violations},
            "hot": {"per_second": 100.0, "invariant_violations": 0},
        }

    row = summary(
        2, [run(1000, 400, 9000), run(800, 600, 12000, violations=1), run(900, 500, 11000)]
    )

    assert row["rounds"] == 3
    assert row["tps"] == 900
    assert row["single"] == 500
    assert row["single_ratio"] == pytest.approx(500 / 900)
    assert row["single_ratio_range"] == (pytest.approx(0.4), pytest.approx(0.75))
    assert row["batched"] == 11000
    assert row["batch_ratio_range"] == (pytest.approx(0.9), pytest.approx(1.2))
    assert row["violations"] == 1
    line = render([row]).splitlines()[-1]
    assert line.startswith("| 2 | 3 | 900 | 500 (250) | 0.56 (0.40–0.75; target ≥ 0.5) | 11000")
