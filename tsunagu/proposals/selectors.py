"""Reads of proposals, interviews and response times, in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.accounts.selectors import verified_levels_for
from tsunagu.contracts.models import Contract
from tsunagu.jobs.models import Job, JobStatus
from tsunagu.messaging.models import Room, RoomKind, RoomMember
from tsunagu.profiles.models import Profile
from tsunagu.profiles.selectors import Badge, badges_from, default_schedule, schedule_of, zone_of
from tsunagu.profiles.timezones import Schedule
from tsunagu.proposals import ics, slots
from tsunagu.proposals.errors import ProposalError
from tsunagu.proposals.models import (
    Interview,
    InterviewSlot,
    InterviewStatus,
    Proposal,
    ProposalStatus,
    ResponseTime,
)

# --- response time --------------------------------------------------------------------------


def response_times_for(*, user_ids: list[int]) -> dict[int, int | None]:
    """Median first-reply seconds per user id (missing: no replies measured yet); one query."""
    if not user_ids:
        return {}
    return dict(
        ResponseTime.objects.filter(user_id__in=set(user_ids)).values_list(
            "user_id", "median_seconds"
        )
    )


def badges_for(*, user_id: int) -> list[Badge]:
    return badges_from(verified_levels_for(user_ids=[user_id]).get(user_id, set()))


def response_time_for(*, user_id: int) -> int | None:
    return response_times_for(user_ids=[user_id]).get(user_id)


# --- proposals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalRow:
    proposal: Proposal
    profile: Profile | None
    badges: list[Badge]
    response_seconds: int | None
    open_interview: Interview | None


_STATUS_ORDER = Case(
    When(status=ProposalStatus.SHORTLISTED, then=Value(0)),
    When(status=ProposalStatus.SUBMITTED, then=Value(1)),
    When(status=ProposalStatus.OFFERED, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def _interviews_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "interviews",
        queryset=Interview.objects.select_related("booked_slot").order_by("-created_at", "-id"),
    )


def proposals_for_job(*, job: Job) -> list[ProposalRow]:
    """The proposals on a job for its client: shortlisted first, with each worker's profile,
    verification badges and response time. Four queries whatever the number of proposals."""
    proposals = list(
        Proposal.objects.filter(job=job)
        .select_related("worker__profile")
        .prefetch_related(_interviews_prefetch())
        .annotate(status_order=_STATUS_ORDER)
        .order_by("status_order", "created_at", "id")
    )
    for p in proposals:
        p.job = job  # the same row for every proposal: no query per row
    ids = [p.worker_id for p in proposals]
    levels = verified_levels_for(user_ids=ids)
    times = response_times_for(user_ids=ids)
    return [
        ProposalRow(
            proposal=p,
            profile=getattr(p.worker, "profile", None),
            badges=badges_from(levels.get(p.worker_id, set())),
            response_seconds=times.get(p.worker_id),
            open_interview=next(iter(p.interviews.all()), None),
        )
        for p in proposals
    ]


def proposals_of_worker(*, worker: User) -> list[ProposalRow]:
    """A worker's own proposals, newest first, with each job's client; constant queries."""
    proposals = list(
        Proposal.objects.filter(worker=worker)
        .select_related("job", "job__client__profile", "contract")
        .prefetch_related(_interviews_prefetch())
        .order_by("-created_at", "-id")
    )
    times = response_times_for(user_ids=[p.job.client_id for p in proposals])
    return [
        ProposalRow(
            proposal=p,
            profile=getattr(p.job.client, "profile", None),
            badges=[],
            response_seconds=times.get(p.job.client_id),
            open_interview=next(iter(p.interviews.all()), None),
        )
        for p in proposals
    ]


def proposal_for_viewer(*, pk: int, viewer: Any) -> Proposal:
    """A proposal seen by its worker or the job's client; Http404 for anyone else."""
    uid = getattr(viewer, "pk", None)
    proposal = (
        Proposal.objects.filter(pk=pk)
        .filter(Q(worker_id=uid) | Q(job__client_id=uid))
        .select_related("job", "job__category", "job__client__profile", "worker__profile")
        .prefetch_related(_interviews_prefetch())
        .first()
    )
    if uid is None or proposal is None:
        raise Http404
    return proposal


def proposal_of(*, job: Job, worker: Any) -> Proposal | None:
    if not getattr(worker, "is_authenticated", False):
        return None
    return Proposal.objects.filter(job=job, worker=worker).first()


def proposal_count(*, job: Job) -> int:
    return Proposal.objects.filter(job=job).count()


def open_jobs_of(*, client: Any) -> list[Job]:
    if not getattr(client, "is_authenticated", False):
        return []
    return list(
        Job.objects.filter(client=client, status=JobStatus.OPEN).order_by("-published_at", "-id")
    )


def day_start(user: User, now: datetime.datetime | None = None) -> datetime.datetime:
    """Midnight today on ``user``'s own calendar: daily limits follow their day."""
    zone = zone_of(user.time_zone)
    local = (now or timezone.now()).astimezone(zone)
    return datetime.datetime.combine(local.date(), datetime.time(0), tzinfo=zone)


def proposals_sent_today(*, worker: User) -> int:
    return Proposal.objects.filter(worker=worker, created_at__gte=day_start(worker)).count()


# --- interviews -----------------------------------------------------------------------------


def schedule_for(user: User) -> Schedule:
    """When ``user`` works, in their own zone (9:00–18:00 on weekdays when unknown)."""
    profile = Profile.objects.filter(user=user).select_related("user").first()
    zone = zone_of(user.time_zone)
    return schedule_of(profile, zone=zone) if profile is not None else default_schedule(zone)


def _other_of(viewer: User, first: User, second: User) -> User:
    if viewer.pk == first.pk:
        return second
    if viewer.pk == second.pk:
        return first
    raise ProposalError.refuse("not_a_party")


def interview_other_party(
    *,
    viewer: User,
    interview: Interview | None = None,
    proposal: Proposal | None = None,
    room: Room | None = None,
    contract: Contract | None = None,
) -> User:
    """The person ``viewer`` has (or would have) an interview with, about exactly one subject.

    An interview is between its inviter and invitee, a proposal between the worker and the
    job's client, a contract between its client and worker. A room qualifies only when it is an
    inquiry or contract room with exactly two current members, the viewer being one of them (a
    group room, a removed member or a third person does not). Anyone else is refused with
    ``not_a_party``; the service refuses with this same rule, under its lock.
    """
    if sum(x is not None for x in (interview, proposal, room, contract)) != 1:
        raise ValueError("give exactly one of interview, proposal, room, contract")
    if interview is not None:
        return _other_of(viewer, interview.inviter, interview.invitee)
    if proposal is not None:
        return _other_of(viewer, proposal.job.client, proposal.worker)
    if contract is not None:
        return _other_of(viewer, contract.client, contract.worker)
    assert room is not None
    if room.kind not in (RoomKind.INQUIRY, RoomKind.CONTRACT):
        raise ProposalError.refuse("not_a_party")
    members = [
        m.user
        for m in RoomMember.objects.filter(room=room, removed_at__isnull=True).select_related(
            "user"
        )
    ]
    if len(members) != 2:
        raise ProposalError.refuse("not_a_party")
    return _other_of(viewer, members[0], members[1])


@dataclass(frozen=True)
class InterviewSubject:
    """What an interview is about (one of a proposal, a room, a contract) and who it is with."""

    other: User
    proposal: Proposal | None = None
    room: Room | None = None
    contract: Contract | None = None


def interview_subject(
    *,
    viewer: User,
    proposal_id: int | None = None,
    room_id: int | None = None,
    contract_id: int | None = None,
) -> InterviewSubject:
    """The proposal, room or contract an interview would be about, seen by ``viewer``.

    Http404 when the viewer may not see it at all; ``not_a_party`` (from
    :func:`interview_other_party`) when they see it but may not arrange an interview there.
    """
    if proposal_id is not None:
        proposal = proposal_for_viewer(pk=proposal_id, viewer=viewer)
        return InterviewSubject(
            other=interview_other_party(viewer=viewer, proposal=proposal), proposal=proposal
        )
    if room_id is not None:
        room = get_object_or_404(Room, pk=room_id, members__user=viewer)
        return InterviewSubject(other=interview_other_party(viewer=viewer, room=room), room=room)
    if contract_id is not None:
        contract = (
            Contract.objects.filter(pk=contract_id)
            .filter(Q(client_id=viewer.pk) | Q(worker_id=viewer.pk))
            .select_related("client", "worker")
            .first()
        )
        if contract is None:
            raise Http404
        return InterviewSubject(
            other=interview_other_party(viewer=viewer, contract=contract), contract=contract
        )
    raise Http404


def interview_for_viewer(*, pk: int, viewer: Any) -> Interview:
    uid = getattr(viewer, "pk", None)
    interview = (
        Interview.objects.filter(pk=pk)
        .filter(Q(inviter_id=uid) | Q(invitee_id=uid))
        .select_related("inviter__profile", "invitee__profile", "room", "booked_slot", "proposal")
        .prefetch_related(Prefetch("slots", queryset=InterviewSlot.objects.order_by("starts_at")))
        .first()
    )
    if uid is None or interview is None:
        raise Http404
    return interview


@dataclass(frozen=True)
class SlotView:
    """One time, as the viewer reads it and as the other person does."""

    starts_at: datetime.datetime  # UTC
    mine: datetime.datetime
    theirs: datetime.datetime
    in_overlap: bool
    slot: InterviewSlot | None = None

    @property
    def value(self) -> str:
        return self.starts_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%MZ")

    @property
    def past(self) -> bool:
        return self.starts_at <= timezone.now()


def slot_views(*, interview: Interview, viewer: User) -> list[SlotView]:
    other = interview_other_party(viewer=viewer, interview=interview)
    mine, theirs = zone_of(viewer.time_zone), zone_of(other.time_zone)
    return [
        SlotView(
            starts_at=s.starts_at,
            mine=s.starts_at.astimezone(mine),
            theirs=s.starts_at.astimezone(theirs),
            in_overlap=s.in_overlap,
            slot=s,
        )
        for s in interview.slots.all()
    ]


def suggested_slots(
    *, viewer: User, other: User, duration_minutes: int = 60, now: datetime.datetime | None = None
) -> list[SlotView]:
    """Times in the overlap of both people's working hours over the next 14 days."""
    now = now or timezone.now()
    mine_zone, their_zone = zone_of(viewer.time_zone), zone_of(other.time_zone)
    found = slots.suggest(
        schedule_for(viewer),
        schedule_for(other),
        now=now,
        duration=datetime.timedelta(minutes=duration_minutes),
    )
    return [
        SlotView(
            starts_at=s,
            mine=s.astimezone(mine_zone),
            theirs=s.astimezone(their_zone),
            in_overlap=True,
        )
        for s in found
    ]


def interview_calendar(*, interview: Interview, room_url: str) -> str:
    """The booked interview as an iCalendar file, linking to the conversation room."""
    from django.utils.translation import gettext as _

    slot = interview.booked_slot
    if interview.status != InterviewStatus.BOOKED or slot is None:
        raise Http404
    return ics.event_calendar(
        uid=f"{interview.uid}@tsunagu",
        stamp=interview.booked_at or timezone.now(),
        start=slot.starts_at,
        end=slot.ends_at,
        summary=interview.title,
        description=_("Talk in the room on Tsunagu: %(url)s") % {"url": room_url},
        url=room_url,
    )


def open_interview_in(*, room_id: int) -> Interview | None:
    return Interview.objects.filter(room_id=room_id, status=InterviewStatus.PROPOSED).first()


def interviews_of(*, user: User) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(Q(inviter=user) | Q(invitee=user))
        .select_related("inviter__profile", "invitee__profile", "booked_slot")
        .order_by("-created_at", "-id")
    )
