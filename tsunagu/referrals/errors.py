"""Why a connection or an introduction was refused: a stable code and a message for people.

Something the person may not know exists (someone else's connection or introduction) is
``not_found`` (404); the wrong person acting on a thing they can see is ``forbidden`` (403); bad
values are ``invalid`` (422); what the current state does not allow is ``conflict`` (409).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tsunagu.core.errors import DomainError, ErrorKind


class ReferralError(DomainError):
    messages = {
        "self_connection": _("You cannot connect with yourself."),
        "unknown_person": _("There is no such person."),
        "already_connected": _("You are already connected."),
        "already_requested": _("You have already asked to connect; wait for the answer."),
        "not_found": _("There is no such connection or introduction."),
        "not_the_receiver": _("Only the person it was sent to can answer it."),
        "not_pending": _("This has already been answered."),
        "not_connected": _("You are not connected."),
        "self_introduction": _("You cannot introduce someone to themselves."),
        "referrer_is_party": _("Introduce two other people: you cannot introduce yourself."),
        "stranger": _(
            "You can introduce only people you are connected to or have completed a paid "
            "contract with."
        ),
        "already_pending": _("You have already introduced them; wait for the answer."),
        "kind_invalid": _("Choose whether to introduce a worker or forward a job."),
        "job_required": _("Choose the job to forward."),
        "job_not_open": _("This job is not open for proposals."),
        "job_of_other_client": _("The job must be one of the client's own."),
        "note_required": _("Write a note saying why you introduce them."),
        "note_too_long": _("A note can be at most %(limit)d characters."),
        "reward_invalid": _("A reward is a whole number of yen from ¥0 to ¥%(limit)s."),
        "reward_exceeds_payment": _(
            "The reward cannot be larger than the payment: at most ¥%(limit)s."
        ),
        "reward_not_client": _("Only the client can promise a referral reward."),
        "reward_settled": _("The reward has already been paid and cannot be changed."),
        "not_the_referrer": _("Only the person who sent the introduction can withdraw it."),
    }
    kinds = {
        "self_connection": ErrorKind.INVALID,
        "unknown_person": ErrorKind.NOT_FOUND,
        "not_found": ErrorKind.NOT_FOUND,
        "not_the_receiver": ErrorKind.FORBIDDEN,
        "self_introduction": ErrorKind.INVALID,
        "referrer_is_party": ErrorKind.INVALID,
        "stranger": ErrorKind.FORBIDDEN,
        "kind_invalid": ErrorKind.INVALID,
        "job_required": ErrorKind.INVALID,
        "job_of_other_client": ErrorKind.INVALID,
        "note_required": ErrorKind.INVALID,
        "note_too_long": ErrorKind.INVALID,
        "reward_invalid": ErrorKind.INVALID,
        "reward_exceeds_payment": ErrorKind.INVALID,
        "reward_not_client": ErrorKind.FORBIDDEN,
        "not_the_referrer": ErrorKind.FORBIDDEN,
    }
    default_kind = ErrorKind.CONFLICT
