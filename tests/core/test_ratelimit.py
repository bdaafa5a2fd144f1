from __future__ import annotations

from tsunagu.core.ratelimit import hit


def test_limit_allows_up_to_the_count_then_refuses() -> None:
    results = [hit(key="t:1", limit=3, window_seconds=600) for _ in range(5)]
    assert results == [True, True, True, False, False]


def test_keys_are_counted_separately() -> None:
    assert all(hit(key="t:a", limit=1, window_seconds=600) for _ in range(1))
    assert hit(key="t:b", limit=1, window_seconds=600)
    assert not hit(key="t:a", limit=1, window_seconds=600)
