"""/api/v1/proposals: proposals, scouts and interviews, over the same services as the pages.

Only the worker and the job's client reach a proposal, only the two people an interview
(404 for anyone else). A refusal of the domain answers with its stable code: 403 when the
caller is the wrong person, 409 when the state does not allow it (``already_proposed``,
``already_booked``), 429 for the daily limits; bad values answer 422 with their fields.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tsunagu.accounts.models import User
from tsunagu.accounts.request import signed_in_user
from tsunagu.api.errors import ApiError
from tsunagu.api.schemas import ErrorOut, StrictSchema
from tsunagu.contracts.services import MilestoneInput
from tsunagu.core.fields import BigInt, Day, Id, Int, Line, Moment, Text
from tsunagu.jobs import selectors as job_selectors
from tsunagu.jobs.models import Job
from tsunagu.profiles.models import Profile
from tsunagu.proposals import selectors, services
from tsunagu.proposals.errors import ProposalError
from tsunagu.proposals.models import Interview, InterviewStatus, Proposal

router = Router(tags=["proposals"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 409, 422, 429): ErrorOut}


# --- schemas --------------------------------------------------------------------------------


class MilestoneIn(StrictSchema):
    title: Line = Field(max_length=120)
    amount: BigInt = Field(description="Yen, tax excluded.")
    due_date: Day | None = None


class ProposalIn(StrictSchema):
    job_id: Id
    cover_letter: Text = Field(max_length=5000)
    price: BigInt = Field(description="Yen, tax excluded.")
    schedule: Text = Field("", max_length=500)
    delivery_date: Day | None = None
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=5)


class DeclineIn(StrictSchema):
    reason: Line = Field(description="budget, skills, schedule, filled or other (needs a note).")
    note: Text = Field("", max_length=500)


class OfferMilestoneIn(StrictSchema):
    title: Line
    amount: BigInt
    due_date: Day


class ProposalOfferIn(StrictSchema):
    title: Line
    description: Text
    deliverables: Text
    milestones: list[OfferMilestoneIn]
    payment_due: Day
    inspection_days: Int = 7
    revision_limit: Int = 2


class MilestoneOut(Schema):
    title: str
    amount: int
    due_date: datetime.date | None


class ProposalOut(Schema):
    id: int
    job_id: int
    job_title: str
    worker_id: int
    worker_name: str
    worker_verified: list[str]
    worker_response_seconds: int | None = Field(
        description="Median first-reply time over 90 days; null until measured."
    )
    cover_letter: str
    price: int
    schedule: str
    delivery_date: datetime.date | None
    milestones: list[MilestoneOut]
    status: str
    decline_reason: str
    decline_note: str
    contract_id: int | None
    created_at: datetime.datetime


class ProposalListOut(Schema):
    items: list[ProposalOut]
    count: int


class ScoutIn(StrictSchema):
    job_id: Id
    worker_profile_id: Id


class ScoutOut(Schema):
    job_id: int
    worker_id: int
    invited_at: datetime.datetime


class InterviewIn(StrictSchema):
    proposal_id: Id | None = None
    room_id: Id | None = None
    contract_id: Id | None = None
    starts: list[Moment] = Field(
        description="3 to 5 start times with a time zone offset.", max_length=5
    )
    duration_minutes: Int = 60


class SlotOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    in_overlap: bool


class InterviewOut(Schema):
    id: int
    title: str
    inviter_id: int
    invitee_id: int
    room_id: int
    proposal_id: int | None
    duration_minutes: int
    status: str
    slots: list[SlotOut]
    booked_slot_id: int | None
    ics_url: str | None


class BookIn(StrictSchema):
    slot_id: Id


class SuggestionOut(Schema):
    starts_at: datetime.datetime


def _proposal_out(row: selectors.ProposalRow) -> ProposalOut:
    p = row.proposal
    return ProposalOut(
        id=p.pk,
        job_id=p.job_id,
        job_title=p.job.title,
        worker_id=p.worker_id,
        worker_name=p.worker.profile.display_name,
        worker_verified=[b.code for b in row.badges],
        worker_response_seconds=row.response_seconds,
        cover_letter=p.cover_letter,
        price=p.price,
        schedule=p.schedule,
        delivery_date=p.delivery_date,
        milestones=[
            MilestoneOut(
                title=m["title"],
                amount=m["amount"],
                due_date=datetime.date.fromisoformat(m["due_date"]) if m.get("due_date") else None,
            )
            for m in p.milestones or []
        ],
        status=p.status,
        decline_reason=p.decline_reason,
        decline_note=p.decline_note,
        contract_id=p.contract_id,
        created_at=p.created_at,
    )


def _one(proposal: Proposal, viewer: User) -> ProposalOut:
    p = selectors.proposal_for_viewer(pk=proposal.pk, viewer=viewer)
    return _proposal_out(
        selectors.ProposalRow(
            proposal=p,
            profile=None,
            badges=selectors.badges_for(user_id=p.worker_id),
            response_seconds=selectors.response_time_for(user_id=p.worker_id),
            open_interview=None,
        )
    )


def _interview_out(interview: Interview, request: HttpRequest) -> InterviewOut:
    booked = interview.status == InterviewStatus.BOOKED
    return InterviewOut(
        id=interview.pk,
        title=interview.title,
        inviter_id=interview.inviter_id,
        invitee_id=interview.invitee_id,
        room_id=interview.room_id,
        proposal_id=interview.proposal_id,
        duration_minutes=interview.duration_minutes,
        status=interview.status,
        slots=[
            SlotOut(id=s.pk, starts_at=s.starts_at, ends_at=s.ends_at, in_overlap=s.in_overlap)
            for s in interview.slots.all()
        ],
        booked_slot_id=interview.booked_slot_id,
        ics_url=reverse("api-v1:proposal_interview_ics", args=[interview.pk]) if booked else None,
    )


# --- proposals ------------------------------------------------------------------------------


@router.post("", response={201: ProposalOut, **ERRORS}, summary="Send a proposal for a job")
def create_proposal(request: HttpRequest, payload: ProposalIn) -> Any:
    user = signed_in_user(request)
    job = job_selectors.job_get_for_viewer(pk=payload.job_id, viewer=user)
    proposal = services.proposal_submit(
        worker=user,
        job=job,
        cover_letter=payload.cover_letter,
        price=payload.price,
        schedule=payload.schedule,
        delivery_date=payload.delivery_date,
        milestones=[
            services.ProposedMilestone(title=m.title, amount=m.amount, due_date=m.due_date)
            for m in payload.milestones
        ],
    )
    return Status(201, _one(proposal, user))


@router.get("/mine", response={200: ProposalListOut, **ERRORS}, summary="My proposals")
def my_proposals(request: HttpRequest) -> Any:
    rows = selectors.proposals_of_worker(worker=signed_in_user(request))
    rows = [
        selectors.ProposalRow(
            proposal=r.proposal,
            profile=None,
            badges=[],
            response_seconds=None,
            open_interview=None,
        )
        for r in rows
    ]
    items = [_proposal_out(r) for r in rows]
    return ProposalListOut(items=items, count=len(items))


@router.get(
    "/jobs/{int:job_id}",
    response={200: ProposalListOut, **ERRORS},
    summary="Proposals on one of my jobs",
)
def job_proposals(request: HttpRequest, job_id: int) -> Any:
    job = job_selectors.job_for_client(pk=job_id, client=signed_in_user(request))
    items = [_proposal_out(r) for r in selectors.proposals_for_job(job=job)]
    return ProposalListOut(items=items, count=len(items))


@router.get("/{int:proposal_id}", response={200: ProposalOut, **ERRORS}, summary="A proposal")
def get_proposal(request: HttpRequest, proposal_id: int) -> Any:
    user = signed_in_user(request)
    return _one(selectors.proposal_for_viewer(pk=proposal_id, viewer=user), user)


def _action(request: HttpRequest, proposal_id: int, action: Any, **kwargs: Any) -> ProposalOut:
    user = signed_in_user(request)
    proposal = selectors.proposal_for_viewer(pk=proposal_id, viewer=user)
    action(proposal=proposal, by=user, **kwargs)
    return _one(proposal, user)


@router.post(
    "/{int:proposal_id}/shortlist",
    response={200: ProposalOut, **ERRORS},
    summary="Shortlist (client)",
)
def shortlist(request: HttpRequest, proposal_id: int) -> Any:
    return _action(request, proposal_id, services.proposal_shortlist)


@router.post(
    "/{int:proposal_id}/decline",
    response={200: ProposalOut, **ERRORS},
    summary="Decline with a reason (client)",
)
def decline(request: HttpRequest, proposal_id: int, payload: DeclineIn) -> Any:
    return _action(
        request, proposal_id, services.proposal_decline, reason=payload.reason, note=payload.note
    )


@router.post(
    "/{int:proposal_id}/withdraw",
    response={200: ProposalOut, **ERRORS},
    summary="Withdraw (worker)",
)
def withdraw(request: HttpRequest, proposal_id: int) -> Any:
    return _action(request, proposal_id, services.proposal_withdraw)


@router.post(
    "/{int:proposal_id}/offer",
    response={201: ProposalOut, **ERRORS},
    summary="Send an offer from the proposal (client); the contract is created offered",
)
def offer(request: HttpRequest, proposal_id: int, payload: ProposalOfferIn) -> Any:
    user = signed_in_user(request)
    proposal = selectors.proposal_for_viewer(pk=proposal_id, viewer=user)
    services.proposal_offer(
        proposal=proposal,
        by=user,
        title=payload.title,
        description=payload.description,
        deliverables=payload.deliverables,
        milestones=[
            MilestoneInput(title=m.title, amount=m.amount, due_date=m.due_date)
            for m in payload.milestones
        ],
        payment_due=payload.payment_due,
        inspection_days=payload.inspection_days,
        revision_limit=payload.revision_limit,
    )
    return Status(201, _one(proposal, user))


# --- scouts ---------------------------------------------------------------------------------


@router.post("/scouts", response={201: ScoutOut, **ERRORS}, summary="Invite a worker to my job")
def scout(request: HttpRequest, payload: ScoutIn) -> Any:
    user = signed_in_user(request)
    job = Job.objects.filter(pk=payload.job_id, client=user).first()
    if job is None:
        raise Http404
    profile = get_object_or_404(
        Profile.objects.select_related("user"), pk=payload.worker_profile_id
    )
    invitation = services.scout_send(client=user, job=job, worker=profile.user)
    return Status(
        201,
        ScoutOut(job_id=job.pk, worker_id=profile.user_id, invited_at=invitation.invited_at),
    )


# --- interviews -----------------------------------------------------------------------------


@router.get(
    "/interviews/suggestions",
    response={200: list[SuggestionOut], **ERRORS},
    summary="Times in both people's working hours over the next 14 days",
)
def suggestions(request: HttpRequest, with_user_id: Id, duration_minutes: Int = 60) -> Any:
    user = signed_in_user(request)
    if duration_minutes not in services.DURATIONS:
        raise ApiError(
            "invalid",
            _("Choose a length of 30, 45, 60 or 90 minutes."),
            status=422,
            field="duration_minutes",
        )
    other = get_object_or_404(User, pk=with_user_id, is_active=True)
    found = selectors.suggested_slots(viewer=user, other=other, duration_minutes=duration_minutes)
    return [SuggestionOut(starts_at=s.starts_at) for s in found]


@router.post(
    "/interviews", response={201: InterviewOut, **ERRORS}, summary="Propose interview times"
)
def propose_interview(request: HttpRequest, payload: InterviewIn) -> Any:
    user = signed_in_user(request)
    given = [payload.proposal_id, payload.room_id, payload.contract_id]
    if sum(x is not None for x in given) != 1:
        raise ApiError(
            "invalid",
            _("Give exactly one of proposal_id, room_id or contract_id."),
            status=422,
            field="proposal_id",
        )
    if any(s.tzinfo is None for s in payload.starts):
        raise ApiError(
            "invalid", _("Give each time with its time zone offset."), status=422, field="starts"
        )
    subject = selectors.interview_subject(
        viewer=user,
        proposal_id=payload.proposal_id,
        room_id=payload.room_id,
        contract_id=payload.contract_id,
    )
    interview = services.interview_propose(
        by=user,
        starts=payload.starts,
        duration_minutes=payload.duration_minutes,
        proposal=subject.proposal,
        room=subject.room,
        contract=subject.contract,
    )
    return Status(
        201, _interview_out(selectors.interview_for_viewer(pk=interview.pk, viewer=user), request)
    )


@router.get(
    "/interviews/{int:interview_id}", response={200: InterviewOut, **ERRORS}, summary="An interview"
)
def get_interview(request: HttpRequest, interview_id: int) -> Any:
    interview = selectors.interview_for_viewer(pk=interview_id, viewer=signed_in_user(request))
    return _interview_out(interview, request)


@router.post(
    "/interviews/{int:interview_id}/book",
    response={200: InterviewOut, **ERRORS},
    summary="Book one proposed time (the invited person)",
)
def book_interview(request: HttpRequest, interview_id: int, payload: BookIn) -> Any:
    user = signed_in_user(request)
    interview = selectors.interview_for_viewer(pk=interview_id, viewer=user)
    services.interview_book(interview=interview, slot_id=payload.slot_id, by=user)
    return _interview_out(selectors.interview_for_viewer(pk=interview_id, viewer=user), request)


@router.get(
    "/interviews/{int:interview_id}/ics",
    response={200: None, **ERRORS},
    url_name="proposal_interview_ics",
    summary="The booked interview as an iCalendar file",
)
def interview_ics(request: HttpRequest, interview_id: int) -> Any:
    interview = selectors.interview_for_viewer(pk=interview_id, viewer=signed_in_user(request))
    if interview.status != InterviewStatus.BOOKED:
        raise ProposalError.refuse("not_booked")
    room_url = request.build_absolute_uri(reverse("messaging:room", args=[interview.room_id]))
    body = selectors.interview_calendar(interview=interview, room_url=room_url)
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    return response
