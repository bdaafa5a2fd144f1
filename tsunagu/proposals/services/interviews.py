"""Interviews: one person proposes 3–5 times, the other books one; reminders before it starts.

Each write is one transaction. Who the interview is with comes from
:func:`tsunagu.proposals.selectors.interview_other_party`, the same rule the pages and the API
use to show it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.audit.services import audit_record
from tsunagu.contracts.models import Contract
from tsunagu.messaging.models import Room
from tsunagu.messaging.services import room_for_contract
from tsunagu.notifications.services import notify
from tsunagu.profiles.selectors import zone_of
from tsunagu.proposals import slots
from tsunagu.proposals.errors import ProposalError
from tsunagu.proposals.models import (
    Interview,
    InterviewSlot,
    InterviewStatus,
    Proposal,
    ProposalStatus,
)
from tsunagu.proposals.selectors import interview_other_party, schedule_for
from tsunagu.proposals.services.proposals import (
    _client_responded,
    _display_name,
    _lock_proposal,
    _proposal_room,
)

MIN_SLOTS, MAX_SLOTS = 3, 5
DURATIONS = (30, 45, 60, 90)
REMINDER_LEAD = datetime.timedelta(hours=1)


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
            interview_other_party(viewer=by, proposal=locked)
            if locked.status in (ProposalStatus.WITHDRAWN, ProposalStatus.DECLINED):
                raise ProposalError.refuse("wrong_state")
            room = _proposal_room(locked, by=by)
            title = _("Interview: %(job)s") % {"job": locked.job.title}
            if by.pk == locked.job.client_id and locked.client_responded_at is None:
                _client_responded(locked, now)
                locked.save(update_fields=["client_responded_at", "updated_at"])
        elif contract is not None:
            interview_other_party(viewer=by, contract=contract)
            room = room_for_contract(contract=contract)
            title = _("Interview: %(job)s") % {"job": contract.title}
        assert room is not None
        room = Room.objects.select_for_update().get(pk=room.pk)
        other = interview_other_party(viewer=by, room=room)
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
