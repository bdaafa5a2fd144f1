"""Why a review action was refused: a stable code for the API and a message for people.

The wrong person acting is ``forbidden`` (403); bad values are ``invalid`` (422); everything that
the review's or the contract's stage does not allow yet or any more is ``conflict`` (409).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tsunagu.core.errors import DomainError, ErrorKind


class ReviewError(DomainError):
    messages = {
        "not_a_party": _("Only the client and the worker of this contract can review it."),
        "not_paid": _("A contract can be reviewed only after money has been paid out for it."),
        "window_closed": _("The time for reviewing this contract has ended."),
        "already_reviewed": _("You have already reviewed this contract."),
        "not_the_author": _("Only the author of a review can change it."),
        "revealed": _("This review has been published and can no longer be edited."),
        "not_revealed": _("This review has not been published yet."),
        "not_the_subject": _("Only the person reviewed can do this."),
        "already_replied": _("You have already replied to this review."),
        "already_reported": _("You have already reported this review."),
        "already_hidden": _("This review's text is already hidden."),
        "not_staff": _("Only staff can hide a review."),
        "stars_range": _("Choose from 1 to 5 stars."),
        "text_required": _("Write a few words about the work together."),
        "text_too_long": _("The text can be at most %(limit)d characters."),
        "unknown_tags": _("These tags are not on the list: %(tags)s."),
        "too_many_tags": _("Choose at most %(limit)d tags."),
        "reason_required": _("Say why."),
    }
    kinds = {
        "not_a_party": ErrorKind.FORBIDDEN,
        "not_the_author": ErrorKind.FORBIDDEN,
        "not_the_subject": ErrorKind.FORBIDDEN,
        "not_staff": ErrorKind.FORBIDDEN,
        "stars_range": ErrorKind.INVALID,
        "text_required": ErrorKind.INVALID,
        "text_too_long": ErrorKind.INVALID,
        "unknown_tags": ErrorKind.INVALID,
        "too_many_tags": ErrorKind.INVALID,
        "reason_required": ErrorKind.INVALID,
    }
    default_kind = ErrorKind.CONFLICT


class CardError(DomainError):
    """Why publishing or revoking a track-record card was refused."""

    messages = {
        "no_completed_contract": _(
            "You can publish a card once you have completed at least one paid contract as a worker."
        ),
        "unknown_fields": _("A card cannot show these: %(fields)s."),
        "not_the_owner": _("Only the owner of this card can do this."),
        "already_revoked": _("This card has already been revoked."),
    }
    kinds = {
        "unknown_fields": ErrorKind.INVALID,
        "not_the_owner": ErrorKind.FORBIDDEN,
    }
    default_kind = ErrorKind.CONFLICT
