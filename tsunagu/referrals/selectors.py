"""Reads: connections, introductions with their outcomes, thanks on a worker's profile, trust
edges, the trades people work in and with.

Outcomes are computed from the proposals and contracts tables each time, never copied: an
introduction led to a proposal when the introduced worker proposed on a job of the client (the
forwarded job, for a forward) after it was sent, and to a contract when the two signed one
after it was sent; its value is what was paid out on those contracts.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum

from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract, Milestone
from tsunagu.contracts.states import PAID, ContractStatus
from tsunagu.jobs.models import Category, Job
from tsunagu.profiles.models import Profile
from tsunagu.proposals.models import Proposal
from tsunagu.referrals.errors import ReferralError
from tsunagu.referrals.models import (
    Connection,
    ConnectionStatus,
    Referral,
    ReferralKind,
    ReferralStatus,
    RewardPayout,
)
from tsunagu.referrals.peers import known_ids
from tsunagu.trust import engine

# ---------------------------------------------------------------- connections


def pair_of(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def connection_between(a: int, b: int) -> Connection | None:
    low, high = pair_of(a, b)
    return Connection.objects.filter(user_low_id=low, user_high_id=high).first()


def connection_for_party(*, pk: int, viewer: User) -> Connection:
    """A connection ``viewer`` is one of the two people of, or not_found."""
    found = (
        Connection.objects.filter(pk=pk).filter(Q(user_low=viewer) | Q(user_high=viewer)).first()
    )
    if found is None:
        raise ReferralError.refuse("not_found")
    return found


def connected_ids(user_id: int) -> set[int]:
    """The people ``user_id`` has an accepted connection with."""
    accepted = Connection.objects.filter(status=ConnectionStatus.ACCEPTED).order_by()
    high = accepted.filter(user_low_id=user_id).values_list("user_high_id", flat=True)
    low = accepted.filter(user_high_id=user_id).values_list("user_low_id", flat=True)
    return set(high.union(low))


def paid_contract_ids() -> QuerySet[Milestone, Any]:
    return Milestone.objects.filter(status__in=PAID, released_amount__gt=0).values("contract_id")


def contract_partner_ids(user_id: int) -> set[int]:
    """The people ``user_id`` has completed a paid contract with, in either role."""
    paid = Contract.objects.filter(pk__in=paid_contract_ids()).order_by()
    workers = paid.filter(client_id=user_id).values_list("worker_id", flat=True)
    clients = paid.filter(worker_id=user_id).values_list("client_id", flat=True)
    return set(workers.union(clients))


def have_paid_contract(a: int, b: int) -> bool:
    return (
        Contract.objects.filter(pk__in=paid_contract_ids())
        .filter(Q(client_id=a, worker_id=b) | Q(client_id=b, worker_id=a))
        .exists()
    )


def knows(a: int, b: int) -> bool:
    """Whether ``a`` may introduce ``b``: connected, a paid contract together, or a registered
    peer source says so."""
    low, high = pair_of(a, b)
    if Connection.objects.filter(
        user_low_id=low, user_high_id=high, status=ConnectionStatus.ACCEPTED
    ).exists():
        return True
    return have_paid_contract(a, b) or b in known_ids(a)


@dataclass(frozen=True)
class ConnectionRow:
    connection: Connection
    other: Profile
    incoming: bool  # a pending request the viewer must answer


def connections_of(*, user: User) -> dict[str, list[ConnectionRow]]:
    """The viewer's connections, requests to answer and requests sent, in two queries."""
    rows = list(
        Connection.objects.filter(Q(user_low=user) | Q(user_high=user))
        .filter(status__in=[ConnectionStatus.ACCEPTED, ConnectionStatus.PENDING])
        .order_by("-changed_at", "-id")
    )
    profiles = profiles_by_user([r.other_id(user.pk) for r in rows])
    result: dict[str, list[ConnectionRow]] = {"connected": [], "incoming": [], "outgoing": []}
    for row in rows:
        other = profiles.get(row.other_id(user.pk))
        if other is None:
            continue
        incoming = row.status == ConnectionStatus.PENDING and row.requested_by_id != user.pk
        item = ConnectionRow(connection=row, other=other, incoming=incoming)
        if row.status == ConnectionStatus.ACCEPTED:
            result["connected"].append(item)
        elif incoming:
            result["incoming"].append(item)
        else:
            result["outgoing"].append(item)
    return result


def profiles_by_user(user_ids: Iterable[int]) -> dict[int, Profile]:
    ids = set(user_ids)
    if not ids:
        return {}
    return {p.user_id: p for p in Profile.objects.filter(user_id__in=ids)}


def known_profiles(*, user: User) -> list[Profile]:
    """Everyone the person knows (connections, paid contracts, registered peer sources), by
    name: the choices of the introduce form."""
    ids = connected_ids(user.pk) | contract_partner_ids(user.pk) | known_ids(user.pk)
    ids.discard(user.pk)
    return sorted(profiles_by_user(ids).values(), key=lambda p: p.display_name)


# ---------------------------------------------------------------- introductions and outcomes


class Stage:
    NONE = "none"
    PROPOSAL = "proposal"
    OFFER = "offer"
    CONTRACT = "contract"
    PAID = "paid"


@dataclass
class Outcome:
    proposals: int = 0
    offers: int = 0  # contracts offered (terms sent), whatever became of them
    contracts: int = 0  # contracts whose terms the worker accepted
    paid_value: int = 0  # yen released to the worker on those contracts (tax excluded)
    contract_ids: list[int] = field(default_factory=list)

    @property
    def stage(self) -> str:
        if self.paid_value:
            return Stage.PAID
        if self.contracts:
            return Stage.CONTRACT
        if self.offers:
            return Stage.OFFER
        if self.proposals:
            return Stage.PROPOSAL
        return Stage.NONE

    @property
    def led_to_contract(self) -> bool:
        return self.contracts > 0


SIGNED = (ContractStatus.ACTIVE, ContractStatus.COMPLETED, ContractStatus.CANCELLED)


def outcomes_for(referrals: Sequence[Referral]) -> dict[int, Outcome]:
    """Each referral's outcome, in two queries whatever their number."""
    result = {r.pk: Outcome() for r in referrals}
    counted = [
        r for r in referrals if r.status in (ReferralStatus.ACCEPTED, ReferralStatus.PENDING)
    ]
    if not counted:
        return result
    clients = {r.client_id for r in counted}
    workers = {r.worker_id for r in counted}
    contracts = list(
        Contract.objects.filter(client_id__in=clients, worker_id__in=workers)
        .annotate(
            paid=Sum(
                "milestones__released_amount",
                filter=Q(milestones__status__in=PAID),
                default=0,
            )
        )
        .values("pk", "client_id", "worker_id", "status", "created_at", "paid")
    )
    proposals = list(
        Proposal.objects.filter(worker_id__in=workers, job__client_id__in=clients).values(
            "worker_id", "job_id", "job__client_id", "created_at"
        )
    )
    by_pair: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for c in contracts:
        by_pair[(int(c["client_id"]), int(c["worker_id"]))].append(c)
    proposals_by_pair: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for p in proposals:
        proposals_by_pair[(int(p["job__client_id"]), int(p["worker_id"]))].append(p)
    for r in counted:
        outcome = result[r.pk]
        since: datetime.datetime = r.created_at
        for p in proposals_by_pair[(r.client_id, r.worker_id)]:
            if p["created_at"] < since:
                continue
            if r.kind == ReferralKind.FORWARD and r.job_id and p["job_id"] != r.job_id:
                continue
            outcome.proposals += 1
        for c in by_pair[(r.client_id, r.worker_id)]:
            if c["created_at"] < since:
                continue
            outcome.offers += 1
            if c["status"] in SIGNED:
                outcome.contracts += 1
                outcome.contract_ids.append(int(c["pk"]))
                outcome.paid_value += int(c["paid"] or 0)
    return result


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    outcome: Outcome
    names: dict[str, str]
    payout: RewardPayout | None


def _rows(referrals: list[Referral]) -> list[ReferralRow]:
    outcomes = outcomes_for(referrals)
    people = profiles_by_user(
        {r.referrer_id for r in referrals}
        | {r.client_id for r in referrals}
        | {r.worker_id for r in referrals}
    )
    payouts = {p.referral_id: p for p in RewardPayout.objects.filter(referral__in=referrals)}

    def name(pk: int) -> str:
        profile = people.get(pk)
        return profile.display_name if profile is not None else str(pk)

    return [
        ReferralRow(
            referral=r,
            outcome=outcomes[r.pk],
            names={
                "referrer": name(r.referrer_id),
                "client": name(r.client_id),
                "worker": name(r.worker_id),
            },
            payout=payouts.get(r.pk),
        )
        for r in referrals
    ]


def referrals_made(*, user: User) -> list[ReferralRow]:
    """The introductions ``user`` sent, newest first, each with its outcome."""
    return _rows(list(Referral.objects.filter(referrer=user).select_related("job")[:200]))


def referrals_received(*, user: User) -> list[ReferralRow]:
    """Introductions where ``user`` is the client or the worker, newest first: those waiting for
    ``user``'s answer and those already answered."""
    qs = Referral.objects.filter(Q(client=user) | Q(worker=user)).select_related("job")
    return _rows(list(qs[:200]))


def referral_for_viewer(*, pk: int, viewer: User) -> Referral:
    """An introduction the viewer sent, received or is introduced in; not_found for anyone
    else."""
    found = (
        Referral.objects.filter(pk=pk)
        .filter(Q(referrer=viewer) | Q(client=viewer) | Q(worker=viewer))
        .select_related("job")
        .first()
    )
    if found is None:
        raise ReferralError.refuse("not_found")
    return found


def referral_row(*, referral: Referral) -> ReferralRow:
    return _rows([referral])[0]


@dataclass(frozen=True)
class Thanks:
    count: int  # introductions that led to a contract
    referrers: list[Profile]


def thanks_for(*, worker_id: int) -> Thanks:
    """ "紹介で3件": the accepted introductions of this worker that led to a contract, and who
    made them."""
    referrals = list(Referral.objects.filter(worker_id=worker_id, status=ReferralStatus.ACCEPTED))
    outcomes = outcomes_for(referrals)
    led = [r for r in referrals if outcomes[r.pk].led_to_contract]
    people = profiles_by_user({r.referrer_id for r in led})
    seen: dict[int, Profile] = {}
    for r in led:
        if r.referrer_id in people:
            seen.setdefault(r.referrer_id, people[r.referrer_id])
    return Thanks(count=len(led), referrers=list(seen.values()))


def trust_edges() -> list[engine.Referral]:
    """Every accepted introduction as a trust edge from the referrer to the introduced worker
    (the trust app's edge source)."""
    referrals = list(Referral.objects.filter(status=ReferralStatus.ACCEPTED))
    outcomes = outcomes_for(referrals)
    return [
        engine.Referral(
            src=str(r.referrer_id),
            dst=str(r.worker_id),
            led_to_contract=outcomes[r.pk].led_to_contract,
        )
        for r in referrals
    ]


def open_jobs_of(*, client_id: int) -> list[Job]:
    return list(Job.objects.filter(client_id=client_id, status="open").order_by("-id")[:50])


# ---------------------------------------------------------------- trades


def own_trades(user_ids: Iterable[int]) -> dict[int, Counter[int]]:
    """Each person's trades: the categories of the jobs of their paid contracts as worker."""
    ids = set(user_ids)
    result: dict[int, Counter[int]] = defaultdict(Counter)
    if not ids:
        return result
    rows = Proposal.objects.filter(
        contract__worker_id__in=ids, contract__in=_paid_contracts()
    ).values_list("contract__worker_id", "job__category_id")
    for worker_id, category_id in rows:
        result[worker_id][category_id] += 1
    return result


def _paid_contracts() -> QuerySet[Contract]:
    return Contract.objects.filter(pk__in=paid_contract_ids())


def trades_worked_with(*, user_id: int) -> list[tuple[Category, int]]:
    """The trades a person often works with, most often first: what they hired for as a client
    (the categories of those jobs) and the trades of the clients who hired them."""
    counts: Counter[int] = Counter()
    paid = _paid_contracts()
    for category_id in Proposal.objects.filter(
        contract__client_id=user_id, contract__in=paid
    ).values_list("job__category_id", flat=True):
        counts[category_id] += 1
    clients = set(paid.filter(worker_id=user_id).values_list("client_id", flat=True))
    for trades in own_trades(clients).values():
        counts.update(trades)
    mine = own_trades([user_id]).get(user_id, Counter())
    for category_id in mine:
        counts.pop(category_id, None)
    categories = Category.objects.in_bulk(list(counts))
    return [(categories[pk], n) for pk, n in counts.most_common() if pk in categories]


@dataclass(frozen=True)
class Suggestion:
    profile: Profile
    category: Category
    contracts: int


def complementary_suggestions(
    *, user: User, limit: int = 30
) -> tuple[list[Category], list[Suggestion]]:
    """People the viewer knows who work in trades complementary to the viewer's: the trades the
    viewer works with, or else those that people of the viewer's own trades work with."""
    wanted = [category for category, _n in trades_worked_with(user_id=user.pk)]
    if not wanted:
        mine = own_trades([user.pk]).get(user.pk, Counter())
        wanted = _complements_of(set(mine))
    if not wanted:
        return [], []
    known = connected_ids(user.pk) | contract_partner_ids(user.pk) | known_ids(user.pk)
    known.discard(user.pk)
    trades = own_trades(known)
    wanted_ids = [c.pk for c in wanted]
    by_id = {c.pk: c for c in wanted}
    profiles = profiles_by_user(trades)
    found: list[Suggestion] = []
    for person, counts in trades.items():
        best = max(
            (cid for cid in counts if cid in by_id), key=lambda cid: counts[cid], default=None
        )
        if best is None or person not in profiles:
            continue
        found.append(
            Suggestion(profile=profiles[person], category=by_id[best], contracts=counts[best])
        )
    found.sort(
        key=lambda s: (
            wanted_ids.index(s.category.pk),
            -(s.profile.worker_trust_score or 0),
            -s.contracts,
        )
    )
    return wanted, found[:limit]


def _complements_of(categories: set[int]) -> list[Category]:
    """Trades that people working in ``categories`` hire or are hired by, across the platform."""
    if not categories:
        return []
    workers = set(
        Proposal.objects.filter(
            job__category_id__in=categories, contract__in=_paid_contracts()
        ).values_list("contract__worker_id", flat=True)[:500]
    )
    counts: Counter[int] = Counter()
    for category_id in Proposal.objects.filter(
        contract__client_id__in=workers, contract__in=_paid_contracts()
    ).values_list("job__category_id", flat=True):
        if category_id not in categories:
            counts[category_id] += 1
    found = Category.objects.in_bulk(list(counts))
    return [found[pk] for pk, _n in counts.most_common(5) if pk in found]
