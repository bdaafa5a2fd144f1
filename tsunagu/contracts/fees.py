"""Fee and tax arithmetic for contracts, in integer yen (or minor units), with no Django in it.

- Consumption tax (消費税): 10% of the tax-exclusive fee, rounded down.
- Platform fee (システム利用料): tiers over the contract's cumulative tax-exclusive total, so a
  long relationship pays less: 20% of the part up to ¥100,000, 10% of the part from ¥100,001 to
  ¥200,000, 5% of the part above. A release is charged for the slice of the tiers it occupies
  after what the contract already released. Rounded down, in the worker's favour.
- Withholding tax (源泉徴収税) when the worker is an individual and the job category requires it:
  10.21% of a payment up to ¥1,000,000 and 20.42% of the part above, on the tax-exclusive fee
  (the consumption tax is shown separately on the terms, so it is outside the base), rounded down
  (国税庁: 1円未満の端数は切り捨て).

Rates are basis points over 10,000 (or, for withholding, over 1,000,000 for 10.21%).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CONSUMPTION_TAX_PERCENT = 10


@dataclass(frozen=True)
class Tier:
    up_to: int | None  # cumulative upper bound of this tier; None = no bound
    basis_points: int  # 2000 = 20%


DEFAULT_FEE_TIERS: tuple[Tier, ...] = (
    Tier(up_to=100_000, basis_points=2000),
    Tier(up_to=200_000, basis_points=1000),
    Tier(up_to=None, basis_points=500),
)

WITHHOLDING_THRESHOLD = 1_000_000
WITHHOLDING_LOW_PPM = 102_100  # 10.21%
WITHHOLDING_HIGH_PPM = 204_200  # 20.42%


def consumption_tax(amount: int) -> int:
    _check(amount)
    return amount * CONSUMPTION_TAX_PERCENT // 100


def platform_fee(
    amount: int, *, already_released: int = 0, tiers: Sequence[Tier] = DEFAULT_FEE_TIERS
) -> int:
    """Fee on ``amount`` released after ``already_released`` on the same contract."""
    _check(amount)
    _check(already_released)
    start, end = already_released, already_released + amount
    fee_times_10000 = 0
    lower = 0
    for tier in tiers:
        upper = tier.up_to if tier.up_to is not None else end
        overlap = max(0, min(end, upper) - max(start, lower))
        fee_times_10000 += overlap * tier.basis_points
        lower = upper
        if tier.up_to is None or lower >= end:
            break
    return fee_times_10000 // 10_000


def withholding(amount: int) -> int:
    """源泉徴収税 on a payment of ``amount`` (tax-exclusive)."""
    _check(amount)
    low = min(amount, WITHHOLDING_THRESHOLD)
    high = max(0, amount - WITHHOLDING_THRESHOLD)
    return (low * WITHHOLDING_LOW_PPM + high * WITHHOLDING_HIGH_PPM) // 1_000_000


@dataclass(frozen=True)
class Release:
    """How one released amount splits. ``gross`` is what the client paid into escrow."""

    amount: int  # tax-exclusive fee
    tax: int
    platform_fee: int
    withholding: int

    @property
    def gross(self) -> int:
        return self.amount + self.tax

    @property
    def to_worker(self) -> int:
        return self.gross - self.platform_fee - self.withholding


def release_split(
    *,
    amount: int,
    tax: int,
    already_released: int,
    withholding_applies: bool,
    tiers: Sequence[Tier] = DEFAULT_FEE_TIERS,
) -> Release:
    """Split a release of a tax-exclusive ``amount`` plus its ``tax``."""
    _check(tax)
    return Release(
        amount=amount,
        tax=tax,
        platform_fee=platform_fee(amount, already_released=already_released, tiers=tiers),
        withholding=withholding(amount) if withholding_applies else 0,
    )


def _check(value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("amounts are integers in minor units")
    if value < 0:
        raise ValueError("amounts are never negative")
