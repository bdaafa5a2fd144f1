"""Solicitation families and the trigger words that let them run."""

from __future__ import annotations

import pytest

from tests.guard.devset import single_cases
from tsunagu.guard import scan
from tsunagu.guard.normalise import normalise
from tsunagu.guard.solicitation import _EN_TRIGGER, _JA_TRIGGER, EN_FAMILIES, JA_FAMILIES

EXTRA = [
    "LINEかDiscordかSkypeで話しませんか",
    "PayPayかPayPalか銀行振込で直接払います",
    "仮払いなしで先に制作に入ってください",
    "Let's hop on a quick Teams call outside the platform",
    "I'd rather pay you through Wise to skip the commission",
]


def test_trigger_words_never_hide_a_match() -> None:
    hidden = []
    for text in [case.text for case in single_cases()] + EXTRA:
        view = normalise(text).text
        for families, triggers in ((JA_FAMILIES, _JA_TRIGGER), (EN_FAMILIES, _EN_TRIGGER)):
            present = triggers.present(view)
            for kind, words, pattern in families:
                if pattern.search(view) and words.isdisjoint(present):
                    hidden.append((text[:60], kind, pattern.pattern[:60]))
    assert not hidden, "\n".join(map(str, hidden))


@pytest.mark.parametrize(
    "text",
    [
        "外部での直接取引は禁止されています。",
        "直接取引を持ちかけられたら運営に通報してください。",
        "Please don't ask me to pay outside the platform.",
        "Sharing contact details is not allowed here.",
    ],
)
def test_refusals_and_warnings_are_not_solicitation(text: str) -> None:
    assert scan(text).verdict == "clean"
