""" "Who can introduce me": the people you know who know the person you want to reach, at most
two hops away through accepted connections and shared completed paid contracts.

Set-based SQL, a constant number of queries whatever the sizes: the viewer's neighbours and the
target's neighbours are two small sets (``mine`` and ``theirs``), and the two-hop paths are the
join of the connection table with itself restricted to them, from the target's side, so a
person with 1,000 connections each with 1,000 never reads the million rows of the second hop
(``bench/referrals.py`` measures it against a breadth-first search in Python). The partial
indexes on accepted connections (both column orders) make every lookup an index-only range.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection as db

from tsunagu.contracts.states import PAID
from tsunagu.profiles.models import Profile
from tsunagu.referrals.models import ConnectionStatus

# Literals, not parameters: the partial indexes on accepted connections are used only when the
# query names their condition itself. Both are fixed codes of this code base, never input.
ACCEPTED = str(ConnectionStatus.ACCEPTED)
PAID_STATUSES = tuple(str(s) for s in sorted(PAID))
assert ACCEPTED.isidentifier() and all(s.isidentifier() for s in PAID_STATUSES)

_ACCEPTED = f"status = '{ACCEPTED}'"
_PAID = (
    "EXISTS (SELECT 1 FROM contracts_milestone m WHERE m.contract_id = c.id AND m.status IN ("  # noqa: S608
    + ", ".join(f"'{s}'" for s in PAID_STATUSES)
    + ") AND m.released_amount > 0)"
)

# The people one person (the same parameter four times) knows: both sides of an accepted
# connection, both roles of a paid contract.
NEIGHBOURS = (
    f"SELECT user_high_id AS id FROM referrals_connection WHERE user_low_id = %s AND {_ACCEPTED}"  # noqa: S608
    f" UNION SELECT user_low_id FROM referrals_connection WHERE user_high_id = %s AND {_ACCEPTED}"
    f" UNION SELECT c.worker_id FROM contracts_contract c WHERE c.client_id = %s AND {_PAID}"
    f" UNION SELECT c.client_id FROM contracts_contract c WHERE c.worker_id = %s AND {_PAID}"
)

# (first hop, second hop) from the viewer towards the target. ``mine``: the viewer's neighbours;
# ``theirs``: the target's. A first hop in both is a direct path (one id twice). Otherwise the
# second hop is one of the target's neighbours who is not the viewer's (whoever is both can be
# asked directly): the connection table joined with itself, restricted to the target's side
# (``beyond``, looked up by index) and filtered by ``mine``. The lookups are IN-lists, not joins:
# SQLite would otherwise build a Bloom filter over the whole connection table, and the unary
# plus keeps both planners from driving the lookup from ``mine`` (a thousand connections with
# a thousand each: the million rows this query exists not to read).
BRIDGES = (
    f"WITH mine AS ({NEIGHBOURS}), theirs AS ({NEIGHBOURS}),"  # noqa: S608
    " beyond AS (SELECT id FROM theirs EXCEPT SELECT id FROM mine)"
    " SELECT x.user_high_id, x.user_low_id FROM referrals_connection x"
    f" WHERE x.{_ACCEPTED} AND x.user_low_id IN (SELECT id FROM beyond)"
    " AND +x.user_high_id IN (SELECT id FROM mine)"
    " UNION SELECT x.user_low_id, x.user_high_id FROM referrals_connection x"
    f" WHERE x.{_ACCEPTED} AND x.user_high_id IN (SELECT id FROM beyond)"
    " AND +x.user_low_id IN (SELECT id FROM mine)"
    " UNION SELECT c.client_id, c.worker_id FROM contracts_contract c"
    " WHERE c.worker_id IN (SELECT id FROM beyond) AND +c.client_id IN (SELECT id FROM mine)"
    f" AND {_PAID}"
    " UNION SELECT c.worker_id, c.client_id FROM contracts_contract c"
    " WHERE c.client_id IN (SELECT id FROM beyond) AND +c.worker_id IN (SELECT id FROM mine)"
    f" AND {_PAID}"
    " UNION SELECT t.id, t.id FROM theirs t WHERE t.id IN (SELECT id FROM mine)"
)

CONNECTED = (
    "SELECT 1 FROM referrals_connection WHERE user_low_id = %s AND user_high_id = %s"  # noqa: S608
    f" AND {_ACCEPTED}"
)


def neighbours(user_id: int) -> set[int]:
    with db.cursor() as cursor:
        cursor.execute(NEIGHBOURS, [user_id] * 4)
        return {int(row[0]) for row in cursor.fetchall()}


def bridges(viewer_id: int, target_id: int) -> tuple[set[tuple[int, int]], bool]:
    """The (first hop, second hop) pairs from ``viewer_id`` towards ``target_id`` (a pair of
    one id twice is a direct path) and whether the two are already connected: two queries."""
    with db.cursor() as cursor:
        cursor.execute(BRIDGES, [viewer_id] * 4 + [target_id] * 4)
        rows = {(int(a), int(b)) for a, b in cursor.fetchall()}
        cursor.execute(CONNECTED, [min(viewer_id, target_id), max(viewer_id, target_id)])
        connected = cursor.fetchone() is not None
    pairs = {(a, b) for a, b in rows if viewer_id not in (a, b) and target_id not in (a, b)}
    return pairs, connected


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
    """For each person the viewer knows who can lead to the target, their best path (the
    shortest, then the most trusted), best trusted first: three queries."""
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

    trust = {pk: int(row["worker_trust_score"] or 0) for pk, row in profiles.items()}
    # Each introducer's best path as plain numbers first (thousands of pairs for a busy
    # target); the shown paths are built only for the winners.
    best: dict[int, tuple[int, int, int]] = {}
    for first, second in pairs:
        if first not in trust or second not in trust:
            continue
        key = (
            (1, -trust[first], first)
            if first == second
            else (
                2,
                -min(trust[first], trust[second]),
                second,
            )
        )
        current = best.get(first)
        if current is None or key < current:
            best[first] = key
    paths = []
    for first, (length, _trust, second) in best.items():
        hops = tuple(h for pk in (first, second)[:length] if (h := hop(pk)) is not None)
        paths.append(Path(hops=hops, trust=min(h.trust for h in hops)))
    paths.sort(key=_rank)
    return WhoCanIntroduce(paths=paths[:limit], connected=connected)


def _rank(path: Path) -> tuple[int, int, int, str]:
    """Introducers best first: by the trust of their path, then the shorter, then by name."""
    return (-path.trust, len(path.hops), -path.introducer.trust, path.introducer.name)
