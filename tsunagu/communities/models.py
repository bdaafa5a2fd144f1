"""Communities with a mission: membership and roles, activities with sign-up and endorsements
("一緒に活動した"), and a feed of posts with replies and pinned announcements.

Nothing here points at other apps' rows in a way that deletes them: leaving or being removed only
changes the membership's state, and contracts, reviews and jobs stay as they are.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Anyone can join")
    APPROVAL = "approval", _("Moderators approve each request")
    INVITATION = "invitation", _("By invitation only")


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MODERATOR = "moderator", _("Moderator")
    MEMBER = "member", _("Member")


class MemberState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    ACTIVE = "active", _("Member")
    INVITED = "invited", _("Invited")
    DECLINED = "declined", _("Request declined")
    LEFT = "left", _("Left")
    REMOVED = "removed", _("Removed")


class ActivityKind(models.TextChoices):
    EVENT = "event", _("Event")
    PROJECT = "project", _("Project")


class Community(models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    mission = models.TextField(_("mission statement"), max_length=2000)
    rules = models.TextField(_("rules"), max_length=5000, blank=True)
    cover = models.FileField(_("cover image"), upload_to="communities/%Y/%m/", blank=True)
    join_policy = models.CharField(
        _("who can join"), max_length=12, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    requires_real_name = models.BooleanField(
        _("members must have a verified real name"), default=False
    )
    requires_face_photo = models.BooleanField(
        _("members must have a verified face photo"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="communities_created",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """One person's place in one community; a row is kept (never deleted) once it exists."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("community")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="community_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=10, choices=MemberState.choices)
    show_real_name = models.BooleanField(_("show my verified real name here"), default=False)
    show_face_photo = models.BooleanField(_("show my verified face photo here"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["community", "joined_at", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="membership_once"),
        ]
        indexes = [models.Index(fields=["user", "state"], name="membership_user_state")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.community}"

    @property
    def is_active(self) -> bool:
        return self.state == MemberState.ACTIVE

    @property
    def is_moderator(self) -> bool:
        return self.is_active and self.role in (Role.OWNER, Role.MODERATOR)

    @property
    def is_owner(self) -> bool:
        return self.is_active and self.role == Role.OWNER


class Activity(models.Model):
    """An event (date, place or online, capacity) or a project the community organises."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="activities", verbose_name=_("community")
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activities_organised",
        verbose_name=_("organiser"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(
        pgettext_lazy("activity", "description"), max_length=5000, blank=True
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="activity_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gte=F("starts_at")),
                name="activity_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SignUp(models.Model):
    """A member's sign-up for an activity; ``took_part`` is set by the organiser afterwards."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="signups", verbose_name=_("activity")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activity_signups",
        verbose_name=_("person"),
    )
    cancelled_at = models.DateTimeField(
        pgettext_lazy("sign-up", "cancelled"), null=True, blank=True
    )
    took_part = models.BooleanField(_("took part"), default=False)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="signup_once")]

    def __str__(self) -> str:
        return f"{self.user} → {self.activity}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class Endorsement(models.Model):
    """ "一緒に活動した": one participant vouches for another's contribution to one activity."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="endorsements", verbose_name=_("activity")
    )
    endorser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="community_endorsements_given",
        verbose_name=_("from"),
    )
    endorsee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="community_endorsements_received",
        verbose_name=pgettext_lazy("endorsement", "to"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "endorser", "endorsee"], name="endorsement_once_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(endorser=F("endorsee")), name="endorsement_not_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.endorser} → {self.endorsee} ({self.activity})"


class Post(models.Model):
    """A post in the community feed, or a reply to one (``parent``)."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="posts", verbose_name=_("community")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="community_posts",
        verbose_name=_("author"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    body = models.TextField(_("text"), max_length=5000)
    # the contact guard's verdict when it let the post through: "solicit" marks a request to
    # deal off the platform, shown with a warning as in messages before funding
    guard_notice = models.CharField(_("guard notice"), max_length=10, blank=True)
    pinned_at = models.DateTimeField(_("pinned as announcement"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("post", "posted"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [models.Index(fields=["community", "parent", "-created_at"], name="post_feed")]

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_pinned(self) -> bool:
        return self.pinned_at is not None
