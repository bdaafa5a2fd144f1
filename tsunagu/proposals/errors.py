"""Why a proposal, scout or interview action was refused: a stable code and a message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tsunagu.core.errors import DomainError, ErrorKind


class ProposalError(DomainError):
    messages = {
        "own_job": _("You cannot send a proposal to your own job."),
        "already_proposed": _("You have already sent a proposal for this job."),
        "job_not_open": _("This job is not taking proposals."),
        "daily_proposals": _(
            "You have reached today's limit on proposals. You can send more tomorrow."
        ),
        "daily_scouts": _(
            "You have reached today's limit on invitations. You can send more tomorrow."
        ),
        "not_the_client": _("Only the client of this job can do this."),
        "not_the_worker": _("Only the worker who sent this proposal can do this."),
        "wrong_state": _("This cannot be done at the proposal's current stage."),
        "already_invited": _("This worker is already invited to this job."),
        "self_scout": _("You cannot invite yourself."),
        "not_a_worker": _("This person does not take on work."),
        "not_a_party": _("Only the two people of this conversation can arrange an interview."),
        "not_the_invitee": _("Only the person invited to the interview can book it."),
        "already_booked": _("A time has already been booked for this interview."),
        "slot_past": _("This time has already passed. Choose a later one."),
        "interview_open": _(
            "An interview is already being arranged here. Wait for it to be booked."
        ),
        "not_booked": _("The interview has not been booked yet."),
    }
    kinds = {
        "own_job": ErrorKind.FORBIDDEN,
        "self_scout": ErrorKind.FORBIDDEN,
        "not_the_client": ErrorKind.FORBIDDEN,
        "not_the_worker": ErrorKind.FORBIDDEN,
        "not_a_party": ErrorKind.FORBIDDEN,
        "not_the_invitee": ErrorKind.FORBIDDEN,
        "daily_proposals": ErrorKind.RATE_LIMITED,
        "daily_scouts": ErrorKind.RATE_LIMITED,
    }
    default_kind = ErrorKind.CONFLICT
