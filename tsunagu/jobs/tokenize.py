"""Search tokens for Japanese and English text, the same on SQLite and PostgreSQL.

No Django here: the indexer, the query side and the benchmark all call these functions.

Text is NFKC-normalised (全角 ＡＢＣ → abc, half-width ｶﾀｶﾅ → カタカナ) and lowercased. Then:

* a run of Latin letters or digits becomes one token (``python``, ``2024``);
* a run of CJK characters (kanji, hiragana, katakana) becomes its overlapping bigrams followed
  by its unigrams: 「動画編集」 → ``動画 画編 編集 動 画 編 集``. The bigrams of a run sit at
  consecutive positions, so a phrase query over them means "these characters, adjacent";
* everything else (spaces, punctuation, symbols, emoji) separates tokens and is dropped.

A query is tokenised the same way: a one-character CJK word matches by its unigram, a longer one
by all of its bigrams (AND), so 翻訳, 記事 and 動画 are found inside 「動画編集者募集」 without a
dictionary. :func:`query_terms` keeps, for each query word, which tokens it needs, so that the
database layer can require all of them and reward adjacency.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 32


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana (incl. ー)
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0x31F0 <= code <= 0x31FF  # katakana phonetic extensions
        or 0x20000 <= code <= 0x2FA1F  # extensions B and beyond
        or ch in "々〆ヶ"
    )


def _is_word(ch: str) -> bool:
    return ch.isalnum() and (ch.isascii() or not _is_cjk(ch))


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def runs(text: str) -> list[tuple[str, str]]:
    """``[(kind, run)]`` where kind is ``"cjk"`` or ``"word"``, in text order."""
    out: list[tuple[str, str]] = []
    kind = ""
    start = 0
    norm = normalise(text)
    for i, ch in enumerate(norm):
        k = "cjk" if _is_cjk(ch) else ("word" if _is_word(ch) else "")
        if k != kind:
            if kind:
                out.append((kind, norm[start:i]))
            kind, start = k, i
    if kind:
        out.append((kind, norm[start:]))
    return out


def _cjk_tokens(run: str) -> list[str]:
    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
    return [*bigrams, *run]


def tokens(text: str) -> list[str]:
    """Index tokens of ``text``, in order (duplicates kept: they count for relevance)."""
    out: list[str] = []
    for kind, run in runs(text):
        if kind == "word":
            out.append(run)
        else:
            out.extend(_cjk_tokens(run))
    return out


def token_string(text: str) -> str:
    """What the search tables store: the tokens joined by single spaces."""
    return " ".join(tokens(text))


@dataclass(frozen=True)
class Term:
    """One query word: the tokens that must all be present, adjacent ones listed in order.

    ``prefix`` is true for Latin words of three or more characters, which then also match
    longer words (``transl`` finds ``translation``).
    """

    tokens: tuple[str, ...]
    prefix: bool = False


def query_terms(query: str) -> list[Term]:
    """The terms of a search query; empty when it holds nothing searchable (symbols only)."""
    terms: list[Term] = []
    seen: set[Term] = set()
    limit = MAX_QUERY_CHARS * 2
    if len(query) > limit:  # cut, without leaving half a word at the end
        query = query[:limit] if query[limit].isspace() else query[:limit].rsplit(None, 1)[0]
    for kind, run in runs(query):
        if kind == "word":
            term = Term((run,), prefix=len(run) >= 3)
        elif len(run) == 1:
            term = Term((run,))
        else:
            term = Term(tuple(run[i : i + 2] for i in range(len(run) - 1)))
        if term not in seen:
            seen.add(term)
            terms.append(term)
    return terms[:MAX_QUERY_TERMS]


def fts5_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts5_query(terms: list[Term]) -> str:
    """An FTS5 MATCH expression: every token of every term required.

    A term of several bigrams is written ``("b1 b2 b3" OR (b1 AND b2 AND b3))``: it matches the
    same rows as the AND alone (the phrase implies its tokens), while rows where the characters
    stand together, in order, score higher in bm25.
    """
    parts: list[str] = []
    for term in terms:
        quoted = [fts5_quote(t) + ("*" if term.prefix else "") for t in term.tokens]
        if len(term.tokens) > 1:
            phrase = '"' + " ".join(t.replace('"', '""') for t in term.tokens) + '"'
            parts.append(f"({phrase} OR ({' AND '.join(quoted)}))")
        else:
            parts.append(quoted[0])
    return " AND ".join(parts)


def tsquery_quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery(terms: list[Term]) -> str:
    """A PostgreSQL ``to_tsquery('simple', …)`` text: every token required (``&``).

    ts_rank_cd, used for relevance on PostgreSQL, already prefers tokens that stand close
    together, so adjacency needs no extra clause here.
    """
    parts: list[str] = []
    for term in terms:
        for token in term.tokens:
            parts.append(tsquery_quote(token) + (":*" if term.prefix else ""))
    return " & ".join(parts)


def query_tokens(terms: list[Term]) -> list[str]:
    """Every token the terms need (for tests and for the benchmark's reference matcher)."""
    return [t for term in terms for t in term.tokens]
