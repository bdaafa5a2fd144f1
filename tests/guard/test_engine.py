"""Spans, conversations, and long input."""

from __future__ import annotations

import pytest

from tests.guard.devset import single_cases
from tsunagu.guard import ConversationScanner, scan, scan_with_context
from tsunagu.guard.findings import CONTACT_KINDS, SOLICIT_KINDS


def test_every_finding_is_a_slice_of_the_original() -> None:
    wrong = []
    for case in single_cases():
        text = case.text
        for finding in scan(text).findings:
            if not (
                0 <= finding.start < finding.end <= len(text)
                and text[finding.start : finding.end] == finding.text
                and finding.kind in CONTACT_KINDS | SOLICIT_KINDS
            ):
                wrong.append((case.id, finding))
    assert not wrong, "\n".join(map(str, wrong))


def test_span_of_an_obfuscated_email() -> None:
    text = "連絡は ｔａｒｏ（ａｔ）ｇｍａｉｌ（ｄｏｔ）ｃｏｍ まで"
    (finding,) = scan(text).findings
    assert finding.text == "ｔａｒｏ（ａｔ）ｇｍａｉｌ（ｄｏｔ）ｃｏｍ"


def test_span_with_invisible_characters_inside() -> None:
    text = "番号は0\u200b9\u200b0-1234-5678です"
    (finding,) = scan(text).findings
    assert finding.kind == "phone"
    assert finding.text == "0\u200b9\u200b0-1234-5678"


def test_number_split_over_messages_is_reported_in_the_last_one() -> None:
    result = scan_with_context("5678", ["電話は090", "1234"])
    assert result.verdict == "contact"
    (finding,) = result.findings
    assert (finding.kind, finding.start, finding.end, finding.text) == ("phone", 0, 4, "5678")


def test_address_split_over_messages() -> None:
    result = scan_with_context("gmail.com です", ["連絡先は taro.yamada", "@"])
    assert result.verdict == "contact"
    assert result.findings[0].text == "gmail.com"


def test_detail_wholly_in_an_earlier_message_is_not_reported_again() -> None:
    result = scan_with_context("よろしくお願いします", ["090-1234-5678"])
    assert result.verdict == "clean"


def test_conversation_scanner_keeps_rooms_and_senders_apart() -> None:
    scanner = ConversationScanner()
    assert scanner.scan("090", room="r1", sender="a").verdict == "clean"
    assert scanner.scan("1234", room="r2", sender="a").verdict == "clean"
    assert scanner.scan("5678", room="r1", sender="b").verdict == "clean"
    assert scanner.scan("1234", room="r1", sender="a").verdict == "clean"
    assert scanner.scan("5678", room="r1", sender="a").verdict == "contact"


def test_ordinary_numbers_over_messages_stay_clean() -> None:
    result = scan_with_context("3件目は5,600円", ["1件目は1,200円", "2件目は3,400円"])
    assert result.verdict == "clean"


def test_long_single_line_of_ten_thousand_characters() -> None:
    body = "お見積りは¥50,000です。納期は6月10日でお願いします。" * 400
    text = body[:5000] + " 連絡は taro@gmail.com か 090-1234-5678 まで " + body[:5000]
    result = scan(text)
    assert result.verdict == "contact"
    assert {f.text for f in result.findings} == {"taro@gmail.com", "090-1234-5678"}


@pytest.mark.parametrize(
    "piece",
    [
        "a",
        "1",
        "1 ",
        "a.",
        "a@",
        "@a ",
        "ー",
        "いち",
        "0-",
        "x.y",
        "hxxp://",
        "LINE ID: ",
        "直接",
        "l i n e ",
        "あっと",
        "\u200b",
        "(at)",
    ],
)
def test_hundred_thousand_character_line_finishes(piece: str) -> None:
    text = piece * (100_000 // len(piece))
    result = scan(text)
    for finding in result.findings:
        assert text[finding.start : finding.end] == finding.text


def test_hundred_thousand_characters_with_a_detail_at_the_end() -> None:
    text = "x" * 50_000 + " " + "1234 " * 10_000 + "mail: ken@yahoo.co.jp"
    result = scan(text)
    assert result.verdict == "contact"
    assert result.findings[-1].text == "ken@yahoo.co.jp"


def test_of_two_hits_on_one_span_the_same_kind_is_kept_whatever_the_order() -> None:
    from tsunagu.guard.engine import _resolve

    hits = [("website", 0, 10), ("short_link", 0, 10), ("solicit_contact", 0, 10)]
    kept = {tuple(_resolve(order)) for order in (hits, hits[::-1], hits[1:] + hits[:1])}
    assert kept == {(("short_link", 0, 10), ("solicit_contact", 0, 10))}
