""" "Who can introduce me": the people you know who know the person you want to reach, at most
two hops away through accepted connections and shared completed paid contracts.

Set-based SQL, a constant number of queries whatever the sizes: the viewer's neighbours and the
target's neighbours are two small sets (``mine`` and ``theirs``), and the two-hop paths are the
join of the connection table with itself restricted to them, from the target's side, so a
person with 1,000 connections each with 1,000 never reads the million rows of the second hop
(``bench/referrals.py`` measures it against a breadth-first search in Python).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection as db

from tsunagu.contracts.states import PAID
from tsunagu.profiles.models import Profile
from tsunagu.referrals.models import ConnectionStatus

ACCEPTED = str(ConnectionStatus.ACCEPTED)
PAID_STATUSES = tuple(str(s) for s in sorted(PAID))

_PAID = (
    "EXISTS (SELECT 1 FROM contracts_milestone m WHERE m.contract_id = c.id "
    "AND m.status IN (%s, %s) AND m.released_amount > 0)"
)


def _neighbours_sql() -> str:
    """The people one person (four times the same parameter) knows: both sides of a connection,
    both roles of a paid contract. Built from constants only: every value is a parameter."""
    return (
        "SELECT user_high_id AS id FROM referrals_connection WHERE user_low_id = %s AND status = %s"  # noqa: S608
        " UNION SELECT user_low_id FROM referrals_connection WHERE user_high_id = %s AND status = %s"
        f" UNION SELECT c.worker_id FROM contracts_contract c WHERE c.client_id = %s AND {_PAID}"
        f" UNION SELECT c.client_id FROM contracts_contract c WHERE c.worker_id = %s AND {_PAID}"
    )


def _neighbour_params(user_id: int) -> list[int | str]:
    return [user_id, ACCEPTED, user_id, ACCEPTED, user_id, *PAID_STATUSES, user_id, *PAID_STATUSES]


def neighbours(user_id: int) -> set[int]:
    with db.cursor() as cursor:
        cursor.execute(_neighbours_sql(), _neighbour_params(user_id))
        return {int(row[0]) for row in cursor.fetchall()}


def _bridges_sql() -> str:
    """Edges (m1, m2) with m1 among the viewer's neighbours and m2 among the target's, driven
    from the target's side."""
    return (
        f"WITH mine AS ({_neighbours_sql()}), theirs AS ({_neighbours_sql()}) "  # noqa: S608
        "SELECT x.user_high_id, t.id FROM theirs t"
        " JOIN referrals_connection x ON x.user_low_id = t.id AND x.status = %s"
        " WHERE x.user_high_id IN (SELECT id FROM mine)"
        " UNION SELECT x.user_low_id, t.id FROM theirs t"
        " JOIN referrals_connection x ON x.user_high_id = t.id AND x.status = %s"
        " WHERE x.user_low_id IN (SELECT id FROM mine)"
        " UNION SELECT c.client_id, t.id FROM theirs t JOIN contracts_contract c ON c.worker_id = t.id"
        f" WHERE c.client_id IN (SELECT id FROM mine) AND {_PAID}"
        " UNION SELECT c.worker_id, t.id FROM theirs t JOIN contracts_contract c ON c.client_id = t.id"
        f" WHERE c.worker_id IN (SELECT id FROM mine) AND {_PAID}"
        " UNION SELECT t.id, t.id FROM theirs t WHERE t.id IN (SELECT id FROM mine)"
    )


def bridges(viewer_id: int, target_id: int) -> tuple[set[tuple[int, int]], bool]:
    """The (first hop, second hop) pairs from ``viewer_id`` towards ``target_id`` (a pair of
    one id twice is a direct path) and whether the two are already neighbours: one query."""
    params = [
        *_neighbour_params(viewer_id),
        *_neighbour_params(target_id),
        ACCEPTED,
        ACCEPTED,
        *PAID_STATUSES,
        *PAID_STATUSES,
    ]
    with db.cursor() as cursor:
        cursor.execute(_bridges_sql(), params)
        rows = {(int(a), int(b)) for a, b in cursor.fetchall()}
    pairs = {(a, b) for a, b in rows if viewer_id not in (a, b) and target_id not in (a, b)}
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM referrals_connection WHERE user_low_id = %s AND user_high_id = %s"
            " AND status = %s",
            [min(viewer_id, target_id), max(viewer_id, target_id), ACCEPTED],
        )
        direct = cursor.fetchone() is not None
    return pairs, direct


@dataclass(frozen=True)
class Hop:
    user_id: int
    profile_id: int
    name: str
    trust: int


@dataclass(frozen=True)
class Path:
    """あなた → hops… → the target. ``trust``: the lowest trust score along the way (a chain is
    as strong as its weakest link)."""

    hops: tuple[Hop, ...]
    trust: int

    @property
    def introducer(self) -> Hop:
        return self.hops[0]


@dataclass(frozen=True)
class WhoCanIntroduce:
    paths: list[Path]
    connected: bool  # the viewer already knows the target


def who_can_introduce(*, viewer_id: int, target_id: int, limit: int = 10) -> WhoCanIntroduce:
    """For each person the viewer knows who can lead to the target, the best path (the most
    trusted, then the shortest), best first: three queries."""
    if viewer_id == target_id:
        return WhoCanIntroduce(paths=[], connected=False)
    pairs, connected = bridges(viewer_id, target_id)
    ids = {a for a, _b in pairs} | {b for _a, b in pairs}
    profiles = {
        row["user_id"]: row
        for row in Profile.objects.filter(user_id__in=ids).values(
            "user_id", "pk", "display_name", "worker_trust_score"
        )
    }

    def hop(pk: int) -> Hop | None:
        row = profiles.get(pk)
        if row is None:
            return None
        return Hop(
            user_id=pk,
            profile_id=row["pk"],
            name=row["display_name"],
            trust=int(row["worker_trust_score"] or 0),
        )

    best: dict[int, Path] = {}
    for first, second in pairs:
        hops_raw: Sequence[int] = (first,) if first == second else (first, second)
        hops = tuple(h for pk in hops_raw if (h := hop(pk)) is not None)
        if len(hops) != len(hops_raw):
            continue
        path = Path(hops=hops, trust=min(h.trust for h in hops))
        current = best.get(first)
        if current is None or _rank(path) < _rank(current):
            best[first] = path
    paths = sorted(best.values(), key=_rank)
    return WhoCanIntroduce(paths=paths[:limit], connected=connected)


def _rank(path: Path) -> tuple[int, int, int, str]:
    return (-path.trust, len(path.hops), -path.introducer.trust, path.introducer.name)
