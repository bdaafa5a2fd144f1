"""Writes of proposals and scouts, one transaction each.

Decisions (submit, shortlist, decline, withdraw, offer, scout) are audited in the same
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
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.audit.services import audit_record
from tsunagu.contracts.models import Contract
from tsunagu.contracts.services import MilestoneInput, contract_offer, contract_parties_lock
from tsunagu.jobs.models import Job, JobInvitation, JobKind, JobStatus
from tsunagu.jobs.selectors import jobs_visible_to
from tsunagu.jobs.services import job_invite
from tsunagu.messaging.models import Room
from tsunagu.messaging.services import room_open_inquiry
from tsunagu.notifications.services import notify
from tsunagu.profiles.models import Profile
from tsunagu.profiles.selectors import zone_of
from tsunagu.proposals.errors import ProposalError
from tsunagu.proposals.models import (
    ACTIVE,
    MAX_PRICE,
    MAX_PROPOSED_MILESTONES,
    TRANSITIONS,
    DeclineReason,
    Proposal,
    ProposalStatus,
)
from tsunagu.proposals.selectors import day_start

DEFAULT_DAILY_PROPOSALS = 20
DEFAULT_DAILY_SCOUTS = 30


def daily_proposal_limit() -> int:
    return int(getattr(settings, "PROPOSALS_PER_DAY", DEFAULT_DAILY_PROPOSALS))


def daily_scout_limit() -> int:
    return int(getattr(settings, "SCOUTS_PER_DAY", DEFAULT_DAILY_SCOUTS))


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
        # the accounts before the proposal, as closing an account takes them
        contract_parties_lock(client_id=by.pk, worker_id=proposal.worker_id)
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
            # an hourly job's weekly cap is the estimate the worker weighs against their capacity
            weekly_hours=job.weekly_hours_cap if job.kind == JobKind.HOURLY else None,
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
