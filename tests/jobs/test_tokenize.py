"""The tokeniser: the same tokens for the index and the query, in Japanese and English."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tsunagu.jobs.tokenize import (
    Term,
    fts5_query,
    query_terms,
    query_tokens,
    token_string,
    tokens,
    tsquery,
)


def test_cjk_runs_become_bigrams_then_unigrams() -> None:
    assert tokens("動画編集") == ["動画", "画編", "編集", "動", "画", "編", "集"]


def test_one_and_two_character_words_are_found_inside_unsegmented_text() -> None:
    indexed = set(tokens("「動画編集者募集」翻訳と記事"))
    for word in ("翻訳", "記事", "動画", "訳", "集"):
        assert set(query_tokens(query_terms(word))) <= indexed, word


def test_latin_words_and_nfkc() -> None:
    assert tokens("Ｐｙｔｈｏｎ／DJANGO 2024年 ｶﾀｶﾅ") == [
        "python",
        "django",
        "2024",
        "年",
        "カタ",
        "タカ",
        "カナ",
        "カ",
        "タ",
        "カ",
        "ナ",
    ]


def test_symbols_only_has_no_terms() -> None:
    assert query_terms("!!! ??? ★★ ") == []
    assert query_terms("") == []


def test_query_terms() -> None:
    assert query_terms("動画 transl a 訳") == [
        Term(("動画",)),
        Term(("transl",), prefix=True),
        Term(("a",)),
        Term(("訳",)),
    ]
    assert query_terms("編集者") == [Term(("編集", "集者"))]


def test_fts5_and_tsquery_require_every_token() -> None:
    terms = query_terms('編集者 "python')
    assert fts5_query(terms) == '("編集 集者" OR ("編集" AND "集者")) AND "python"*'
    assert tsquery(terms) == "'編集' & '集者' & 'python':*"


def test_quotes_are_escaped() -> None:
    assert tsquery([Term(("it's",))]) == "'it''s'"
    assert fts5_query([Term(('a"b',))]) == '"a""b"'


def test_a_very_long_query_is_cut() -> None:
    assert len(query_terms("翻訳 " * 5000)) == 1
    assert len(query_terms(" ".join(f"w{i}" for i in range(1000)))) == 32


@given(st.text(max_size=200))
def test_query_tokens_of_any_text_are_in_its_index(text: str) -> None:
    indexed = set(token_string(text).split(" "))
    for term in query_terms(text):
        for token in term.tokens:
            assert token in indexed
