"""Reads for the contract pages, the API and the admin: lists, one contract as a party sees it,
its timeline in sentences, and which actions the viewer may take now (and why not).

The services decide; what is computed here only explains the state to people. A button shown
here can still be refused by the service (another tab moved first) and the page then says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.audit.models import AuditEvent
from tsunagu.contracts import fees
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
from tsunagu.contracts.states import ESCROWED, FINAL, ContractStatus, MilestoneStatus
from tsunagu.ledger.selectors import wallet_find
from tsunagu.profiles.money import format_money

PAGE_SIZE = 20
SETTLE_EVENTS = frozenset(
    {
        "milestone.accepted",
        "milestone.auto_accepted",
        "milestone.cancelled_by_agreement",
        "dispute.decided",
    }
)
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
    is_client = viewer.pk == contract.client_id
    is_worker = viewer.pk == contract.worker_id
    notes = _settle_notes(events)
    declines = _decline_codes(events)
    views = []
    released_before = 0
    for milestone in sorted(milestones, key=lambda m: (m.closed_at is None, m.closed_at, m.pk)):
        # Recomputing a split needs what the contract released before it, in closing order.
        split = _split(milestone, notes.get(milestone.pk), terms, released_before)
        released_before += milestone.released_amount
        views.append(
            MilestoneView(
                milestone=milestone,
                deliveries=list(milestone.deliveries.all()),
                revisions=list(milestone.revision_requests.all()),
                cancellations=list(milestone.cancellations.all()),
                disputes=list(milestone.disputes.all()),
                split=split,
                actions=_actions(contract, milestone, terms, is_client, is_worker),
                decline_code=(
                    declines.get(milestone.pk, "")
                    if milestone.status == MilestoneStatus.UNFUNDED
                    else ""
                ),
            )
        )
    views.sort(key=lambda v: v.milestone.position)
    titles = {m.pk: m.title for m in milestones}
    names = {
        contract.client_id: contract.client.profile.display_name,
        contract.worker_id: contract.worker.profile.display_name,
    }
    timeline = [TimelineEntry(event=e, text=event_sentence(e, titles, names)) for e in events]
    statuses = [m.status for m in milestones]
    return ContractView(
        contract=contract,
        terms=terms,
        viewer_is_client=is_client,
        viewer_is_worker=is_worker,
        milestones=views,
        timeline=timeline,
        can_accept_terms=is_worker and contract.status == ContractStatus.OFFERED,
        can_cancel=(is_client or is_worker)
        and contract.status in (ContractStatus.OFFERED, ContractStatus.ACTIVE)
        and not any(s in ESCROWED or s == MilestoneStatus.FUNDING for s in statuses),
        balance=(
            wallet_available(user_id=contract.client_id, currency=contract.currency)
            if is_client and MilestoneStatus.UNFUNDED in statuses
            else None
        ),
        gross_total=sum(m.gross for m in milestones),
        polling=MilestoneStatus.FUNDING in statuses,
    )


def _settle_notes(events: Iterable[AuditEvent]) -> dict[int, dict[str, Any]]:
    notes = {}
    for event in events:
        if event.event in SETTLE_EVENTS and isinstance(event.after, dict):
            milestone_pk = event.after.get("milestone")
            if isinstance(milestone_pk, int):
                notes[milestone_pk] = event.after
    return notes


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


def _split(
    milestone: Milestone,
    note: dict[str, Any] | None,
    terms: dict[str, Any],
    released_before: int,
) -> Split | None:
    if milestone.status not in (MilestoneStatus.RELEASED, MilestoneStatus.SETTLED):
        if milestone.status == MilestoneStatus.REFUNDED:
            return Split(
                gross=0, platform_fee=0, withholding=0, to_worker=0, refunded=milestone.gross
            )
        return None
    if note is not None and "to_worker" in note:
        gross = int(note["gross"])
        return Split(
            gross=gross,
            platform_fee=int(note["platform_fee"]),
            withholding=int(note["withholding"]),
            to_worker=int(note["to_worker"]),
            refunded=milestone.gross - gross,
        )
    amount = milestone.released_amount
    tax = milestone.tax if amount == milestone.amount else fees.consumption_tax(amount)
    release = fees.release_split(
        amount=amount,
        tax=tax,
        already_released=released_before,
        withholding_applies=bool(terms.get("withholding_applies")),
    )
    return Split(
        gross=release.gross,
        platform_fee=release.platform_fee,
        withholding=release.withholding,
        to_worker=release.to_worker,
        refunded=milestone.gross - release.gross,
    )


def _actions(
    contract: Contract,
    milestone: Milestone,
    terms: dict[str, Any],
    is_client: bool,
    is_worker: bool,
) -> MilestoneActions:
    actions = MilestoneActions()
    status = milestone.status
    active = contract.status == ContractStatus.ACTIVE
    open_cancellation = any(c.status == ProposalStatus.OPEN for c in milestone.cancellations.all())
    actions.revisions_left = max(0, int(terms.get("revision_limit", 0)) - milestone.revisions_used)
    if not (is_client or is_worker):
        return actions
    if contract.status == ContractStatus.OFFERED:
        actions.reasons.append(
            _("Work starts once the worker accepts the terms and the client funds the escrow.")
        )
        return actions
    if status in FINAL or not active:
        return actions
    if is_client:
        actions.can_fund = status == MilestoneStatus.UNFUNDED
        actions.can_accept = status == MilestoneStatus.DELIVERED
        actions.can_request_revision = (
            status == MilestoneStatus.DELIVERED and actions.revisions_left > 0
        )
        if status == MilestoneStatus.DELIVERED and actions.revisions_left == 0:
            actions.reasons.append(_("The revision requests agreed in the terms have been used."))
        if status in (MilestoneStatus.FUNDED, MilestoneStatus.REVISION_REQUESTED):
            actions.reasons.append(_("Inspection becomes possible once the worker delivers."))
    if is_worker:
        actions.can_deliver = status in (MilestoneStatus.FUNDED, MilestoneStatus.REVISION_REQUESTED)
        if status in (MilestoneStatus.UNFUNDED, MilestoneStatus.FUNDING):
            actions.reasons.append(_("Delivery becomes possible once the client funds the escrow."))
        if status == MilestoneStatus.DELIVERED:
            actions.reasons.append(_("The client is inspecting your delivery."))
    if status == MilestoneStatus.FUNDING:
        actions.reasons.append(_("The card payment is being processed."))
    in_escrow = status in ESCROWED and status != MilestoneStatus.DISPUTED
    actions.can_dispute = in_escrow
    actions.can_propose_cancellation = in_escrow and not open_cancellation
    if status == MilestoneStatus.DISPUTED:
        actions.reasons.append(_("Staff are reviewing the dispute and will decide."))
    return actions


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
