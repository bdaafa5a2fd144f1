"""Consumption tax on a qualified invoice (適格請求書), in integer yen, with no Django in it.

The invoice system (消費税法施行令 第70条の10) allows one rounding per invoice and per tax rate:
the lines of one rate are added up first, and the tax on that sum is rounded once. Rounding each
line separately is not allowed. Tsunagu rounds down (切り捨て), in the recipient's favour.

A sum can be stated tax-exclusive (税抜: tax = sum × rate / 100) or tax-inclusive (税込: tax =
sum × rate / (100 + rate)); one invoice uses one of the two for all its lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

STANDARD_RATE = 10
REDUCED_RATE = 8
RATES = (STANDARD_RATE, REDUCED_RATE)


@dataclass(frozen=True)
class Line:
    description: str
    amount: int  # yen, tax-exclusive or tax-inclusive as the invoice says
    rate: int = STANDARD_RATE


@dataclass(frozen=True)
class RateTotal:
    rate: int
    amount: int  # the lines of this rate added up, as stated (exclusive or inclusive)
    tax: int  # rounded down once
    excluding_tax: int
    including_tax: int


@dataclass(frozen=True)
class InvoiceTotals:
    tax_included: bool
    by_rate: tuple[RateTotal, ...]

    @property
    def tax(self) -> int:
        return sum(r.tax for r in self.by_rate)

    @property
    def excluding_tax(self) -> int:
        return sum(r.excluding_tax for r in self.by_rate)

    @property
    def including_tax(self) -> int:
        return sum(r.including_tax for r in self.by_rate)


def tax_on(amount: int, *, rate: int, tax_included: bool) -> int:
    """The consumption tax on ``amount`` at ``rate`` percent, rounded down."""
    _check(amount)
    if rate not in RATES:
        raise ValueError(f"unknown consumption tax rate: {rate}%")
    if tax_included:
        return amount * rate // (100 + rate)
    return amount * rate // 100


def invoice_totals(lines: Sequence[Line], *, tax_included: bool) -> InvoiceTotals:
    """Add the lines of each rate, then round the tax of each rate once."""
    if not lines:
        raise ValueError("an invoice has at least one line")
    sums: dict[int, int] = {}
    for line in lines:
        _check(line.amount)
        if line.rate not in RATES:
            raise ValueError(f"unknown consumption tax rate: {line.rate}%")
        sums[line.rate] = sums.get(line.rate, 0) + line.amount
    by_rate = []
    for rate in sorted(sums, reverse=True):
        amount = sums[rate]
        tax = tax_on(amount, rate=rate, tax_included=tax_included)
        by_rate.append(
            RateTotal(
                rate=rate,
                amount=amount,
                tax=tax,
                excluding_tax=amount - tax if tax_included else amount,
                including_tax=amount if tax_included else amount + tax,
            )
        )
    return InvoiceTotals(tax_included=tax_included, by_rate=tuple(by_rate))


def _check(value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("amounts are integers in yen")
    if value < 0:
        raise ValueError("amounts are never negative")
