"""Writes of proposals, scouts, interviews and response times, one transaction each.

Decisions (submit, shortlist, decline, withdraw, offer, scout, book) are audited in the same
transaction; notifications are recorded with the change and e-mailed after it commits. A
person's sends are serialised on their user row, so the daily counts cannot be overrun by two
requests at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.audit.services import audit_record
from tsunagu.contracts.models import Contract
from tsunagu.contracts.services import MilestoneInput, contract_offer
from tsunagu.jobs.models import Job, JobInvitation, JobStatus
from tsunagu.jobs.selectors import jobs_visible_to
from tsunagu.jobs.services import job_invite
from tsunagu.messaging.models import EntryKind, Message, Room, RoomKind, RoomMember
from tsunagu.messaging.services import room_for_contract, room_open_inquiry
from tsunagu.notifications.services import notify
from tsunagu.profiles.models import Profile
from tsunagu.profiles.selectors import default_schedule, schedule_of, zone_of
from tsunagu.profiles.timezones import Schedule
from tsunagu.proposals import response, slots
from tsunagu.proposals.errors import ProposalError
from tsunagu.proposals.models import (
    ACTIVE,
    MAX_PRICE,
    MAX_PROPOSED_MILESTONES,
    TRANSITIONS,
    DeclineReason,
    Interview,
    InterviewSlot,
    InterviewStatus,
    Proposal,
    ProposalStatus,
    ResponseTime,
)

DEFAULT_DAILY_PROPOSALS = 20
DEFAULT_DAILY_SCOUTS = 30
MIN_SLOTS, MAX_SLOTS = 3, 5
DURATIONS = (30, 45, 60, 90)
REMINDER_LEAD = datetime.timedelta(hours=1)
RESPONSE_WINDOW = datetime.timedelta(days=90)
RESPONSE_REFRESH_EVERY = datetime.timedelta(hours=1)


def daily_proposal_limit() -> int:
    return int(getattr(settings, "PROPOSALS_PER_DAY", DEFAULT_DAILY_PROPOSALS))


def daily_scout_limit() -> int:
    return int(getattr(settings, "SCOUTS_PER_DAY", DEFAULT_DAILY_SCOUTS))


def day_start(user: User, now: datetime.datetime | None = None) -> datetime.datetime:
    """Midnight today on ``user``'s own calendar: daily limits follow their day."""
    zone = zone_of(user.time_zone)
    local = (now or timezone.now()).astimezone(zone)
    return datetime.datetime.combine(local.date(), datetime.time(0), tzinfo=zone)


def _lock_user(user: User) -> None:
    User.objects.select_for_update().only("pk").get(pk=user.pk)


# --- proposals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposedMilestone:
    title: str
    amount: int
    due_date: datetime.date | None = None


def _proposal_errors(
    *,
    cover_letter: str,
    price: Any,
    schedule: str,
    delivery_date: datetime.date | None,
    milestones: Sequence[ProposedMilestone],
    today: datetime.date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not cover_letter.strip():
        add("cover_letter", _("Write a cover letter: what you will do and why you fit."))
    elif len(cover_letter) > 5000:
        add("cover_letter", _("The cover letter can be at most 5,000 characters."))
    if isinstance(price, bool) or not isinstance(price, int) or not 1 <= price <= MAX_PRICE:
        add("price", _("Enter a price between 1 and 100,000,000 yen."))
    if len(schedule) > 500:
        add("schedule", _("The schedule can be at most 500 characters."))
    if delivery_date is not None and delivery_date < today:
        add("delivery_date", _("The delivery date is in the past."))
    if len(milestones) > MAX_PROPOSED_MILESTONES:
        add("milestones", _("Propose at most 5 milestones."))
    for item in milestones:
        if not item.title.strip() or len(item.title) > 120:
            add("milestones", _("Each milestone needs a title of at most 120 characters."))
        if isinstance(item.amount, bool) or not isinstance(item.amount, int) or item.amount < 1:
            add("milestones", _("Each milestone's amount must be a whole number of yen above 0."))
        if item.due_date is not None and item.due_date < today:
            add("milestones", _("A milestone's date cannot be in the past."))
    if (
        milestones
        and "milestones" not in errors
        and "price" not in errors
        and sum(m.amount for m in milestones) != price
    ):
        add("milestones", _("The milestones must add up to the price."))
    return errors


def proposal_submit(
    *,
    worker: User,
    job: Job,
    cover_letter: str,
    price: int,
    schedule: str = "",
    delivery_date: datetime.date | None = None,
    milestones: Sequence[ProposedMilestone] = (),
    now: datetime.datetime | None = None,
) -> Proposal:
    """A worker proposes for an open job they may see; once per job, within the daily limit."""
    now = now or timezone.now()
    if worker.pk == job.client_id:
        raise ProposalError.refuse("own_job")
    with transaction.atomic():
        _lock_user(worker)
        if not jobs_visible_to(viewer=worker).filter(pk=job.pk, status=JobStatus.OPEN).exists():
            raise ProposalError.refuse("job_not_open")
        if Proposal.objects.filter(job=job, worker=worker).exists():
            raise ProposalError.refuse("already_proposed")
        sent_today = Proposal.objects.filter(
            worker=worker, created_at__gte=day_start(worker, now)
        ).count()
        if sent_today >= daily_proposal_limit():
            raise ProposalError.refuse("daily_proposals")
        errors = _proposal_errors(
            cover_letter=cover_letter,
            price=price,
            schedule=schedule,
            delivery_date=delivery_date,
            milestones=milestones,
            today=now.astimezone(zone_of(worker.time_zone)).date(),
        )
        if errors:
            raise ValidationError(errors)
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    job=job,
                    worker=worker,
                    cover_letter=cover_letter.strip(),
                    price=price,
                    schedule=schedule.strip(),
                    delivery_date=delivery_date,
                    milestones=[
                        {
                            "title": m.title.strip(),
                            "amount": m.amount,
                            "due_date": m.due_date.isoformat() if m.due_date else None,
                        }
                        for m in milestones
                    ],
                )
        except IntegrityError as exc:  # the same worker's other request won the race
            raise ProposalError.refuse("already_proposed") from exc
        audit_record(
            actor=worker,
            subject=proposal,
            event="proposal.submitted",
            after={"job": job.pk, "price": price, "milestones": len(milestones)},
        )
        name = _display_name(worker)
        notify(
            user=job.client,
            kind="proposal.submitted",
            message=lambda: (
                _("%(name)s sent a proposal for %(job)s.") % {"name": name, "job": job.title}
            ),
            url=reverse("proposals:detail", args=[proposal.pk]),
        )
    return proposal


def _display_name(user: User) -> str:
    profile = Profile.objects.filter(user=user).only("display_name").first()
    return profile.display_name if profile else user.email.split("@")[0]


def _lock_proposal(pk: int) -> Proposal:
    return Proposal.objects.select_for_update().select_related("job", "worker").get(pk=pk)


def _move(proposal: Proposal, to: str, *, by: User, extra: dict[str, Any] | None = None) -> None:
    if to not in TRANSITIONS[proposal.status]:
        raise ProposalError.refuse("wrong_state")
    before = proposal.status
    proposal.status = to
    audit_record(
        actor=by,
        subject=proposal,
        event=f"proposal.{to}",
        before={"status": before},
        after={"status": to, **(extra or {})},
    )


def _client_responded(proposal: Proposal, now: datetime.datetime | None = None) -> None:
    if proposal.client_responded_at is None:
        proposal.client_responded_at = now or timezone.now()


def proposal_shortlist(*, proposal: Proposal, by: User) -> Proposal:
    with transaction.atomic():
        locked = _lock_proposal(proposal.pk)
        if by.pk != locked.job.client_id:
            raise ProposalError.refuse("not_the_client")
        _move(locked, ProposalStatus.SHORTLISTED, by=by)
        _client_responded(locked)
        locked.save(update_fields=["status", "client_responded_at", "updated_at"])
        job_title = locked.job.title
        notify(
            user=locked.worker,
            kind="proposal.shortlisted",
            message=lambda: _("Your proposal for %(job)s was shortlisted.") % {"job": job_title},
            url=reverse("proposals:detail", args=[locked.pk]),
        )
    return locked


def proposal_decline(*, proposal: Proposal, by: User, reason: str, note: str = "") -> Proposal:
    """Decline with one of the reason templates; "another reason" needs a note."""
    note = note.strip()
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": [_("Choose a reason.")]})
    if reason == DeclineReason.OTHER and not note:
        raise ValidationError({"note": [_("Say briefly why, for the worker.")]})
    if len(note) > 500:
        raise ValidationError({"note": [_("The note can be at most 500 characters.")]})
    with transaction.atomic():
        locked = _lock_proposal(proposal.pk)
        if by.pk != locked.job.client_id:
            raise ProposalError.refuse("not_the_client")
        _move(locked, ProposalStatus.DECLINED, by=by, extra={"reason": reason})
        locked.decline_reason = reason
        locked.decline_note = note
        _client_responded(locked)
        locked.save(
            update_fields=[
                "status",
                "decline_reason",
                "decline_note",
                "client_responded_at",
                "updated_at",
            ]
        )
        job_title = locked.job.title

        def message() -> str:
            text = _("Your proposal for %(job)s was declined: %(reason)s") % {
                "job": job_title,
                "reason": DeclineReason(reason).label,
            }
            return f"{text} — {note}" if note else text

        notify(
            user=locked.worker,
            kind="proposal.declined",
            message=message,
            url=reverse("proposals:detail", args=[locked.pk]),
        )
    return locked


def proposal_withdraw(*, proposal: Proposal, by: User) -> Proposal:
    with transaction.atomic():
        locked = _lock_proposal(proposal.pk)
        if by.pk != locked.worker_id:
            raise ProposalError.refuse("not_the_worker")
        _move(locked, ProposalStatus.WITHDRAWN, by=by)
        locked.save(update_fields=["status", "updated_at"])
        name = _display_name(by)
        job_title = locked.job.title
        notify(
            user=locked.job.client,
            kind="proposal.withdrawn",
            message=lambda: (
                _("%(name)s withdrew the proposal for %(job)s.") % {"name": name, "job": job_title}
            ),
            url=reverse("proposals:job", args=[locked.job_id]),
        )
    return locked


def _proposal_room(proposal: Proposal, *, by: User) -> Room:
    return room_open_inquiry(
        client=proposal.job.client,
        worker=proposal.worker,
        by=by,
        subject_type="job",
        subject_id=str(proposal.job_id),
        title=proposal.job.title,
    )


def proposal_open_inquiry(*, proposal: Proposal, by: User) -> Room:
    """The client's inquiry room with the worker about this job, opened once."""
    with transaction.atomic():
        locked = _lock_proposal(proposal.pk)
        if by.pk != locked.job.client_id:
            raise ProposalError.refuse("not_the_client")
        if locked.status == ProposalStatus.WITHDRAWN:
            raise ProposalError.refuse("wrong_state")
        room = _proposal_room(locked, by=by)
        if locked.client_responded_at is None:
            _client_responded(locked)
            locked.save(update_fields=["client_responded_at", "updated_at"])
    return room


def proposal_offer(
    *,
    proposal: Proposal,
    by: User,
    title: str,
    description: str,
    deliverables: str,
    milestones: Sequence[MilestoneInput],
    payment_due: datetime.date,
    inspection_days: int = 7,
    revision_limit: int = 2,
) -> Contract:
    """Send the worker an offer (written terms) from their proposal: the contract is created
    offered, withholding tax follows the job's category, and the proposal becomes offered."""
    with transaction.atomic():
        locked = _lock_proposal(proposal.pk)
        job = Job.objects.select_related("category", "client").get(pk=locked.job_id)
        if by.pk != job.client_id:
            raise ProposalError.refuse("not_the_client")
        if locked.status not in ACTIVE:
            raise ProposalError.refuse("wrong_state")
        contract = contract_offer(
            client=by,
            worker=locked.worker,
            title=title,
            description=description,
            deliverables=deliverables,
            milestones=milestones,
            payment_due=payment_due,
            inspection_days=inspection_days,
            revision_limit=revision_limit,
            withholding_category=bool(job.category and job.category.withholding_applies),
        )
        _move(locked, ProposalStatus.OFFERED, by=by, extra={"contract": contract.pk})
        locked.contract = contract
        _client_responded(locked)
        locked.save(update_fields=["status", "contract", "client_responded_at", "updated_at"])
    return contract


# --- scouting -------------------------------------------------------------------------------


def scout_send(
    *, client: User, job: Job, worker: User, now: datetime.datetime | None = None
) -> JobInvitation:
    """Invite a worker to one of the client's open jobs (スカウト), within the daily limit."""
    if worker.pk == client.pk:
        raise ProposalError.refuse("self_scout")
    if not Profile.objects.filter(user=worker, is_worker=True, user__is_active=True).exists():
        raise ProposalError.refuse("not_a_worker")
    with transaction.atomic():
        _lock_user(client)
        locked = Job.objects.get(pk=job.pk)
        if locked.client_id != client.pk:
            raise ProposalError.refuse("not_the_client")
        if locked.status != JobStatus.OPEN:
            raise ProposalError.refuse("job_not_open")
        if JobInvitation.objects.filter(job=locked, worker=worker).exists():
            raise ProposalError.refuse("already_invited")
        sent_today = JobInvitation.objects.filter(
            job__client=client, invited_at__gte=day_start(client, now)
        ).count()
        if sent_today >= daily_scout_limit():
            raise ProposalError.refuse("daily_scouts")
        invitation = job_invite(actor=client, job=locked, worker=worker)
        name = _display_name(client)
        notify(
            user=worker,
            kind="proposal.scouted",
            message=lambda: (
                _("%(name)s invited you to the job %(job)s. Send a proposal if it suits you.")
                % {"name": name, "job": locked.title}
            ),
            url=reverse("jobs:detail", args=[locked.pk]),
        )
    return invitation


# --- interviews -----------------------------------------------------------------------------


def schedule_for(user: User) -> Schedule:
    """When ``user`` works, in their own zone (9:00–18:00 on weekdays when unknown)."""
    profile = Profile.objects.filter(user=user).select_related("user").first()
    zone = zone_of(user.time_zone)
    return schedule_of(profile, zone=zone) if profile is not None else default_schedule(zone)


def _room_other(room: Room, by: User) -> User:
    if room.kind not in (RoomKind.INQUIRY, RoomKind.CONTRACT):
        raise ProposalError.refuse("not_a_party")
    members = list(
        RoomMember.objects.filter(room=room, removed_at__isnull=True).select_related("user")
    )
    ids = {m.user_id for m in members}
    if by.pk not in ids or len(ids) != 2:
        raise ProposalError.refuse("not_a_party")
    return next(m.user for m in members if m.user_id != by.pk)


def interview_propose(
    *,
    by: User,
    starts: Sequence[datetime.datetime],
    duration_minutes: int = 60,
    proposal: Proposal | None = None,
    room: Room | None = None,
    contract: Contract | None = None,
    now: datetime.datetime | None = None,
) -> Interview:
    """Propose 3–5 times for a call about a proposal, in an inquiry room or for a contract.

    Times outside the overlap of both people's working hours are allowed (the page warns
    before sending) and are marked so both see it.
    """
    now = now or timezone.now()
    if sum(x is not None for x in (proposal, room, contract)) != 1:
        raise ValueError("give exactly one of proposal, room, contract")
    unique = sorted({s.astimezone(datetime.UTC).replace(second=0, microsecond=0) for s in starts})
    errors: dict[str, list[str]] = {}
    if not MIN_SLOTS <= len(unique) <= MAX_SLOTS:
        errors["slots"] = [_("Propose between 3 and 5 different times.")]
    elif any(s <= now for s in unique):
        errors["slots"] = [_("A proposed time is in the past. Choose later times.")]
    if duration_minutes not in DURATIONS:
        errors["duration_minutes"] = [_("Choose a length of 30, 45, 60 or 90 minutes.")]
    with transaction.atomic():
        title = _("Interview")
        if proposal is not None:
            locked = _lock_proposal(proposal.pk)
            if by.pk not in (locked.job.client_id, locked.worker_id):
                raise ProposalError.refuse("not_a_party")
            if locked.status in (ProposalStatus.WITHDRAWN, ProposalStatus.DECLINED):
                raise ProposalError.refuse("wrong_state")
            room = _proposal_room(locked, by=by)
            title = _("Interview: %(job)s") % {"job": locked.job.title}
            if by.pk == locked.job.client_id and locked.client_responded_at is None:
                _client_responded(locked, now)
                locked.save(update_fields=["client_responded_at", "updated_at"])
        elif contract is not None:
            if by.pk not in (contract.client_id, contract.worker_id):
                raise ProposalError.refuse("not_a_party")
            room = room_for_contract(contract=contract)
            title = _("Interview: %(job)s") % {"job": contract.title}
        assert room is not None
        room = Room.objects.select_for_update().get(pk=room.pk)
        other = _room_other(room, by)
        if proposal is None and contract is None:
            title = _("Interview: %(job)s") % {"job": room.title}
        if Interview.objects.filter(room=room, status=InterviewStatus.PROPOSED).exists():
            raise ProposalError.refuse("interview_open")
        if errors:
            raise ValidationError(errors)
        mine, theirs = schedule_for(by), schedule_for(other)
        duration = datetime.timedelta(minutes=duration_minutes)
        interview = Interview.objects.create(
            inviter=by,
            invitee=other,
            room=room,
            proposal=proposal,
            title=title[:120],
            duration_minutes=duration_minutes,
        )
        InterviewSlot.objects.bulk_create(
            [
                InterviewSlot(
                    interview=interview,
                    starts_at=start,
                    ends_at=start + duration,
                    in_overlap=slots.inside_overlap(mine, theirs, start=start, duration=duration),
                )
                for start in unique
            ]
        )
        name = _display_name(by)
        notify(
            user=other,
            kind="interview.proposed",
            message=lambda: (
                _("%(name)s proposed times for an interview. Choose one.") % {"name": name}
            ),
            url=reverse("proposals:interview", args=[interview.pk]),
        )
    return interview


def _when(user: User, instant: datetime.datetime) -> str:
    """``instant`` as ``user`` reads it: their zone, their language's format."""
    local = instant.astimezone(zone_of(user.time_zone))
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({local.tzinfo})"


def interview_book(
    *, interview: Interview, slot_id: int, by: User, now: datetime.datetime | None = None
) -> Interview:
    """The invitee books one proposed time; the first booking wins, any later one is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Interview.objects.select_for_update()
            .select_related("inviter", "invitee")
            .get(pk=interview.pk)
        )
        if by.pk != locked.invitee_id:
            raise ProposalError.refuse("not_the_invitee")
        if locked.status == InterviewStatus.BOOKED:
            raise ProposalError.refuse("already_booked")
        slot = InterviewSlot.objects.filter(interview=locked, pk=slot_id).first()
        if slot is None:
            raise ValidationError({"slot": [_("This time is not one of the proposed times.")]})
        if slot.starts_at <= now:
            raise ProposalError.refuse("slot_past")
        locked.status = InterviewStatus.BOOKED
        locked.booked_slot = slot
        locked.booked_at = now
        locked.save(update_fields=["status", "booked_slot", "booked_at"])
        audit_record(
            actor=by,
            subject=locked,
            event="interview.booked",
            after={"slot": slot.pk, "starts_at": slot.starts_at.isoformat()},
        )
        url = reverse("proposals:interview", args=[locked.pk])
        for person in (locked.inviter, locked.invitee):
            when = _when(person, slot.starts_at)
            notify(
                user=person,
                kind="interview.booked",
                message=lambda when=when: (  # type: ignore[misc]
                    _("Interview booked for %(when)s. Add it to your calendar.") % {"when": when}
                ),
                url=url,
            )
    return locked


def interview_reminders_send(
    *, now: datetime.datetime | None = None, lead: datetime.timedelta = REMINDER_LEAD
) -> int:
    """Remind both people of each interview starting within ``lead``; once per interview."""
    now = now or timezone.now()
    due = list(
        Interview.objects.filter(
            status=InterviewStatus.BOOKED,
            reminder_sent_at__isnull=True,
            booked_slot__starts_at__gt=now,
            booked_slot__starts_at__lte=now + lead,
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            locked = (
                Interview.objects.select_for_update(of=("self",))
                .select_related("inviter", "invitee", "booked_slot")
                .get(pk=pk)
            )
            if locked.reminder_sent_at is not None or locked.booked_slot is None:
                continue
            locked.reminder_sent_at = now
            locked.save(update_fields=["reminder_sent_at"])
            starts = locked.booked_slot.starts_at
            url = reverse("proposals:interview", args=[locked.pk])
            for person in (locked.inviter, locked.invitee):
                when = _when(person, starts)
                notify(
                    user=person,
                    kind="interview.reminder",
                    message=lambda when=when: (  # type: ignore[misc]
                        _("Reminder: your interview starts at %(when)s.") % {"when": when}
                    ),
                    url=url,
                )
            sent += 1
    return sent


# --- response time --------------------------------------------------------------------------


def response_times_refresh(*, now: datetime.datetime | None = None, force: bool = True) -> int:
    """Recompute everyone's median first-reply time over the last 90 days from inquiry rooms
    (the first message from the other side → the person's first reply) and proposals (the
    proposal → the client's first answer to it). Returns how many people have a value.

    Without ``force`` it does nothing when the table was refreshed within the last hour.
    """
    now = now or timezone.now()
    if not force:
        latest = ResponseTime.objects.order_by("-computed_at").values_list("computed_at", flat=True)
        first = latest.first()
        if first is not None and now - first < RESPONSE_REFRESH_EVERY:
            return 0
    since = now - RESPONSE_WINDOW
    entries: dict[int, list[response.Entry]] = {}
    for room_id, sender_id, at in (
        Message.objects.filter(
            room__kind=RoomKind.INQUIRY, kind=EntryKind.MESSAGE, created_at__gte=since
        )
        .order_by("room_id", "seq")
        .values_list("room_id", "sender_id", "created_at")
    ):
        entries.setdefault(room_id, []).append((sender_id, at))
    members: dict[int, set[int]] = {}
    for room_id, user_id in RoomMember.objects.filter(room_id__in=list(entries)).values_list(
        "room_id", "user_id"
    ):
        members.setdefault(room_id, set()).add(user_id)
    delays = response.delays_by_person(
        (members.get(room_id, set()), rows) for room_id, rows in entries.items()
    )
    for client_id, created, answered in Proposal.objects.filter(
        created_at__gte=since, client_responded_at__isnull=False
    ).values_list("job__client_id", "created_at", "client_responded_at"):
        if answered is not None:
            seconds = max(0.0, (answered - created).total_seconds())
            delays.setdefault(client_id, []).append(seconds)
    with transaction.atomic():
        ResponseTime.objects.exclude(user_id__in=list(delays)).delete()
        existing = {r.user_id: r for r in ResponseTime.objects.select_for_update()}
        new, changed = [], []
        for user_id, values in delays.items():
            median = response.median_seconds(values)
            row = existing.get(user_id)
            if row is None:
                new.append(
                    ResponseTime(
                        user_id=user_id,
                        median_seconds=median,
                        samples=len(values),
                        computed_at=now,
                    )
                )
            else:
                row.median_seconds, row.samples, row.computed_at = median, len(values), now
                changed.append(row)
        ResponseTime.objects.bulk_create(new)
        ResponseTime.objects.bulk_update(
            changed, ["median_seconds", "samples", "computed_at"], batch_size=500
        )
    return len(delays)
