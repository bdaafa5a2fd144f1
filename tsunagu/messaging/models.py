"""Rooms and the append-only record of what was said in them.

A room's history is a list of entries (``Message`` rows): messages, edits and deletions, each
chained to the one before by its hash. Nothing is updated or deleted in place: an edit is a new
entry carrying the new text, a deletion is a new entry that leaves a tombstone on screen while
the original stays in the record for evidence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import private_storage
from tsunagu.messaging.chain import GENESIS


class RoomKind(models.TextChoices):
    INQUIRY = "inquiry", _("inquiry")
    CONTRACT = "contract", _("contract")
    GROUP = "group", _("group")


class Room(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=RoomKind.choices)
    title = models.CharField(_("title"), max_length=120)
    contract = models.OneToOneField(
        "contracts.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="room"
    )
    # The client of an inquiry or a group room (for contract rooms, the contract's client).
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="client_rooms"
    )
    subject_type = models.CharField(max_length=30, blank=True)  # e.g. "profile", "job"
    subject_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The chain's head: moved forward under the room's row lock with each new entry.
    last_seq = models.PositiveIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default=GENESIS)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="contract") | Q(contract__isnull=False),
                name="contract_room_has_contract",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_group(self) -> bool:
        return self.kind == RoomKind.GROUP


class MemberRole(models.TextChoices):
    CLIENT = "client", _("client")
    WORKER = "worker", _("worker")


class RoomMember(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_memberships"
    )
    role = models.CharField(max_length=10, choices=MemberRole.choices)
    joined_at = models.DateTimeField(auto_now_add=True)
    # A removed member keeps read access to what was said until removal (see selectors).
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_after_seq = models.PositiveIntegerField(null=True, blank=True)
    last_read_seq = models.PositiveIntegerField(default=0)
    last_emailed_seq = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("room member")
        verbose_name_plural = _("room members")
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="room_member_once")]
        indexes = [models.Index(fields=["user", "removed_at"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.room}"

    @property
    def is_worker(self) -> bool:
        return self.role == MemberRole.WORKER


class EntryKind(models.TextChoices):
    MESSAGE = "message", _("message")
    EDIT = "edit", _("edit")
    DELETE = "delete", _("deletion")


class GuardNotice(models.TextChoices):
    NONE = "", _("none")
    SOLICIT = "solicit", _("off-platform request")
    REMINDER = "reminder", _("reminder to keep payment and delivery on Tsunagu")


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="entries")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=EntryKind.choices, default=EntryKind.MESSAGE)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(blank=True)
    target = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in"
    )
    guard_notice = models.CharField(
        max_length=10, choices=GuardNotice.choices, blank=True, default=""
    )
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["room", "seq"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="message_seq_unique"),
            models.CheckConstraint(
                condition=Q(kind="message", target__isnull=True)
                | Q(kind__in=["edit", "delete"], target__isnull=False),
                name="message_change_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.seq} {self.kind}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="messages/%Y/%m/", storage=private_storage)
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Pin(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="pins")
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="pins")
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    unpinned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pin")
        verbose_name_plural = _("pins")
        constraints = [
            models.UniqueConstraint(
                fields=["room", "message"],
                condition=Q(unpinned_at__isnull=True),
                name="pinned_once",
            )
        ]

    def __str__(self) -> str:
        return f"pin {self.message_id}"


class Task(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_tasks",
        verbose_name=_("assignee"),
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due_at", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["assignee", "done_at"])]

    def __str__(self) -> str:
        return self.title


class GuardEvent(models.Model):
    """A message the contact guard stopped or flagged, kept for staff with what was written."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="guard_events")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guard_events"
    )
    text = models.TextField()
    verdict = models.CharField(max_length=10)
    findings = models.JSONField()
    blocked = models.BooleanField()
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("guard event")
        verbose_name_plural = _("guard events")
        indexes = [models.Index(fields=["sender", "created_at"])]

    def __str__(self) -> str:
        return f"{self.verdict} by {self.sender_id} in {self.room_id}"
