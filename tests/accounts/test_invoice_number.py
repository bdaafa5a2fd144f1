"""The registration-number rule, in memory: no database, no Django."""

from __future__ import annotations

import pytest

from tsunagu.accounts.invoice_number import (
    InvoiceNumberError,
    corporate_check_digit,
    is_valid_corporate_number,
    normalise,
    parse,
)

# Published corporate numbers (国税庁法人番号公表サイト).
NTA = "7000012050002"  # 国税庁
TOYOTA = "1180301018771"  # トヨタ自動車株式会社


@pytest.mark.parametrize("number", [NTA, TOYOTA])
def test_published_corporate_numbers_pass_the_check(number: str) -> None:
    assert is_valid_corporate_number(number)
    assert corporate_check_digit(number[1:]) == int(number[0])
    assert parse("T" + number, company=True).value == "T" + number


def test_check_digit_worked_by_hand_for_the_nta() -> None:
    # base 000012050002, lowest digit first: 2,0,0,0,5,0,2,1,0,0,0,0
    # weights 1,2,1,2,...: 2 + 5 + 2 + 2*1 = 11; 11 mod 9 = 2; 9 - 2 = 7
    assert corporate_check_digit("000012050002") == 7


@pytest.mark.parametrize(
    "number",
    [
        "8000012050002",  # check digit off by one
        "1180301018772",  # last digit changed
        "1180301018717",  # two digits swapped
    ],
)
def test_wrong_corporate_numbers_fail(number: str) -> None:
    assert not is_valid_corporate_number(number)
    with pytest.raises(InvoiceNumberError) as info:
        parse("T" + number, company=True)
    assert info.value.code == InvoiceNumberError.CHECK_DIGIT
    assert "check digit does not match" in str(info.value)


def test_individuals_are_checked_for_format_only() -> None:
    assert parse("T8000012050002", company=False).value == "T8000012050002"


@pytest.mark.parametrize(
    "raw",
    [
        "T7000012050002",
        "t7000012050002",
        "Ｔ７０００ー０１２０ー５０００２",
        "T 7000-0120-50002",
        "  t7000012050002  ",
        "T７００００１２０５０００２",
    ],
)
def test_spellings_are_normalised_to_the_canonical_form(raw: str) -> None:
    assert parse(raw, company=True).value == "T7000012050002"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", InvoiceNumberError.EMPTY),
        ("  - ", InvoiceNumberError.EMPTY),
        ("7000012050002", InvoiceNumberError.PREFIX),
        ("X7000012050002", InvoiceNumberError.PREFIX),
        ("T70000120500O2", InvoiceNumberError.CHARACTERS),
        ("T700001205000", InvoiceNumberError.LENGTH),
        ("T70000120500021", InvoiceNumberError.LENGTH),
        ("T٧000012050002", InvoiceNumberError.CHARACTERS),  # Arabic-Indic seven is not ASCII
    ],
)
def test_bad_formats_are_refused_with_a_code(raw: str, code: str) -> None:
    with pytest.raises(InvoiceNumberError) as info:
        parse(raw, company=False)
    assert info.value.code == code


def test_normalise_does_not_validate() -> None:
    assert normalise("ｔ１２３") == "T123"


def test_every_base_has_exactly_one_valid_check_digit() -> None:
    base = "180301018771"
    valid = [d for d in range(10) if is_valid_corporate_number(f"{d}{base}")]
    assert valid == [1]
