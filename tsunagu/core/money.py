"""Yen written one way, everywhere: ``¥12,000`` (and ``−¥250``, ``+¥1,000`` for a change).

Japanese and English pages both write the yen sign before the amount, as the wallet, the tax
papers and the error messages always have; every page, paper and message that shows an amount
in yen goes through :func:`format_yen` (in templates, the ``yen`` and ``signed_yen`` filters of
the ``money`` library), so that the same amount never reads "¥23,937" on one page and "23,937円"
on the next.
"""

from __future__ import annotations

__all__ = ["format_yen"]

MINUS = "\u2212"


def format_yen(amount: int, *, signed: bool = False) -> str:
    """``12000`` → ``¥12,000``; a negative amount with a minus sign (``−¥250``).

    ``signed`` writes a plus sign before a positive amount (a change of balance: ``+¥1,000``).
    """
    value = int(amount)
    sign = MINUS if value < 0 else ("+" if signed and value > 0 else "")
    return f"{sign}¥{abs(value):,}"
