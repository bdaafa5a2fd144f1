"""Yen is written one way on every page and in every language (tsunagu/core/money.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from tsunagu.core.money import format_yen
from tsunagu.payments.templatetags.wallet_tags import signed_yen as wallet_signed_yen
from tsunagu.payments.templatetags.wallet_tags import yen as wallet_yen
from tsunagu.profiles.money import format_money

ROOT = Path(__file__).resolve().parents[2] / "tsunagu"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_same_amount_reads_the_same_everywhere(language: str) -> None:
    template = Template("{% load money %}{{ a|yen }} {{ b|signed_yen }} {{ c|signed_yen }}")
    with translation.override(language):
        rendered = template.render(Context({"a": 23937, "b": 1000, "c": -250}))
        assert rendered == "¥23,937 +¥1,000 −¥250"
        # the app filters and the profile's money are the same function
        assert wallet_yen(23937) == format_money(23937, "JPY") == format_yen(23937) == "¥23,937"
        assert wallet_signed_yen(0) == "—"


def test_no_amount_is_nothing() -> None:
    template = Template("{% load money %}[{{ a|yen }}]")
    assert template.render(Context({"a": None})) == "[]"


def test_no_template_writes_yen_by_hand() -> None:
    # "¥{{ x|intcomma }}" beside "{{ x|yen }}" is how one amount came to read two ways
    by_hand = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("templates/**/*.html")
        if "¥{{" in path.read_text(encoding="utf-8")
        or "円{{" in path.read_text(encoding="utf-8")
        or "}}円" in path.read_text(encoding="utf-8")
    ]
    assert by_hand == []
