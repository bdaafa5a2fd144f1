"""/api/v1/contracts: the caller's contracts and every action on them.

The same services and selectors as the pages. Only the two parties reach a contract (404 for
anyone else). A refusal of the domain (a ``ContractError``) is answered by the API's one error
handler with its stable code: 403 when the caller is the wrong party, 409 when the contract's
stage does not allow it; bad values answer 422 with the fields they concern.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from tsunagu.accounts.models import User
from tsunagu.accounts.request import signed_in_user
from tsunagu.api.errors import ApiError
from tsunagu.api.idempotency import IDEMPOTENCY_DESCRIPTION, idempotent
from tsunagu.api.schemas import ErrorOut
from tsunagu.contracts import selectors, services
from tsunagu.contracts.models import Contract, Delivery, Dispute, Milestone, RevisionRequest
from tsunagu.contracts.schemas import (
    ContractListOut,
    ContractOut,
    ContractSummaryOut,
    DeliveryFileOut,
    DeliveryOut,
    DisputeOut,
    FundIn,
    FundOut,
    MessageIn,
    MilestoneOut,
    OfferIn,
    PaymentOut,
    ReasonIn,
    RevisionOut,
)
from tsunagu.core.fields import Int, Text
from tsunagu.profiles.models import Profile

router = Router(tags=["contracts"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 409, 422, 429): ErrorOut}


class ListFilters(Schema):
    page: Int = 1


def _milestone(milestone: Milestone) -> MilestoneOut:
    return MilestoneOut(
        id=milestone.pk,
        position=milestone.position,
        title=milestone.title,
        amount=milestone.amount,
        tax=milestone.tax,
        gross=milestone.gross,
        due_date=milestone.due_date,
        status=milestone.status,
        revisions_used=milestone.revisions_used,
        funded_at=milestone.funded_at,
        delivered_at=milestone.delivered_at,
        inspection_deadline=milestone.inspection_deadline,
        released_amount=milestone.released_amount,
    )


def _summary_fields(contract: Contract, viewer_id: int) -> dict[str, Any]:
    step = selectors.next_action(contract, viewer_id)
    return {
        "id": contract.pk,
        "title": contract.title,
        "status": contract.status,
        "role": "client" if contract.client_id == viewer_id else "worker",
        "client_name": contract.client.profile.display_name,
        "worker_name": contract.worker.profile.display_name,
        "currency": contract.currency,
        "total": selectors.contract_total(contract),
        "next_action": step.text if step else None,
        "your_turn": bool(step and step.mine),
        "created_at": contract.created_at,
        "milestones": [_milestone(m) for m in contract.milestones.all()],
    }


def _contract_out(pk: int, viewer: User) -> ContractOut:
    contract = selectors.contracts_for_user(user_id=viewer.pk).select_related("terms").filter(pk=pk)
    found = contract.first()
    if found is None:
        raise Http404
    return ContractOut(
        **_summary_fields(found, viewer.pk),
        accepted_at=found.accepted_at,
        closed_at=found.closed_at,
        terms=found.terms.data,
        terms_sha256=found.terms.sha256,
    )


def _party_contract(request: HttpRequest, contract_id: int) -> Contract:
    return selectors.contract_for_party(pk=contract_id, viewer=signed_in_user(request))


def _party_milestone(
    request: HttpRequest, contract_id: int, milestone_id: int
) -> tuple[Contract, Milestone]:
    contract = _party_contract(request, contract_id)
    return contract, selectors.milestone_for_party(contract=contract, milestone_pk=milestone_id)


def _refreshed(milestone: Milestone) -> MilestoneOut:
    milestone.refresh_from_db()
    return _milestone(milestone)


# --- reads -----------------------------------------------------------------------------------------


@router.get("", response={200: ContractListOut, **ERRORS}, summary="My contracts")
def list_contracts(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    user = signed_in_user(request)
    page = selectors.contract_page(user_id=user.pk, page_number=max(filters.page, 1))
    return ContractListOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        items=[ContractSummaryOut(**_summary_fields(c, user.pk)) for c in page.object_list],
    )


@router.get("/{int:contract_id}", response={200: ContractOut, **ERRORS}, summary="A contract")
def get_contract(request: HttpRequest, contract_id: int) -> Any:
    return _contract_out(contract_id, signed_in_user(request))


# --- offer and terms ---------------------------------------------------------------------------


@router.post("", response={201: ContractOut, **ERRORS}, summary="Offer a contract to a worker")
def offer_contract(request: HttpRequest, payload: OfferIn) -> Any:
    client = signed_in_user(request)
    profile = Profile.objects.select_related("user").filter(pk=payload.worker_profile_id).first()
    if profile is None:
        raise ApiError(
            "invalid",
            _("Some of the values sent are not valid."),
            status=422,
            errors=[{"field": "worker_profile_id", "message": _("There is no such worker.")}],
        )
    contract = services.contract_offer(
        client=client,
        worker=profile.user,
        title=payload.title,
        description=payload.description,
        deliverables=payload.deliverables,
        milestones=[
            services.MilestoneInput(title=m.title, amount=m.amount, due_date=m.due_date)
            for m in payload.milestones
        ],
        payment_due=payload.payment_due,
        inspection_days=payload.inspection_days,
        revision_limit=payload.revision_limit,
        withholding_category=payload.withholding_category,
        weekly_hours=payload.weekly_hours,
    )
    return Status(201, _contract_out(contract.pk, client))


@router.post(
    "/{int:contract_id}/accept-terms",
    response={200: ContractOut, **ERRORS},
    summary="Accept the terms (worker)",
)
def accept_terms(request: HttpRequest, contract_id: int) -> Any:
    contract = _party_contract(request, contract_id)
    services.contract_accept_terms(contract=contract, by=signed_in_user(request))
    return _contract_out(contract.pk, signed_in_user(request))


@router.post(
    "/{int:contract_id}/decline",
    response={200: ContractOut, **ERRORS},
    summary="Decline the offer (worker)",
)
def decline(request: HttpRequest, contract_id: int) -> Any:
    contract = _party_contract(request, contract_id)
    services.contract_decline(contract=contract, by=signed_in_user(request))
    return _contract_out(contract.pk, signed_in_user(request))


@router.post(
    "/{int:contract_id}/cancel",
    response={200: ContractOut, **ERRORS},
    summary="Cancel while no money is held",
)
def cancel(request: HttpRequest, contract_id: int) -> Any:
    contract = _party_contract(request, contract_id)
    services.contract_cancel(contract=contract, by=signed_in_user(request))
    return _contract_out(contract.pk, signed_in_user(request))


# --- milestones ----------------------------------------------------------------------------------


@router.post(
    "/{int:contract_id}/milestones/{int:milestone_id}/fund",
    response={200: FundOut, **ERRORS},
    summary="Fund the escrow of a milestone (client): from the balance or by card",
    description=IDEMPOTENCY_DESCRIPTION.strip(),
)
def fund(request: HttpRequest, contract_id: int, milestone_id: int, payload: FundIn) -> Any:
    _, milestone = _party_milestone(request, contract_id, milestone_id)
    by = signed_in_user(request)

    def run(request_ref: str) -> tuple[int, FundOut]:
        # A milestone is funded at most once whatever the key (its payment's cause is the
        # milestone); the key adds the stored answer for a retried request.
        if payload.method == "wallet":
            services.milestone_fund_from_wallet(milestone=milestone, by=by)
            return 200, FundOut(milestone=_refreshed(milestone), payment=None)
        payment = services.milestone_fund_by_card(milestone=milestone, by=by)
        return 200, FundOut(
            milestone=_refreshed(milestone),
            payment=PaymentOut(
                id=payment.pk,
                status=payment.status,
                amount=payment.amount,
                decline_code=payment.decline_code,
            ),
        )

    return idempotent(request, payload, run)


@router.post(
    "/{int:contract_id}/milestones/{int:milestone_id}/deliveries",
    response={201: DeliveryOut, **ERRORS},
    summary="Deliver a version of the work (worker), as multipart/form-data",
)
def deliver(
    request: HttpRequest,
    contract_id: int,
    milestone_id: int,
    message: Form[Text],
    files: File[list[UploadedFile]],
) -> Any:
    _, milestone = _party_milestone(request, contract_id, milestone_id)
    delivery = services.delivery_submit(
        milestone=milestone, by=signed_in_user(request), message=message, files=files
    )
    return Status(201, _delivery(delivery))


def _delivery(delivery: Delivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.pk,
        version=delivery.version,
        message=delivery.message,
        created_at=delivery.created_at,
        files=[
            DeliveryFileOut(
                id=f.pk,
                name=f.name,
                size=f.size,
                sha256=f.sha256,
                url=reverse("contracts:file", args=[f.pk]),
            )
            for f in delivery.files.all()
        ],
    )


@router.post(
    "/{int:contract_id}/milestones/{int:milestone_id}/revision",
    response={201: RevisionOut, **ERRORS},
    summary="Ask for a revision of the latest delivery (client)",
)
def request_revision(
    request: HttpRequest, contract_id: int, milestone_id: int, payload: MessageIn
) -> Any:
    _, milestone = _party_milestone(request, contract_id, milestone_id)
    revision: RevisionRequest = services.milestone_request_revision(
        milestone=milestone, by=signed_in_user(request), message=payload.message
    )
    return Status(
        201, RevisionOut(id=revision.pk, message=revision.message, created_at=revision.created_at)
    )


@router.post(
    "/{int:contract_id}/milestones/{int:milestone_id}/accept",
    response={200: MilestoneOut, **ERRORS},
    summary="Accept the delivery and pay the worker from escrow (client)",
)
def accept(request: HttpRequest, contract_id: int, milestone_id: int) -> Any:
    _, milestone = _party_milestone(request, contract_id, milestone_id)
    services.milestone_accept(milestone=milestone, by=signed_in_user(request))
    return _refreshed(milestone)


@router.post(
    "/{int:contract_id}/milestones/{int:milestone_id}/disputes",
    response={201: DisputeOut, **ERRORS},
    summary="Open a dispute on a funded milestone",
)
def open_dispute(
    request: HttpRequest, contract_id: int, milestone_id: int, payload: ReasonIn
) -> Any:
    _, milestone = _party_milestone(request, contract_id, milestone_id)
    dispute: Dispute = services.dispute_open(
        milestone=milestone, by=signed_in_user(request), reason=payload.reason
    )
    return Status(
        201,
        DisputeOut(
            id=dispute.pk,
            milestone_id=dispute.milestone_id,
            status=dispute.status,
            reason=dispute.reason,
            created_at=dispute.created_at,
        ),
    )
