from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something a person should know about, shown in the app and sent by e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("gave up")


class OutgoingEmail(models.Model):
    """An e-mail written in the transaction that caused it and sent afterwards by a task.

    The row commits or rolls back with the change it reports, so nothing is sent for a change that
    did not happen and nothing is lost when the mail server is down: the task retries with backoff
    until ``attempts`` reaches the limit. While ``sending``, ``next_attempt_at`` is the end of the
    claim: an attempt that never finished (a worker that died) may be taken up again after it.
    """

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    # An HTML version beside the plain text (optional); images it shows are inline attachments.
    html_body = models.TextField(_("HTML body"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=EmailStatus.SENT, sent_at__isnull=False)
                | (~models.Q(status=EmailStatus.SENT) & models.Q(sent_at__isnull=True)),
                name="outgoing_email_sent_at_iff_sent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class OutgoingAttachment(models.Model):
    """A file sent with an outbox e-mail, stored with it so that a retry sends the same bytes.

    With ``content_id`` set it is an inline part that the HTML body shows as ``cid:<content_id>``.
    """

    email = models.ForeignKey(OutgoingEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=100)
    content = models.BinaryField(_("content"))
    content_id = models.CharField(_("inline id"), max_length=60, blank=True)

    class Meta:
        ordering = ["email", "id"]
        verbose_name = _("e-mail attachment")
        verbose_name_plural = _("e-mail attachments")

    def __str__(self) -> str:
        return self.filename
