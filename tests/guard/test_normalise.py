"""The normalised view and its offset map."""

from __future__ import annotations

import pytest

from tsunagu.guard.normalise import normalise


@pytest.mark.parametrize(
    ("text", "view"),
    [
        ("ＴＡＲＯ＠ｇｍａｉｌ．ｃｏｍ", "taro@gmail.com"),  # full-width
        ("ｶﾞｯｺｳ", "がっこう"),  # half-width katakana with a voiced mark
        ("ゼロキュウゼロ", "ぜろきゅうぜろ"),  # katakana read as hiragana
        ("①②③⑴⑵⒈⒉❶➀➊⓪", "12312121110"),  # circled, parenthesised, full-stop digits
        ("1️⃣2️⃣3️⃣", "123"),  # keycaps
        ("𝐭𝐚𝐫𝐨", "taro"),  # mathematical letters
        ("ta\u200bro\u200d@\u2060gm\ufeffail", "taro@gmail"),  # invisible characters
        ("l i n e", "line"),  # spaced letters
        ("g-m-a-i-l", "gmail"),
        ("0 9 0 1 2", "09012"),
        ("—–−", "---"),  # dashes
    ],
)
def test_view(text: str, view: str) -> None:
    assert normalise(text).text == view


@pytest.mark.parametrize(
    "text",
    [
        "ＴＡＲＯ＠ｇｍａｉｌ．ｃｏｍ",
        "ta\u200bro\u200d@ｇｍａｉｌ",
        "ｶﾞｯｺｳ の l i n e",
        "℡ 03-1234-5678",
        "taro★gmail.com ★を@に変えて",
    ],
)
def test_every_view_character_maps_into_the_original(text: str) -> None:
    view = normalise(text)
    for index in range(len(view.text)):
        start, end = view.span(index, index + 1)
        assert 0 <= start < end <= len(text)


def test_span_of_a_folded_range_is_the_original_range() -> None:
    text = "連絡 ｔａ\u200bｒｏ です"
    view = normalise(text)
    start = view.text.index("taro")
    begin, end = view.span(start, start + 4)
    assert text[begin:end] == "ｔａ\u200bｒｏ"


def test_substitution_instruction_turns_the_symbol_into_at() -> None:
    view = normalise("ken★yahoo.co.jp（★を＠に変えてください）")
    assert view.text.startswith("ken@yahoo.co.jp")


def test_ordinary_text_keeps_its_length() -> None:
    text = "お見積りは¥50,000です。よろしくお願いします。"
    view = normalise(text)
    assert len(view.text) == len(text)
    assert view.starts is None


def test_ascii_folds_to_lower_case_only() -> None:
    from tsunagu.guard.normalise import _BMP_TABLE, _ODD, fold

    for code in range(128):
        assert chr(_BMP_TABLE[code]) == chr(code).lower()
        assert _ODD.search(chr(code)) is None
    text = "Call ME on +1 (415) 555-0132\tNOW"
    assert fold(text).text == text.translate(_BMP_TABLE) == text.lower()


def test_the_plane_s_table_holds_one_character_for_each() -> None:
    from tsunagu.guard.normalise import _BMP_TABLE, _ODD, _ODD_SENTINEL, _TABLE

    assert len(_BMP_TABLE) == 0x10000
    for code in range(0x10000):
        if _ODD.match(chr(code)):  # the slow path's: invisible characters, voice marks, ℡
            assert chr(_BMP_TABLE[code]) == _ODD_SENTINEL
        else:
            assert chr(_BMP_TABLE[code]) == _TABLE.get(code, chr(code))


@pytest.mark.parametrize(
    "text",
    [
        "ﾗｲﾝ\u200bID",  # an invisible character in the plane
        "ﾊﾟｽﾜｰﾄﾞ",  # a half-width voice mark
        "℡03",
        "𝐠𝐦𝐚𝐢𝐥 です",  # mathematical letters beyond the plane
        "よろしくお願いします🙏",  # beyond the plane, and nothing to fold
        "\uffff と書かれた文字",  # the sentinel itself
        "\ud800 ひとつだけのサロゲート",
    ],
)
def test_the_common_path_and_the_slow_one_fold_alike(text: str) -> None:
    from tsunagu.guard.normalise import _slow_fold, fold

    assert fold(text).text == _slow_fold(text).text
