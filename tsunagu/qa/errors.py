"""Why an ask-an-expert action was refused: a stable code for the API and a message for people.

A question or answer the person may not see is ``not_found`` (404); the wrong person acting is
``forbidden`` (403); bad values and outside contact details are ``invalid`` (422); what the
question's state does not allow (closed, already voted) is ``conflict`` (409).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from tsunagu.core.errors import DomainError, ErrorKind


class QAError(DomainError):
    messages = {
        "not_found": _("There is no such question."),
        "no_community": _("There is no such community among yours."),
        "title_required": _("Write a title for your question."),
        "title_too_long": _("The title can be at most %(limit)d characters."),
        "body_required": _("Write your question."),
        "body_too_long": _("The question can be at most %(limit)d characters."),
        "answer_required": _("Write your answer."),
        "answer_too_long": _("The answer can be at most %(limit)d characters."),
        "binary": _("The text contains characters that cannot be shown."),
        "unknown_category": _("Choose one of the categories."),
        "unknown_expert": _("There is no such person to ask."),
        "self_expert": _("You cannot ask yourself."),
        "not_a_member": _(
            "You can ask inside a community only if you are one of its active members."
        ),
        "expert_not_member": _(
            "The person you asked is not a member of this community, so they could not see "
            "the question. Ask them publicly, or ask inside the community without naming them."
        ),
        "own_question": _("You cannot answer your own question."),
        "already_answered": _("You have already answered this question; edit your answer instead."),
        "closed": _("This question is closed: it takes no more answers or changes."),
        "not_the_asker": _("Only the person who asked can do this."),
        "not_the_author": _("Only the author of the answer can edit it."),
        "best_locked": _(
            "This answer has been marked best and can no longer be edited, so that everyone "
            "reads what the asker chose."
        ),
        "wrong_question": _("That answer belongs to another question."),
        "hidden": _("This answer has been hidden by staff."),
        "own_answer": _("You cannot vote for your own answer."),
        "already_voted": _("You have already marked this answer as helpful."),
        "not_voted": _("You have not marked this answer as helpful."),
        "not_staff": _("Only staff can do this."),
        "already_hidden": _("This is already hidden."),
        "not_hidden": _("This is not hidden."),
        "reason_required": _("Say why."),
        "contact_blocked": _(
            "This was not posted: it contains outside contact details (%(parts)s). Until an "
            "escrow is funded, please keep all contact on Tsunagu, so that both sides are "
            "protected. Remove that part and try again."
        ),
    }
    kinds = {
        "not_found": ErrorKind.NOT_FOUND,
        "no_community": ErrorKind.NOT_FOUND,
        "not_the_asker": ErrorKind.FORBIDDEN,
        "not_the_author": ErrorKind.FORBIDDEN,
        "own_question": ErrorKind.FORBIDDEN,
        "own_answer": ErrorKind.FORBIDDEN,
        "not_staff": ErrorKind.FORBIDDEN,
        "title_required": ErrorKind.INVALID,
        "title_too_long": ErrorKind.INVALID,
        "body_required": ErrorKind.INVALID,
        "body_too_long": ErrorKind.INVALID,
        "answer_required": ErrorKind.INVALID,
        "answer_too_long": ErrorKind.INVALID,
        "binary": ErrorKind.INVALID,
        "unknown_category": ErrorKind.INVALID,
        "unknown_expert": ErrorKind.INVALID,
        "self_expert": ErrorKind.INVALID,
        "not_a_member": ErrorKind.INVALID,
        "expert_not_member": ErrorKind.INVALID,
        "wrong_question": ErrorKind.INVALID,
        "reason_required": ErrorKind.INVALID,
        "contact_blocked": ErrorKind.INVALID,
    }
    default_kind = ErrorKind.CONFLICT


class ContactRefused(QAError):
    """A question or answer holds outside contact details: nothing is stored."""

    def __init__(self, *, field: str, parts: str, findings: list[dict[str, Any]]) -> None:
        super().__init__("contact_blocked", field=field, params={"parts": parts})
        self.findings = findings
