"""Consumption tax per rate, rounded once per invoice, against figures worked out by hand."""

from __future__ import annotations

import pytest

from tsunagu.billing.invoice_math import Line, invoice_totals, tax_on


def test_tax_is_rounded_once_per_rate_not_per_line() -> None:
    lines = [
        Line("a", 105, rate=10),
        Line("b", 105, rate=10),
        Line("c", 105, rate=10),
        Line("d", 1_234, rate=8),
        Line("e", 567, rate=8),
    ]
    totals = invoice_totals(lines, tax_included=False)
    ten, eight = totals.by_rate
    # 10%: 315 × 10% = 31.5 → 31 (per line it would be 10 + 10 + 10 = 30)
    assert (ten.rate, ten.amount, ten.tax, ten.including_tax) == (10, 315, 31, 346)
    # 8%: 1,801 × 8% = 144.08 → 144 (per line it would be 98 + 45 = 143)
    assert (eight.rate, eight.amount, eight.tax, eight.including_tax) == (8, 1_801, 144, 1_945)
    assert (totals.excluding_tax, totals.tax, totals.including_tax) == (2_116, 175, 2_291)


def test_tax_included_amounts_take_the_tax_out() -> None:
    totals = invoice_totals(
        [Line("fee", 1_100), Line("fee", 550), Line("food", 1_080, rate=8)], tax_included=True
    )
    ten, eight = totals.by_rate
    # 1,650 × 10/110 = 150; 1,080 × 8/108 = 80
    assert (ten.tax, ten.excluding_tax, ten.including_tax) == (150, 1_500, 1_650)
    assert (eight.tax, eight.excluding_tax) == (80, 1_000)
    # the platform fee of a ¥30,000 release: ¥6,000 including tax → 545.45… → ¥545
    assert tax_on(6_000, rate=10, tax_included=True) == 545


@pytest.mark.parametrize(
    ("lines", "error"),
    [([], ValueError), ([Line("x", -1)], ValueError), ([Line("x", 100, rate=5)], ValueError)],
)
def test_bad_lines_are_refused(lines: list[Line], error: type[Exception]) -> None:
    with pytest.raises(error):
        invoice_totals(lines, tax_included=False)
