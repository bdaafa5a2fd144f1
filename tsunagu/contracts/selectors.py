"""Reads for the contract pages, the API and the admin: lists, one contract as a party sees it,
its timeline in sentences, and which actions the viewer may take now (and why not).

The buttons shown come from the same rules the services refuse with (``states.allowed_actions``)
and the money split from the ledger transfers settlement made; what is computed here only
explains the state to people. A button shown can still be refused by the service (another tab
moved first) and the page then says why.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.audit.models import AuditEvent
from tsunagu.contracts.models import (
    CancellationRequest,
    Contract,
    Delivery,
    DeliveryFile,
    Dispute,
    DisputeStatus,
    Milestone,
    ProposalStatus,
    RevisionRequest,
)
from tsunagu.contracts.states import (
    FINAL,
    PAID,
    Action,
    ContractState,
    ContractStatus,
    MilestoneState,
    MilestoneStatus,
    Role,
    allowed_actions,
    refusal,
)
from tsunagu.ledger.models import Transfer
from tsunagu.ledger.selectors import wallet_find
from tsunagu.payments.selectors import CauseLink
from tsunagu.profiles.models import Profile
from tsunagu.profiles.money import format_money

PAGE_SIZE = 20
# The ledger transfers settlement makes out of escrow for one milestone (see ``Split``).
SPLIT_PARTS = ("release", "pay", "fee", "withholding")
STATUS_BADGES = {
    ContractStatus.OFFERED: "badge-pending",
    ContractStatus.ACTIVE: "badge-ok",
    ContractStatus.COMPLETED: "badge-ok",
    ContractStatus.DECLINED: "badge-no",
    ContractStatus.CANCELLED: "badge-no",
    MilestoneStatus.UNFUNDED: "badge-pending",
    MilestoneStatus.FUNDING: "badge-pending",
    MilestoneStatus.FUNDED: "badge-ok",
    MilestoneStatus.DELIVERED: "badge-pending",
    MilestoneStatus.REVISION_REQUESTED: "badge-pending",
    MilestoneStatus.DISPUTED: "badge-danger",
    MilestoneStatus.RELEASED: "badge-ok",
    MilestoneStatus.SETTLED: "badge-ok",
    MilestoneStatus.REFUNDED: "badge-no",
    MilestoneStatus.CANCELLED: "badge-no",
}


# --- lists -------------------------------------------------------------------------------------


def contracts_for_user(*, user_id: int) -> QuerySet[Contract]:
    """The contracts where ``user_id`` is the client or the worker, newest first, with what a
    list needs loaded in a fixed number of queries (milestones and open cancellations)."""
    return (
        Contract.objects.filter(Q(client_id=user_id) | Q(worker_id=user_id))
        .select_related("client__profile", "worker__profile")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.order_by("position").prefetch_related(
                    Prefetch(
                        "cancellations",
                        queryset=CancellationRequest.objects.filter(status=ProposalStatus.OPEN),
                        to_attr="open_cancellations",
                    )
                ),
            )
        )
        .order_by("-created_at", "-id")
    )


def contract_page(*, user_id: int, page_number: str | int | None) -> Page[Contract]:
    paginator = Paginator(contracts_for_user(user_id=user_id), PAGE_SIZE)
    return paginator.get_page(page_number)


@dataclass(frozen=True)
class NextAction:
    text: str
    mine: bool  # the viewer is the one who has to act


def next_action(contract: Contract, viewer_id: int) -> NextAction | None:
    """What has to happen next on ``contract``, said to ``viewer_id``. Uses prefetched milestones
    (and their ``open_cancellations`` when loaded by :func:`contracts_for_user`)."""
    is_client = viewer_id == contract.client_id
    if contract.status == ContractStatus.OFFERED:
        if is_client:
            return NextAction(_("Waiting for the worker to accept the terms."), False)
        return NextAction(_("Read the terms and accept or decline them."), True)
    if contract.status != ContractStatus.ACTIVE:
        return None
    for milestone in contract.milestones.all():
        open_cancellations: list[CancellationRequest] = getattr(milestone, "open_cancellations", [])
        for request in open_cancellations:
            if request.requested_by_id != viewer_id:
                return NextAction(
                    _("Answer the cancellation request for %(milestone)s.")
                    % {"milestone": milestone.title},
                    True,
                )
        hint = _milestone_next(milestone, is_client=is_client)
        if hint is not None:
            return hint
    return None


def _milestone_next(milestone: Milestone, *, is_client: bool) -> NextAction | None:
    title = {"milestone": milestone.title}
    status = milestone.status
    if status == MilestoneStatus.UNFUNDED:
        if is_client:
            return NextAction(_("Fund the escrow for %(milestone)s.") % title, True)
        return NextAction(_("Waiting for the client to fund %(milestone)s.") % title, False)
    if status == MilestoneStatus.FUNDING:
        return NextAction(_("The payment for %(milestone)s is being processed.") % title, False)
    if status == MilestoneStatus.FUNDED:
        if is_client:
            return NextAction(_("Waiting for the delivery of %(milestone)s.") % title, False)
        return NextAction(_("Deliver %(milestone)s.") % title, True)
    if status == MilestoneStatus.DELIVERED:
        if is_client:
            return NextAction(_("Inspect the delivery of %(milestone)s.") % title, True)
        return NextAction(_("Waiting for the client to inspect %(milestone)s.") % title, False)
    if status == MilestoneStatus.REVISION_REQUESTED:
        if is_client:
            return NextAction(_("Waiting for the revised %(milestone)s.") % title, False)
        return NextAction(_("Deliver a revised version of %(milestone)s.") % title, True)
    if status == MilestoneStatus.DISPUTED:
        return NextAction(_("Staff are reviewing the dispute on %(milestone)s.") % title, False)
    return None


def contract_total(contract: Contract) -> int:
    """What the client pays in all (fees plus consumption tax), from prefetched milestones."""
    return sum(m.amount + m.tax for m in contract.milestones.all())


# --- one contract --------------------------------------------------------------------------------


def contract_for_viewer(*, pk: int, viewer: User) -> Contract:
    """The contract if ``viewer`` is a party or staff; otherwise 404, as if it did not exist."""
    contract = (
        Contract.objects.select_related("client__profile", "worker__profile", "terms")
        .filter(pk=pk)
        .first()
    )
    if contract is None or not (contract.is_party(viewer.pk) or viewer.is_staff):
        raise Http404
    return contract


def contract_for_party(*, pk: int, viewer: User) -> Contract:
    """The contract if ``viewer`` is one of its two parties; 404 for everyone else."""
    contract = Contract.objects.select_related("client", "worker").filter(pk=pk).first()
    if contract is None or not contract.is_party(viewer.pk):
        raise Http404
    return contract


def milestone_for_party(*, contract: Contract, milestone_pk: int) -> Milestone:
    milestone = Milestone.objects.filter(pk=milestone_pk, contract=contract).first()
    if milestone is None:
        raise Http404
    return milestone


def delivery_file_for_viewer(*, pk: int, viewer: User) -> DeliveryFile:
    item = (
        DeliveryFile.objects.select_related("delivery__milestone__contract").filter(pk=pk).first()
    )
    if item is None:
        raise Http404
    contract = item.delivery.milestone.contract
    if not (contract.is_party(viewer.pk) or viewer.is_staff):
        raise Http404
    return item


def milestone_causes(ids: Collection[str]) -> dict[str, CauseLink]:
    """What wallet lines caused by these milestones were for (registered with payments)."""
    pks = [int(i) for i in ids if i.isdigit()]
    milestones = Milestone.objects.filter(pk__in=pks).select_related("contract") if pks else []
    return {
        str(m.pk): CauseLink(
            contract_id=m.contract_id,
            contract_title=m.contract.title,
            milestone_title=m.title,
            url=reverse("contracts:detail", args=[m.contract_id]),
        )
        for m in milestones
    }


def wallet_available(*, user_id: int, currency: str) -> int:
    """The balance a client can fund from, without opening an account just to read it."""
    account = wallet_find(user_id=user_id, currency=currency)
    return account.available if account is not None else 0


@dataclass(frozen=True)
class Split:
    gross: int
    platform_fee: int
    withholding: int
    to_worker: int
    refunded: int


@dataclass
class MilestoneActions:
    can_fund: bool = False
    can_deliver: bool = False
    can_request_revision: bool = False
    can_accept: bool = False
    can_propose_cancellation: bool = False
    can_dispute: bool = False
    revisions_left: int = 0
    reasons: list[str] = field(default_factory=list)


@dataclass
class MilestoneView:
    milestone: Milestone
    deliveries: list[Delivery]
    revisions: list[RevisionRequest]
    cancellations: list[CancellationRequest]
    disputes: list[Dispute]
    split: Split | None
    actions: MilestoneActions
    decline_code: str = ""


@dataclass
class TimelineEntry:
    event: AuditEvent
    text: str


@dataclass
class ContractView:
    contract: Contract
    terms: dict[str, Any]
    viewer_is_client: bool
    viewer_is_worker: bool
    milestones: list[MilestoneView]
    timeline: list[TimelineEntry]
    can_accept_terms: bool
    can_cancel: bool
    balance: int | None
    gross_total: int
    polling: bool  # a card payment is processing: the page refreshes itself until it ends

    @property
    def viewer_is_party(self) -> bool:
        return self.viewer_is_client or self.viewer_is_worker


def contract_view(*, contract: Contract, viewer: User) -> ContractView:
    """Everything the contract page shows, in a fixed number of queries."""
    milestones = list(
        Milestone.objects.filter(contract=contract)
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "deliveries",
                queryset=Delivery.objects.order_by("version").prefetch_related("files"),
            ),
            Prefetch(
                "revision_requests",
                queryset=RevisionRequest.objects.select_related("delivery").order_by("created_at"),
            ),
            Prefetch(
                "cancellations",
                queryset=CancellationRequest.objects.select_related(
                    "requested_by__profile"
                ).order_by("created_at"),
            ),
            Prefetch("disputes", queryset=Dispute.objects.order_by("created_at")),
        )
    )
    for milestone in milestones:
        milestone.contract = contract
    events = list(
        AuditEvent.objects.filter(subject_type="contracts.contract", subject_id=str(contract.pk))
        .select_related("actor__profile")
        .order_by("created_at", "id")
    )
    terms: dict[str, Any] = contract.terms.data
    role = Role.of(client_id=contract.client_id, worker_id=contract.worker_id, user_id=viewer.pk)
    statuses = [m.status for m in milestones]
    state = ContractState(status=contract.status, milestone_statuses=tuple(statuses))
    declines = _decline_codes(events)
    splits = _splits(milestones)
    views = [
        MilestoneView(
            milestone=milestone,
            deliveries=list(milestone.deliveries.all()),
            revisions=list(milestone.revision_requests.all()),
            cancellations=list(milestone.cancellations.all()),
            disputes=list(milestone.disputes.all()),
            split=splits.get(milestone.pk),
            actions=_actions(state, milestone, terms, role),
            decline_code=(
                declines.get(milestone.pk, "")
                if milestone.status == MilestoneStatus.UNFUNDED
                else ""
            ),
        )
        for milestone in milestones
    ]
    titles = {m.pk: m.title for m in milestones}
    names = {
        contract.client_id: contract.client.profile.display_name,
        contract.worker_id: contract.worker.profile.display_name,
    }
    timeline = [TimelineEntry(event=e, text=event_sentence(e, titles, names)) for e in events]
    allowed = allowed_actions(state, None, role)
    return ContractView(
        contract=contract,
        terms=terms,
        viewer_is_client=role is Role.CLIENT,
        viewer_is_worker=role is Role.WORKER,
        milestones=views,
        timeline=timeline,
        can_accept_terms=Action.ACCEPT_TERMS in allowed,
        can_cancel=Action.CANCEL in allowed,
        balance=(
            wallet_available(user_id=contract.client_id, currency=contract.currency)
            if role is Role.CLIENT and MilestoneStatus.UNFUNDED in statuses
            else None
        ),
        gross_total=sum(m.gross for m in milestones),
        polling=MilestoneStatus.FUNDING in statuses,
    )


def _decline_codes(events: Iterable[AuditEvent]) -> dict[int, str]:
    codes: dict[int, str] = {}
    for event in events:
        after = event.after if isinstance(event.after, dict) else {}
        milestone_pk = after.get("milestone")
        if not isinstance(milestone_pk, int):
            continue
        if event.event == "milestone.funding_declined":
            codes[milestone_pk] = str(after.get("decline_code") or "declined")
        elif event.event in ("milestone.funding", "milestone.funded"):
            codes.pop(milestone_pk, None)
    return codes


def can_answer_terms(*, contract: Contract, viewer: User) -> bool:
    """Whether ``viewer`` may accept (or decline) the offered terms now."""
    role = Role.of(client_id=contract.client_id, worker_id=contract.worker_id, user_id=viewer.pk)
    state = ContractState(status=contract.status)
    return refusal(Action.ACCEPT_TERMS, role=role, contract=state) is None


def _splits(milestones: Sequence[Milestone]) -> dict[int, Split]:
    """How each closed milestone's escrow was split, as settlement moved it in the ledger.

    One query for all released or settled milestones (none when there are none); a refunded
    milestone returned its whole gross.
    """
    paid = [m for m in milestones if m.status in PAID]
    keys = {m.transfer_key(part): m.pk for m in paid for part in SPLIT_PARTS}
    moved: dict[int, dict[str, int]] = {m.pk: {} for m in paid}
    if keys:
        for key, amount in Transfer.objects.filter(key__in=keys).values_list("key", "amount"):
            moved[keys[key]][key.split(":", 1)[0]] = amount
    splits = {}
    for milestone in milestones:
        if milestone.status == MilestoneStatus.REFUNDED:
            splits[milestone.pk] = Split(
                gross=0, platform_fee=0, withholding=0, to_worker=0, refunded=milestone.gross
            )
        elif milestone.pk in moved:
            parts = moved[milestone.pk]
            gross = parts.get("release", 0)
            splits[milestone.pk] = Split(
                gross=gross,
                platform_fee=parts.get("fee", 0),
                withholding=parts.get("withholding", 0),
                to_worker=parts.get("pay", 0),
                refunded=milestone.gross - gross,
            )
    return splits


def _actions(
    contract: ContractState, milestone: Milestone, terms: dict[str, Any], role: Role
) -> MilestoneActions:
    """The buttons the page shows, from the rules the services refuse with, and why not."""
    open_cancellation = any(c.status == ProposalStatus.OPEN for c in milestone.cancellations.all())
    revisions_left = int(terms.get("revision_limit", 0)) - milestone.revisions_used
    state = MilestoneState(
        status=milestone.status,
        revisions_left=revisions_left,
        open_cancellation=open_cancellation,
    )
    allowed = allowed_actions(contract, state, role)
    return MilestoneActions(
        can_fund=Action.FUND in allowed,
        can_deliver=Action.DELIVER in allowed,
        can_request_revision=Action.REQUEST_REVISION in allowed,
        can_accept=Action.ACCEPT in allowed,
        can_propose_cancellation=Action.PROPOSE_CANCELLATION in allowed,
        can_dispute=Action.DISPUTE in allowed,
        revisions_left=max(0, revisions_left),
        reasons=_reasons(contract, state, role),
    )


def _reasons(contract: ContractState, milestone: MilestoneState, role: Role) -> list[str]:
    """Why an expected step is not possible yet, said to the party looking at the page."""
    if not role.is_party:
        return []
    if contract.status == ContractStatus.OFFERED:
        return [_("Work starts once the worker accepts the terms and the client funds the escrow.")]
    status = milestone.status
    if status in FINAL or contract.status != ContractStatus.ACTIVE:
        return []

    def refused(action: Action) -> str | None:
        return refusal(action, role=role, contract=contract, milestone=milestone)

    reasons = []
    if role is Role.CLIENT:
        if refused(Action.REQUEST_REVISION) == "revision_limit":
            reasons.append(_("The revision requests agreed in the terms have been used."))
        if status in (MilestoneStatus.FUNDED, MilestoneStatus.REVISION_REQUESTED):
            reasons.append(_("Inspection becomes possible once the worker delivers."))
    if role is Role.WORKER:
        if refused(Action.DELIVER) == "not_funded":
            reasons.append(_("Delivery becomes possible once the client funds the escrow."))
        if status == MilestoneStatus.DELIVERED:
            reasons.append(_("The client is inspecting your delivery."))
    if status == MilestoneStatus.FUNDING:
        reasons.append(_("The card payment is being processed."))
    if status == MilestoneStatus.DISPUTED:
        reasons.append(_("Staff are reviewing the dispute and will decide."))
    return reasons


# --- timeline ------------------------------------------------------------------------------------


def event_sentence(event: AuditEvent, titles: dict[int, str], names: dict[int, str]) -> str:
    """One audit row as a sentence for people."""
    after = event.after if isinstance(event.after, dict) else {}
    if event.actor_id is None:
        actor = _("Tsunagu")
    else:
        actor = names.get(event.actor_id) or _actor_name(event)
    values: dict[str, Any] = {
        "actor": actor,
        "milestone": titles.get(after.get("milestone") or 0, ""),
        "version": after.get("version", ""),
        "amount": _yen(after.get("release_amount")),
        "to_worker": _yen(after.get("to_worker")),
    }
    sentences = {
        "contract.offered": _("%(actor)s sent the offer with the written terms."),
        "contract.terms_accepted": _("%(actor)s accepted the terms. The contract started."),
        "contract.declined": _("%(actor)s declined the offer."),
        "contract.cancelled": _("%(actor)s cancelled the contract."),
        "contract.completed": _("All milestones are finished: the contract is complete."),
        "milestone.funding": _("%(actor)s started a card payment for %(milestone)s."),
        "milestone.funded": _("The escrow for %(milestone)s was funded."),
        "milestone.funding_declined": _(
            "The card payment for %(milestone)s was declined. Nothing was charged."
        ),
        "milestone.delivered": _("%(actor)s delivered %(milestone)s (version %(version)s)."),
        "milestone.revision_requested": _("%(actor)s asked for a revision of %(milestone)s."),
        "milestone.accepted": _(
            "%(actor)s accepted %(milestone)s: %(to_worker)s was paid to the worker."
        ),
        "milestone.auto_accepted": _(
            "The inspection period of %(milestone)s ended: it was accepted automatically and "
            "%(to_worker)s was paid to the worker."
        ),
        "milestone.cancelled_by_agreement": _(
            "%(milestone)s was cancelled by agreement; the worker keeps %(amount)s (tax excluded)."
        ),
        "milestone.disputed": _("%(actor)s opened a dispute on %(milestone)s."),
        "dispute.decided": _(
            "Staff decided the dispute on %(milestone)s: %(amount)s (tax excluded) to the worker."
        ),
        "cancellation.proposed": _("%(actor)s proposed cancelling %(milestone)s."),
        "cancellation.declined": _("%(actor)s declined the cancellation request."),
    }
    if event.event == "contract.cancelled" and event.actor_id is None:
        return _("Every milestone was refunded or cancelled: the contract is closed.")
    template = sentences.get(event.event)
    if template is None:
        return _("%(actor)s: %(event)s") % {"actor": actor, "event": event.event}
    return template % values


def _actor_name(event: AuditEvent) -> str:
    actor = event.actor
    if actor is None:
        return _("Tsunagu")
    if actor.is_staff:
        return _("Staff")
    profile = getattr(actor, "profile", None)
    return profile.display_name if profile is not None else _("Someone")


def _yen(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return format_money(value, "JPY")
    return ""


def decline_reason(code: str) -> str:
    """Why the card payment was declined, for people."""
    reasons = {
        "card_declined": _("The card was declined."),
        "insufficient_funds": _("The card has insufficient funds."),
        "amount_too_large": _("The amount is too large for a card payment."),
    }
    return reasons.get(code, _("The payment was declined."))


def open_disputes() -> QuerySet[Dispute]:
    return Dispute.objects.filter(status=DisputeStatus.OPEN).select_related(
        "milestone__contract", "opened_by"
    )


def dispute_evidence(*, dispute: Dispute) -> Sequence[Delivery]:
    return list(
        Delivery.objects.filter(milestone=dispute.milestone)
        .order_by("version")
        .prefetch_related("files", "revision_requests")
    )


@dataclass(frozen=True)
class Capacity:
    """A worker's committed hours a week (the estimates of their running contracts) against the
    weekly capacity on their profile (None when they have not said)."""

    weekly_capacity: int | None
    committed: int
    without_estimate: int  # running contracts with no estimate, not counted

    @property
    def remaining(self) -> int | None:
        if self.weekly_capacity is None:
            return None
        return max(0, self.weekly_capacity - self.committed)

    def over_with(self, hours: int | None) -> bool:
        """Whether taking on ``hours`` more a week would go over the capacity."""
        if self.weekly_capacity is None or not hours:
            return False
        return self.committed + hours > self.weekly_capacity


def capacity_for(*, worker_id: int) -> Capacity:
    running = Contract.objects.filter(worker_id=worker_id, status=ContractStatus.ACTIVE)
    totals = running.aggregate(
        committed=Sum("weekly_hours"), without=Count("pk", filter=Q(weekly_hours__isnull=True))
    )
    capacity = (
        Profile.objects.filter(user_id=worker_id)
        .values_list("weekly_capacity_hours", flat=True)
        .first()
    )
    return Capacity(
        weekly_capacity=capacity,
        committed=totals["committed"] or 0,
        without_estimate=totals["without"],
    )
