"""Jobs posted by clients, their categories, attachments, invitations, saved searches and the
search tables. See the package docstring (:mod:`tsunagu.jobs`) for how other apps use them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import private_storage
from tsunagu.profiles.models import Profile, Skill


class Category(models.Model):
    """A kind of work. ``withholding_applies``: payments to an individual for this kind of work
    are subject to withholding tax (源泉徴収) under Japanese law (writing, translation, design,
    illustration, photography, video editing, …)."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    withholding_applies = models.BooleanField(_("withholding tax applies"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ja").startswith("en") else self.name_ja


class JobKind(models.TextChoices):
    FIXED = "fixed", _("Fixed price")
    MILESTONES = "milestones", _("Milestones")
    HOURLY = "hourly", _("Hourly")


class JobStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INVITE_ONLY = "invite_only", _("Invited workers only")
    COMMUNITY = "community", _("Members of one community")


MAX_BUDGET = 100_000_000  # yen
MAX_WORKERS = 100
MAX_WEEKLY_HOURS = 80
WEEKS_PER_ESTIMATE = 4  # an hourly job's budget estimate covers four weeks at the cap


class Job(models.Model):
    """A job a client posts. Amounts are yen (JPY has no minor unit).

    For fixed-price and milestone jobs ``budget_min``/``budget_max`` are the total budget; for
    hourly jobs they are the hourly rate and ``weekly_hours_cap`` limits the hours a week.
    ``budget_estimate`` (kept by the services) is what budget filters and sorting compare:
    the total, or for hourly jobs the rate × cap × four weeks.
    """

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jobs_posted",
        verbose_name=_("client"),
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    description = models.TextField(_("description"), max_length=10_000, blank=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("category"),
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="jobs", verbose_name=_("skills")
    )
    kind = models.CharField(
        _("type"), max_length=12, choices=JobKind.choices, default=JobKind.FIXED
    )
    budget_min = models.PositiveIntegerField(
        _("budget from"), null=True, blank=True, validators=[MaxValueValidator(MAX_BUDGET)]
    )
    budget_max = models.PositiveIntegerField(
        _("budget up to"), null=True, blank=True, validators=[MaxValueValidator(MAX_BUDGET)]
    )
    weekly_hours_cap = models.PositiveSmallIntegerField(
        _("hours a week at most"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEKLY_HOURS)],
    )
    budget_estimate = models.PositiveBigIntegerField(editable=False, null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    workers_wanted = models.PositiveSmallIntegerField(
        _("workers wanted"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WORKERS)],
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # set with Visibility.COMMUNITY only: the community whose active members see the job
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("community"),
    )
    trial_description = models.TextField(_("paid trial task"), max_length=2000, blank=True)
    trial_fee = models.PositiveIntegerField(
        _("trial task fee"), null=True, blank=True, validators=[MaxValueValidator(MAX_BUDGET)]
    )
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("posted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [
            models.Index(fields=["status", "visibility", "-published_at"], name="job_list"),
            models.Index(fields=["status", "budget_estimate"], name="job_budget"),
            models.Index(fields=["client", "status"], name="job_client"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_min__lte=models.F("budget_max")),
                name="job_budget_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="open") | ~Q(kind="hourly") | Q(weekly_hours_cap__gte=1),
                name="job_hourly_has_cap",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == JobStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == JobStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == JobStatus.CLOSED

    @property
    def is_invite_only(self) -> bool:
        return self.visibility == Visibility.INVITE_ONLY

    @property
    def is_community_only(self) -> bool:
        return self.visibility == Visibility.COMMUNITY

    @property
    def has_trial(self) -> bool:
        return bool(self.trial_description.strip())


class JobAttachment(models.Model):
    """A file attached to a job; stored privately and served only to those who may see the job."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="jobs/%Y/%m/", storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class JobInvitation(models.Model):
    """A worker invited to a job. Invite-only jobs are visible to their client and to the
    workers invited here; scouting (direct offers) builds on this."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="invitations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_invitations"
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)

    class Meta:
        ordering = ["-invited_at", "-id"]
        verbose_name = _("job invitation")
        verbose_name_plural = _("job invitations")
        constraints = [
            models.UniqueConstraint(fields=["job", "worker"], name="job_invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id} → {self.worker_id}"


class JobSearchDocument(models.Model):
    """The search tokens of one job (see :mod:`tsunagu.jobs.tokenize`) and its markers (listed,
    category, type, id window: :func:`tsunagu.jobs.search.job_markers`).

    On PostgreSQL the table also has ``document tsvector``, stored and generated from ``tokens``
    (the 'simple' configuration) plus the markers verbatim, with a GIN index (fastupdate off); on
    SQLite the FTS5 table ``jobs_job_fts`` (rowid = job id) holds the same tokens and markers in
    two columns. Created by migrations 0002 and 0005 and kept by the services.
    """

    job = models.OneToOneField(
        Job, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    tokens = models.TextField()
    markers = models.TextField(default="", blank=True)

    class Meta:
        verbose_name = _("job search document")

    def __str__(self) -> str:
        return f"job {self.job_id}"


class ProfileSearchDocument(models.Model):
    """The search tokens of one worker profile (``jobs_profile_fts`` on SQLite)."""

    profile = models.OneToOneField(
        Profile, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    tokens = models.TextField()

    class Meta:
        verbose_name = _("profile search document")

    def __str__(self) -> str:
        return f"profile {self.profile_id}"


class SavedSearch(models.Model):
    """A query and filters a person saved, with e-mail alerts for new matching jobs.

    ``watermark`` is the publication time up to which new jobs have been looked at; each job is
    e-mailed at most once per saved search (:class:`SavedSearchHit`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("keywords"), max_length=200, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    alerts = models.BooleanField(_("e-mail me new matches"), default=True)
    watermark = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.name


class SavedSearchHit(models.Model):
    """A job already sent to a saved search's owner: the alert never sends it twice."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="hits")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "job"], name="saved_search_hit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.saved_search_id} → {self.job_id}"
