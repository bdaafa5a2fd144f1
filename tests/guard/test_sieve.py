"""The sieve only skips work: with it or without it, the guard finds the same things."""

from __future__ import annotations

import json
import re
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.guard.devset import CASES, disguise_cases, heldout_cases, single_cases
from tsunagu.guard import ConversationScanner, scan, scan_with_context
from tsunagu.guard.normalise import normalise
from tsunagu.guard.sieve import (
    LONGEST,
    SIEVE,
    Sieve,
    _matcher,
    python_to_re2,
    re2,
    without_gaps,
)


def _without_sieve(text: str) -> object:
    with SIEVE.disabled():
        return scan(text)


def _texts() -> list[str]:
    texts = [case.text for case in single_cases() + heldout_cases() + disguise_cases()]
    with (CASES / "conversations.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            texts += [message["text"] for message in json.loads(line)["messages"]]
    return texts


def _variants(text: str) -> list[str]:
    """The text as people disguise it: spaced, widened, glued to another message, shouted."""
    wide = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)
    return [text, text.upper(), wide, " ".join(text), text.replace("-", " "), text + " " + text]


def test_the_sieve_is_used() -> None:
    assert re2 is not None and SIEVE.enabled
    assert SIEVE.look("電話は090-1234-5678です") == frozenset({"phone", "cue:channel"})
    assert SIEVE.look("よろしくお願いします") == frozenset({"cue:request"})
    assert SIEVE.look("2026年11月22日") == frozenset()


def test_same_findings_with_and_without_the_sieve_on_every_case_and_its_variants() -> None:
    differences = []
    for text in _texts():
        for variant in _variants(text):
            if scan(variant) != _without_sieve(variant):
                differences.append(variant)
    assert differences == []


def test_same_findings_in_conversations() -> None:
    with (CASES / "conversations.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    for row in rows:
        texts = [message["text"] for message in row["messages"]]
        for index, text in enumerate(texts):
            with_sieve = scan_with_context(text, texts[:index])
            with SIEVE.disabled():
                assert scan_with_context(text, texts[:index]) == with_sieve


_PIECES = [
    *"0123456789０１２３〇一二九十@＠.．-ー・ _:/#()「」、。+",
    *[
        "ぜろ",
        "まる",
        "いち",
        "に",
        "さん",
        "なな",
        "はち",
        "きゅう",
        "ゼロ",
        "ハチ",
        "one",
        "nine",
    ],
    *["line", "LINE", "ライン", "id", "ID", "skype", "live:", "discord", "wxid_", "insta", "x"],
    *["gmail", "com", "co", "jp", "dot", "どっと", "at", "あっと", "アットマーク", "http", "www"],
    *[
        "電話",
        "携帯",
        "tel",
        "call",
        "(",
        "注文番号",
        "直接",
        "連絡",
        "交換",
        "振込",
        "仮払い",
        "前に",
        "作業",
    ],
    *["で", "を", "は", "ください", "しましょう", "let's", "talk", "on", "whatsapp", "pay", "me"],
    *["\u200b", "\ufe0f", "①", "⑨", "ｱ", "ﾞ", "★", "を@に変えて", "zoom.us/j/", "bit.ly/"],
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_same_findings_on_random_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert scan(text) == _without_sieve(text)


def test_every_mark_is_compiled_from_its_python_pattern() -> None:
    for name, pattern in SIEVE.marks.items():
        assert pattern, name
        assert "\\s" not in pattern and "\\b" not in pattern, name


def test_translation_widens_and_keeps_what_it_must() -> None:
    translated = python_to_re2(r"ab\s?c{0,3}d{2,5}?\bx[\s\]]")
    assert "\\s" not in translated and "\\b" not in translated
    assert "c*" in translated and "d{2,}" in translated
    assert "\\x{3000}" in translated  # ideographic space, as Python's \s reads it


def test_look_arounds_that_end_or_start_an_alternative_become_part_of_the_match() -> None:
    assert python_to_re2(r"tg(?=:)|(?<=[0-9])o|x(?=a)y") == r"tg(?::)|(?:[0-9])o|xy"


@pytest.mark.parametrize("pattern", [r"\d+", r"[\w.]", r"\Z", r"\u3000"])
def test_unknown_escapes_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError):
        python_to_re2(pattern)


def test_a_lone_surrogate_skips_the_first_look() -> None:
    text = "電話 090-1234-5678 \ud800"
    assert SIEVE.look(text) is None
    assert scan(text).verdict == "contact"


def test_a_long_text_goes_to_the_detectors_directly() -> None:
    text = "あ" * LONGEST + " 電話 090-1234-5678"
    assert SIEVE.look(text) is None
    assert scan(text).verdict == "contact"


def test_a_pattern_missed_by_another_multi_pattern_engine_is_found() -> None:
    # Hyperscan 0.9.1 missed this "DM して" when the phone and service marks shared its database
    assert "ja.09" in (SIEVE.look("reach me: priya dmして") or ())
    assert scan("reach me: priya一DMしてね").verdict == "solicit"


def test_marks_cannot_be_added_once_compiled() -> None:
    sieve = Sieve()
    sieve.mark("phone", re.compile(r"[0-9]{8,}"))
    assert sieve.look("tel 0312345678") == frozenset({"phone"})
    assert sieve.look("tel 0312") == frozenset()
    with pytest.raises(RuntimeError):
        sieve.mark("late", re.compile("x"))


def test_scans_from_many_threads_agree() -> None:
    texts = [case.text for case in single_cases()]
    expected = [scan(text) for text in texts]
    results: dict[int, list[object]] = {}

    def work(number: int) -> None:
        results[number] = [scan(text) for text in texts]

    threads = [threading.Thread(target=work, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results.values())


def test_a_conversation_scanner_sees_the_same_with_and_without() -> None:
    messages = ["電話は", "〇九〇", "一二三四", "五六七八", "よろしく"]
    with_sieve = ConversationScanner()
    without = ConversationScanner()
    for message in messages:
        ours = with_sieve.scan(message, room=1, sender=2)
        with SIEVE.disabled():
            assert without.scan(message, room=1, sender=2) == ours


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_a_look_at_the_first_character_only_skips(pieces: list[str]) -> None:
    # _RUN and _AT begin with a look-ahead at the first character; without it they match the same
    from tsunagu.guard import contacts, phones

    plain_run = re.compile(phones._RUN.pattern.split(")", 1)[1])
    plain_at = re.compile(contacts._AT_SOURCE)
    for text in ["".join(pieces), *(case.text for case in single_cases()[:50])]:
        view = normalise(text).text
        assert [m.span() for m in phones._RUN.finditer(view)] == [
            m.span() for m in plain_run.finditer(view)
        ]
        assert [m.span() for m in contacts._AT.finditer(view)] == [
            m.span() for m in plain_at.finditer(view)
        ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([*_PIECES, "a.b", "x [.] y", "foo(dot)com", " dot ", "hxxp://"])))
def test_the_look_at_where_a_link_starts_only_skips(pieces: list[str]) -> None:
    from tsunagu.guard import contacts

    plain = re.compile(contacts._URL.pattern.replace(contacts._URL_START, "", 1))
    assert plain.pattern != contacts._URL.pattern
    for text in ["".join(pieces), *(case.text for case in single_cases()[::7])]:
        view = normalise(text).text
        assert [m.span() for m in contacts._URL.finditer(view)] == [
            m.span() for m in plain.finditer(view)
        ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from([*_PIECES, "kakao talk", "インスタグラム", "テレグラム", "微信号", "tg:"])
    )
)
def test_service_names_in_a_trie_match_as_the_list_did(pieces: list[str]) -> None:
    from tsunagu.guard import contacts
    from tsunagu.guard.normalise import kana_pattern

    listed = re.compile(
        kana_pattern(
            contacts._SERVICE_ALTERNATIVES
            + r"|x(?=\s?(?:の|で)?\s?(?:アカウント|account|id|ID|\s?[:：]\s?@|で@))"
        )
    )
    for text in ["".join(pieces), *(case.text for case in single_cases()[::5])]:
        view = normalise(text).text
        assert [(m.span(), m.group()) for m in contacts._SERVICE_NAMES.finditer(view)] == [
            (m.span(), m.group()) for m in listed.finditer(view)
        ]


def test_a_small_memory_budget_is_slower_not_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    from tsunagu.guard import sieve as module

    monkeypatch.setattr(module, "_MEMORY", 6 << 20)  # compiles, and fills on these texts
    small = Sieve()
    small._marks = SIEVE.marks
    for text in _texts():
        view = normalise(text).text
        assert small.look(view) == SIEVE.look(view)


def test_a_set_without_an_inner_one_is_matched_through_its_wrapper() -> None:
    class Wrapper:  # what re2.Set gives when it holds no compiled set of its own
        def Match(self, data: bytes) -> list[int] | None:
            return [0] if b"@" in data else None

    match = _matcher(Wrapper())
    assert match(b"a@b") == [0]
    assert match(b"ab") == []


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # the pieces between gaps, each of which a text holding the pattern holds
        ("連絡先[^。]*教えて(?:ください)?", [["連絡先", "教えて(?:ください)?"]]),
        (r"tel(?:.|\n)*[0-9]{8,}", [["tel", "[0-9]{8,}"]]),
        ("[^a]*ab", [["ab"]]),
        # a gap inside a group ends the group's alternatives and what follows the group
        ("x(?:ab[^c]*cd|ef)gh", [["x(?:ab|ef)"]]),
        ("(?:ab[^c]*cd){2,}z", [["(?:ab)"]]),
        ("q(?:ab[^c]*cd)*z", [["q(?:ab)?"]]),
        # alternatives without gaps make one piece; the others each their own
        ("ab[^.]*c|de|fg", [["de|fg"], ["ab", "c"]]),
        # nothing but gaps asks for nothing: found in every text
        ("[^a]*|b", [["b"], [""]]),
        # narrow repeats are no gaps: they end where the text stops matching them
        (r"[a-z]+@[a-z]*\.com|x\x{3000}*y", [[r"[a-z]+@[a-z]*\.com|x\x{3000}*y"]]),
        ("a[^b]{2}c", [["a[^b]{2}c"]]),
        ("a{x[^b]{3,}yz", [["a{x", "yz"]]),  # a "{" that starts no repeat is a character
    ],
)
def test_gaps_are_left_out_of_marks(pattern: str, expected: list[list[str]]) -> None:
    assert without_gaps(pattern) == expected


def test_a_mark_is_seen_wherever_its_pattern_is_found() -> None:
    patterns = {name: re2.compile(pattern) for name, pattern in SIEVE.marks.items()}
    assert any(len(without_gaps(pattern)) > 1 for pattern in SIEVE.marks.values())
    found = 0
    for text in {normalise(text).text for text in _texts()}:
        seen = SIEVE.look(text)
        assert seen is not None
        for name, pattern in patterns.items():
            if pattern.search(text):
                found += 1
                assert name in seen, (name, text)
    assert found > 1000


def test_a_mark_with_gaps_needs_all_the_pieces_of_one_alternative() -> None:
    sieve = Sieve()
    sieve.mark("ask", re.compile("連絡先[^。]*教えて|電話[^。]*ください|直接"))
    assert sieve.look("連絡先を教えて") == frozenset({"ask"})
    assert sieve.look("教えて。連絡先") == frozenset({"ask"})  # in any order: a first look
    assert sieve.look("連絡先は") == frozenset()
    assert sieve.look("連絡先、電話をください") == frozenset({"ask"})
    assert sieve.look("連絡先、ください") == frozenset()
    assert sieve.look("直接") == frozenset({"ask"})
    anything = Sieve()  # a mark of nothing but a gap asks for nothing: it is seen in every text
    anything.mark("any", re.compile("[^a]*|b"))
    assert anything.look("xyz") == anything.look("") == frozenset({"any"})
