"""Who a person knows, from every source: connections and shared completed paid contracts
here, and whatever other apps register (communities will add their members).

``peer_source_register(name, fn)``: ``fn(user_id)`` returns the ids of people ``user_id`` knows
through that source. The introduce form, the complementary-trades page and the check that an
introduction goes only to people one knows all read :func:`known_ids`, so a new source widens
them all at once. "Who can introduce me" stays on connections and contracts: its two-hop join
is set-based SQL over those tables (``graph.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

PeerSource = Callable[[int], Iterable[int]]

_sources: dict[str, PeerSource] = {}


def peer_source_register(name: str, source: PeerSource) -> None:
    """Register (or replace, by ``name``) a source of the people someone knows."""
    _sources[name] = source


def known_ids(user_id: int) -> set[int]:
    """Everyone ``user_id`` knows through a registered source (never themself)."""
    found: set[int] = set()
    for name in sorted(_sources):
        found.update(int(pk) for pk in _sources[name](user_id))
    found.discard(user_id)
    return found
