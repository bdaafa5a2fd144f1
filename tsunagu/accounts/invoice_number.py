"""Qualified-invoice registration numbers (適格請求書発行事業者登録番号), without Django.

A registration number is ``T`` followed by 13 digits. For a company the 13 digits are its
corporate number (法人番号), whose first digit is a check digit over the other twelve:

    check = 9 - (Σ_{n=1..12} P_n × Q_n  mod 9)

where P_n is the n-th of the twelve base digits counted from the lowest (rightmost) one and
Q_n is 1 when n is odd and 2 when n is even. For a sole proprietor only the format is checked.

People type these numbers in many ways (全角 digits, a lowercase ``t``, hyphens or spaces between
groups); :func:`normalise` turns all of them into the one canonical form ``T1234567890123``.
Errors carry a stable ``code`` so each front end can show its own translated message.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

PREFIX = "T"
DIGITS = 13

# Separators people put between digit groups: ASCII and full-width hyphens, dashes, spaces.
_SEPARATORS = frozenset(" -\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d\u3000\t")


class InvoiceNumberError(ValueError):
    """A registration number that cannot be accepted; ``code`` says why."""

    EMPTY = "empty"
    PREFIX = "prefix"
    CHARACTERS = "characters"
    LENGTH = "length"
    CHECK_DIGIT = "check_digit"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class RegistrationNumber:
    """A valid number in canonical form (``T`` + 13 ASCII digits)."""

    value: str

    @property
    def digits(self) -> str:
        return self.value[1:]

    def __str__(self) -> str:
        return self.value


def normalise(raw: str) -> str:
    """Canonical spelling of ``raw``: NFKC (full-width to ASCII), upper case, no separators.

    Does not validate; the result may still be wrong in length or characters.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(ch for ch in text if ch not in _SEPARATORS).strip().upper()


def corporate_check_digit(base: str) -> int:
    """The check digit for the twelve base digits of a corporate number."""
    if len(base) != 12 or not base.isascii() or not base.isdigit():
        raise ValueError("the base of a corporate number is exactly 12 ASCII digits")
    total = 0
    for n, char in enumerate(reversed(base), start=1):
        weight = 1 if n % 2 == 1 else 2
        total += int(char) * weight
    return 9 - (total % 9)


def is_valid_corporate_number(digits: str) -> bool:
    """True when ``digits`` is 13 ASCII digits whose first digit matches the check rule."""
    if len(digits) != DIGITS or not digits.isascii() or not digits.isdigit():
        return False
    return int(digits[0]) == corporate_check_digit(digits[1:])


def parse(raw: str, *, company: bool) -> RegistrationNumber:
    """Validate ``raw`` and return it in canonical form, or raise :class:`InvoiceNumberError`."""
    value = normalise(raw)
    if not value:
        raise InvoiceNumberError(InvoiceNumberError.EMPTY, "enter a registration number")
    if not value.startswith(PREFIX):
        raise InvoiceNumberError(
            InvoiceNumberError.PREFIX, "a registration number starts with the letter T"
        )
    digits = value[len(PREFIX) :]
    if not (digits.isascii() and digits.isdigit()):
        raise InvoiceNumberError(
            InvoiceNumberError.CHARACTERS, "after the T only digits are allowed"
        )
    if len(digits) != DIGITS:
        raise InvoiceNumberError(
            InvoiceNumberError.LENGTH, f"T must be followed by exactly {DIGITS} digits"
        )
    if company and not is_valid_corporate_number(digits):
        raise InvoiceNumberError(InvoiceNumberError.CHECK_DIGIT, "the check digit does not match")
    return RegistrationNumber(PREFIX + digits)
