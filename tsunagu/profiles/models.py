"""Public profiles: who a person is, what they do, when they work and how much they can take on."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class SkillCategory(models.TextChoices):
    WRITING = "writing", _("Writing and translation")
    DESIGN = "design", _("Design")
    DEVELOPMENT = "development", _("Development")
    VIDEO = "video", _("Video and audio")
    BUSINESS = "business", _("Business support")
    MARKETING = "marketing", _("Marketing")


class Skill(models.Model):
    """One entry of the skill taxonomy, named in Japanese and English."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=SkillCategory.choices)
    name_ja = models.CharField(_("name (Japanese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)

    class Meta:
        ordering = ["category", "slug"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ja").startswith("en") else self.name_ja


class Currency(models.TextChoices):
    JPY = "JPY", "JPY (¥)"
    USD = "USD", "USD ($)"
    EUR = "EUR", "EUR (€)"


class WorkerSort(models.TextChoices):
    """How the worker list is ordered."""

    RECENT = "", _("Recently updated")
    TRUST = "trust", _("Trust score")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available for new work")
    LIMITED = "limited", _("Limited availability")
    UNAVAILABLE = "unavailable", _("Not taking new work")


class SpokenLanguage(models.TextChoices):
    """Languages a person can work in (ISO 639-1 codes)."""

    JA = "ja", pgettext_lazy("spoken language", "Japanese")
    EN = "en", pgettext_lazy("spoken language", "English")
    ZH = "zh", pgettext_lazy("spoken language", "Chinese")
    KO = "ko", pgettext_lazy("spoken language", "Korean")
    ES = "es", pgettext_lazy("spoken language", "Spanish")
    FR = "fr", pgettext_lazy("spoken language", "French")
    DE = "de", pgettext_lazy("spoken language", "German")
    PT = "pt", pgettext_lazy("spoken language", "Portuguese")
    IT = "it", pgettext_lazy("spoken language", "Italian")
    VI = "vi", pgettext_lazy("spoken language", "Vietnamese")
    TH = "th", pgettext_lazy("spoken language", "Thai")
    ID = "id", pgettext_lazy("spoken language", "Indonesian")
    TL = "tl", pgettext_lazy("spoken language", "Filipino")
    HI = "hi", pgettext_lazy("spoken language", "Hindi")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


CURRENCY_EXPONENT = {"JPY": 0, "USD": 2, "EUR": 2}


def default_working_days() -> list[int]:
    return [0, 1, 2, 3, 4]  # Monday to Friday


class Profile(models.Model):
    """The public face of an account. Every account has one; anyone may be client and worker."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("display name"), max_length=50)
    show_real_name = models.BooleanField(_("show my real name on my profile"), default=False)
    headline = models.CharField(_("headline"), max_length=120, blank=True)
    bio = models.TextField(_("about me"), max_length=5000, blank=True)
    bio_html = models.TextField(editable=False, blank=True)
    is_worker = models.BooleanField(_("I take on work"), default=True)
    is_client = models.BooleanField(_("I order work"), default=False)
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="profiles", verbose_name=_("skills")
    )
    tags = models.JSONField(_("free tags"), default=list, blank=True)
    hourly_rate = models.PositiveIntegerField(
        _("hourly rate"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000)],
        help_text=_("In the currency's smallest unit (yen for JPY, cents for USD and EUR)."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.JPY
    )
    working_hours_start = models.TimeField(_("working hours from"), default=datetime.time(9, 0))
    working_hours_end = models.TimeField(_("working hours until"), default=datetime.time(18, 0))
    working_days = models.JSONField(_("working days"), default=default_working_days, blank=True)
    weekly_capacity_hours = models.PositiveSmallIntegerField(
        _("weekly capacity (hours)"),
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(112)],
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    availability = models.CharField(
        _("availability"),
        max_length=16,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    # The trust scores (0–100) as worker and as client, written by the trust app; empty while
    # the person is new in that role. Kept here so that lists can filter and sort by them.
    worker_trust_score = models.PositiveSmallIntegerField(
        _("trust score as worker"), null=True, blank=True, editable=False
    )
    client_trust_score = models.PositiveSmallIntegerField(
        _("trust score as client"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        indexes = [models.Index(fields=["is_worker", "availability"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_capacity_hours__lte=112), name="capacity_within_week"
            ),
            models.CheckConstraint(
                condition=Q(worker_trust_score__lte=100) & Q(client_trust_score__lte=100),
                name="trust_scores_within_100",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_available(self) -> bool:
        return self.availability == Availability.AVAILABLE

    @property
    def is_limited(self) -> bool:
        return self.availability == Availability.LIMITED

    @property
    def public_name(self) -> str:
        """The display name, with the real name beside it when the person chose to show it."""
        real = self.user.legal_name if self.show_real_name else ""
        return (
            f"{self.display_name} ({real})"
            if real and real != self.display_name
            else self.display_name
        )


class PortfolioKind(models.TextChoices):
    IMAGE = "image", _("image")
    FILE = "file", _("file")
    LINK = "link", _("link")


class PortfolioItem(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="portfolio_items")
    kind = models.CharField(_("kind"), max_length=8, choices=PortfolioKind.choices)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    file = models.FileField(_("file"), upload_to="portfolio/%Y/%m/", blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("portfolio item")
        verbose_name_plural = _("portfolio items")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(url="")) | (~Q(kind="link") & ~Q(file="")),
                name="portfolio_item_has_content",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_image(self) -> bool:
        return self.kind == PortfolioKind.IMAGE

    @property
    def is_file(self) -> bool:
        return self.kind == PortfolioKind.FILE

    @property
    def is_link(self) -> bool:
        return self.kind == PortfolioKind.LINK
