"""Why a contract action was refused: a stable code for the API and a message for people.

The wrong person acting is ``forbidden`` (403 in the API); every other refusal says the
contract's current state does not allow it (``conflict``, 409).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tsunagu.core.errors import DomainError, ErrorKind


class ContractError(DomainError):
    messages = {
        "not_a_party": _("Only the client and the worker of this contract can do this."),
        "not_the_client": _("Only the client of this contract can do this."),
        "not_the_worker": _("Only the worker of this contract can do this."),
        "not_staff": _("Only staff can decide a dispute."),
        "wrong_state": _("This cannot be done at the contract's current stage."),
        "not_funded": _("Work can be delivered only after the client has funded the escrow."),
        "revision_limit": _("The number of revision requests agreed in the terms has been used."),
        "insufficient_balance": _("Your balance is not enough to fund this milestone."),
        "payment_in_progress": _("A payment for this milestone is still being processed."),
        "money_in_escrow": _(
            "Money is held in escrow: cancel by agreement or open a dispute instead."
        ),
        "open_request": _("There is already an open request for this milestone."),
        "own_request": _("You cannot answer your own request."),
        "not_the_requester": _("Only the person who made this request can withdraw it."),
        "self_contract": _("You cannot make a contract with yourself."),
        "closed_account": _("This account is closed: it cannot take part in a new contract."),
    }
    kinds = {
        "not_a_party": ErrorKind.FORBIDDEN,
        "not_the_client": ErrorKind.FORBIDDEN,
        "not_the_worker": ErrorKind.FORBIDDEN,
        "not_staff": ErrorKind.FORBIDDEN,
    }
    default_kind = ErrorKind.CONFLICT
