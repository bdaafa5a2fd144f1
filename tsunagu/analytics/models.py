"""Profile views: one raw row per view, and the daily roll-up the analytics page reads.

Days in :class:`ProfileViewDaily` are calendar days in the profile owner's time zone, as it was
when the roll-up job counted them (``User.time_zone``; UTC if that zone is unknown). A worker
who moves to another zone keeps the days already counted; only new days follow the new zone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ViewSource(models.TextChoices):
    SEARCH = "search", _("search")
    JOB = "job", _("job")
    PROPOSAL = "proposal", _("proposal")
    DIRECT = "direct", _("direct")
    OTHER = "other", _("other")


class ProfileView(models.Model):
    """One view of a profile. Inserted once per visitor per 30 minutes; never updated."""

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="views_received"
    )
    # Empty for visitors who are not signed in, and for viewers with private browsing on.
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profile_views_made",
    )
    source = models.CharField(_("source"), max_length=10, choices=ViewSource.choices)
    created_at = models.DateTimeField(_("viewed at"))
    # A keyed hash (HMAC with SECRET_KEY) of the signed-in user's id or of the anonymous
    # session; it counts unique visitors without keeping a session key or an IP address.
    visitor_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("profile view")
        verbose_name_plural = _("profile views")
        indexes = [
            models.Index(fields=["profile", "created_at"]),
            models.Index(fields=["viewer", "profile"]),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.source} {self.created_at:%Y-%m-%d %H:%M}"


class ProfileViewDaily(models.Model):
    """Views of one profile on one day (owner's time zone), recomputed by the roll-up job."""

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="views_daily"
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)
    unique_viewers = models.PositiveIntegerField(_("unique visitors"), default=0)
    views_search = models.PositiveIntegerField(default=0)
    views_job = models.PositiveIntegerField(default=0)
    views_proposal = models.PositiveIntegerField(default=0)
    views_direct = models.PositiveIntegerField(default=0)
    views_other = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily profile views")
        verbose_name_plural = _("daily profile views")
        constraints = [
            models.UniqueConstraint(fields=["profile", "day"], name="profile_view_daily_once")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.day} {self.views}"


class ProfileViewer(models.Model):
    """The latest view of a profile by one signed-in viewer, kept by the roll-up job."""

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="viewers"
    )
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_viewed_at = models.DateTimeField()
    last_source = models.CharField(max_length=10, choices=ViewSource.choices)

    class Meta:
        verbose_name = _("profile viewer")
        verbose_name_plural = _("profile viewers")
        constraints = [
            models.UniqueConstraint(fields=["profile", "viewer"], name="profile_viewer_once")
        ]
        indexes = [models.Index(fields=["profile", "last_viewed_at"])]

    def __str__(self) -> str:
        return f"{self.viewer_id} → {self.profile_id}"


class RollupState(models.Model):
    """How far the roll-up job got: every view with an id up to ``last_id`` is counted."""

    name = models.CharField(max_length=40, unique=True)
    last_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("roll-up state")
        verbose_name_plural = _("roll-up states")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_id}"


class AnalyticsPreference(models.Model):
    """A person's choice about being seen in other people's analytics."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="analytics_preference"
    )
    private_browsing = models.BooleanField(
        _("private browsing"),
        default=False,
        help_text=_(
            "Profiles you view will not show your name to their owners. Your views are still "
            "counted, anonymously."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("analytics preference")
        verbose_name_plural = _("analytics preferences")

    def __str__(self) -> str:
        return f"{self.user_id} private={self.private_browsing}"


class ProfileViewSeen(models.Model):
    """When one visitor last counted as a view of one profile: the 30-minute de-duplication.

    Used when the site has no shared cache (no Redis), so that several web processes agree on
    whether a view is new: one row per (profile, visitor), updated only once it is 30 minutes
    old. Rows older than that mean nothing and are swept by the roll-up job.
    """

    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="+")
    visitor_hash = models.CharField(max_length=64)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("profile view de-duplication")
        verbose_name_plural = _("profile view de-duplications")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "visitor_hash"], name="profile_view_seen_once"
            )
        ]
        indexes = [models.Index(fields=["seen_at"])]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.visitor_hash[:8]} {self.seen_at:%Y-%m-%d %H:%M}"
