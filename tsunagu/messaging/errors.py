from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class MessagingError(Exception):
    def __init__(self, code: str, message: str | Promise) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


class ContactBlocked(MessagingError):
    """The message holds outside contact details before the escrow is funded: not delivered."""

    def __init__(self, findings: list[dict[str, Any]]) -> None:
        super().__init__(
            "contact_blocked",
            _(
                "This message was not sent: it contains outside contact details. Until the escrow is "
                "funded, please keep all contact on Tsunagu, so that both sides are protected. "
                "Edit the highlighted part and send again."
            ),
        )
        self.findings = findings


MESSAGES: dict[str, Promise] = {
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
}


def refuse(code: str) -> MessagingError:
    return MessagingError(code, MESSAGES[code])
