"""Why a messaging action was refused: a stable code and a message."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from tsunagu.core.errors import DomainError, ErrorKind


class MessagingError(DomainError):
    messages = {
        "not_a_member": _("You are not a member of this room."),
        "not_the_sender": _("Only the sender can change this message."),
        "not_the_owner": _("Only the client who owns this room can manage its members."),
        "empty": _("Write a message or attach a file."),
        "too_long": _("A message can be at most 10,000 characters."),
        "binary": _("The message contains characters that cannot be shown as text."),
        "already_deleted": _("This message has already been deleted."),
        "wrong_kind": _("This cannot be done in this kind of room."),
        "not_in_room": _("That person is not a member of this room."),
        "too_many_files": _("Attach at most 10 files to one message."),
        "wrong_reply": _("You can only reply to a message in this room."),
        "not_task_owner": _(
            "Only the assignee, the person who created the task or the client can change it."
        ),
        "contact_blocked": _(
            "This message was not sent: it contains outside contact details. Until the escrow is "
            "funded, please keep all contact on Tsunagu, so that both sides are protected. "
            "Edit the highlighted part and send again."
        ),
    }
    # A room the person is not in is not told to exist; what the message itself gets wrong is
    # invalid input.
    kinds = {
        "not_a_member": ErrorKind.NOT_FOUND,
        "not_the_sender": ErrorKind.FORBIDDEN,
        "not_the_owner": ErrorKind.FORBIDDEN,
        "not_task_owner": ErrorKind.FORBIDDEN,
        "already_deleted": ErrorKind.CONFLICT,
        "wrong_kind": ErrorKind.CONFLICT,
    }
    default_kind = ErrorKind.INVALID


class ContactBlocked(MessagingError):
    """The message holds outside contact details before the escrow is funded: not delivered."""

    def __init__(self, findings: list[dict[str, Any]]) -> None:
        super().__init__("contact_blocked")
        self.findings = findings
