"""Writes to jobs, invitations, attachments and saved searches. Each function is one transaction;
decisions (publish, change, close, reopen, invite) are audited."""

from __future__ import annotations

import datetime
import logging
import uuid
import zoneinfo
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.audit.services import audit_record
from tsunagu.core.links import site_url
from tsunagu.core.uploads import atomic_with_files, check_upload, file_written
from tsunagu.jobs import audience, rules, search, tokenize
from tsunagu.jobs.models import (
    Job,
    JobAttachment,
    JobInvitation,
    JobStatus,
    SavedSearch,
    SavedSearchHit,
    Visibility,
)
from tsunagu.notifications.services import email_queue
from tsunagu.profiles.models import Profile

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_KINDS = {"png", "jpeg", "gif", "webp", "pdf", "zip", "text"}
MAX_SAVED_SEARCHES = 20
ALERT_GRACE = datetime.timedelta(minutes=10)  # jobs committed late are still looked at once


def client_today(user: User) -> datetime.date:
    """Today's date on the client's own calendar."""
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return timezone.localdate(timezone.now(), zone)


def _snapshot(job: Job) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in rules.JOB_FIELDS:
        value = getattr(job, f"{name}_id" if name in ("category", "community") else name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    out["skills"] = sorted(job.skills.values_list("slug", flat=True)) if job.pk else []
    out["status"] = job.status
    if out.get("description"):
        out["description"] = f"<{len(out['description'])} characters>"
    return out


def _apply(job: Job, values: Mapping[str, Any]) -> None:
    unknown = set(values) - {*rules.JOB_FIELDS, "skills"}
    if unknown:
        raise ValueError(f"unknown job fields: {sorted(unknown)}")
    for name in rules.JOB_FIELDS:
        if name in values:
            value = values[name]
            if name in ("title", "description", "trial_description"):
                value = str(value or "").strip()
            setattr(job, name, value)
    if job.visibility != Visibility.COMMUNITY:
        job.community = None
    job.budget_estimate = rules.budget_estimate(
        {
            "kind": job.kind,
            "budget_max": job.budget_max,
            "weekly_hours_cap": job.weekly_hours_cap,
        }
    )


def _audience_errors(client: User, values: Mapping[str, Any]) -> dict[str, str]:
    """A community-only job goes to a community the client is an active member of."""
    community = values.get("community")
    if values.get("visibility") != Visibility.COMMUNITY or community is None:
        return {}
    if community.pk not in audience.community_ids_for(client.pk):
        return {"community": _("You can post only to communities you are a member of.")}
    return {}


def _current_values(job: Job) -> dict[str, Any]:
    return {name: getattr(job, name) for name in rules.JOB_FIELDS}


def job_index(*, job: Job) -> None:
    """Store the job's search tokens: title (twice, it weighs more), description, category and
    skill names in both languages; and its markers (listed or not, category, type). Call it
    whenever any of these change, status and visibility included."""
    parts = [job.title, job.title, job.description]
    if job.category is not None:
        parts += [job.category.name_ja, job.category.name_en]
    for skill in job.skills.all():
        parts += [skill.name_ja, skill.name_en]
    markers = search.job_markers(
        job_id=job.pk,
        status=job.status,
        visibility=job.visibility,
        category_id=job.category_id,
        kind=job.kind,
    )
    search.job_document_put(job_id=job.pk, text="\n".join(parts), markers=markers)


def job_draft_save(*, client: User, job: Job | None, values: Mapping[str, Any]) -> Job:
    """Create or update a draft with whatever the client has typed so far (autosave).

    Only drafts are autosaved; a budget range the wrong way round is not stored (the database
    refuses it) and the caller shows the rule instead.
    """
    with transaction.atomic():
        if job is None:
            job = Job(client=client, status=JobStatus.DRAFT)
        else:
            job = Job.objects.select_for_update().get(pk=job.pk)
            if job.client_id != client.pk:
                raise ValidationError(_("Only the client who posted a job can change it."))
            if job.status != JobStatus.DRAFT:
                raise ValidationError(_("Only drafts are saved automatically."), code="not_draft")
        fields = {k: v for k, v in values.items() if k != "skills"}
        low, high = fields.get("budget_min"), fields.get("budget_max")
        if low is not None and high is not None and low > high:
            fields.pop("budget_min")
            fields.pop("budget_max")
        _apply(job, fields)
        job.save()
        if "skills" in values:
            job.skills.set(values["skills"])
    return job


def job_publish(*, client: User, job: Job | None, values: Mapping[str, Any]) -> Job:
    """Publish a new job or a draft; every rule of :func:`rules.publish_errors` must hold."""
    with transaction.atomic():
        if job is None:
            job = Job(client=client, status=JobStatus.DRAFT)
        else:
            job = Job.objects.select_for_update().get(pk=job.pk)
            if job.client_id != client.pk:
                raise ValidationError(_("Only the client who posted a job can change it."))
            if job.status != JobStatus.DRAFT:
                raise ValidationError(_("This job is already published."), code="published")
        merged = {**_current_values(job), **{k: v for k, v in values.items() if k != "skills"}}
        errors = rules.publish_errors(merged, today=client_today(client))
        errors.update(_audience_errors(client, merged))
        if errors:
            raise ValidationError(errors)
        _apply(job, merged)
        job.status = JobStatus.OPEN
        job.published_at = timezone.now()
        job.save()
        if "skills" in values:
            job.skills.set(values["skills"])
        job_index(job=job)
        audit_record(actor=client, subject=job, event="job.published", after=_snapshot(job))
    return job


def job_update(*, actor: User, job: Job, values: Mapping[str, Any]) -> Job:
    """Change a published job (open or closed); the publishing rules hold after the change."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.client_id != actor.pk:
            raise ValidationError(_("Only the client who posted a job can change it."))
        if locked.status == JobStatus.DRAFT:
            raise ValidationError(_("Publish the draft first."), code="draft")
        before = _snapshot(locked)
        merged = {**_current_values(locked), **{k: v for k, v in values.items() if k != "skills"}}
        errors = rules.publish_errors(merged, today=client_today(actor))
        if merged.get("community") is not None and (
            merged.get("community") != locked.community
            or merged.get("visibility") != locked.visibility
        ):
            errors.update(_audience_errors(actor, merged))
        if "deadline" not in values or values["deadline"] == locked.deadline:
            errors.pop("deadline", None)  # an old deadline left as it was is not a new mistake
        if errors:
            raise ValidationError(errors)
        _apply(locked, merged)
        locked.save()
        if "skills" in values:
            locked.skills.set(values["skills"])
        job_index(job=locked)
        after = _snapshot(locked)
        changed = {k for k in after if after[k] != before[k]}
        if changed:
            audit_record(
                actor=actor,
                subject=locked,
                event="job.updated",
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )
    return locked


def job_close(*, actor: User, job: Job) -> Job:
    """Stop taking proposals. Closing a closed job changes nothing."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.client_id != actor.pk:
            raise ValidationError(_("Only the client who posted a job can close it."))
        if locked.status != JobStatus.OPEN:
            raise ValidationError(_("Only an open job can be closed."), code="not_open")
        locked.status = JobStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        job_index(job=locked)  # no longer listed
        audit_record(
            actor=actor,
            subject=locked,
            event="job.closed",
            before={"status": JobStatus.OPEN},
            after={"status": JobStatus.CLOSED},
        )
    return locked


def job_reopen(*, actor: User, job: Job) -> Job:
    """Take proposals again; a deadline already past must be moved first."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.client_id != actor.pk:
            raise ValidationError(_("Only the client who posted a job can reopen it."))
        if locked.status != JobStatus.CLOSED:
            raise ValidationError(_("Only a closed job can be reopened."), code="not_closed")
        if locked.deadline is not None and locked.deadline < client_today(actor):
            raise ValidationError(
                _("The deadline has passed. Edit the job to set a new deadline, then reopen it."),
                code="deadline_past",
            )
        locked.status = JobStatus.OPEN
        locked.closed_at = None
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        job_index(job=locked)  # listed again
        audit_record(
            actor=actor,
            subject=locked,
            event="job.reopened",
            before={"status": JobStatus.CLOSED},
            after={"status": JobStatus.OPEN},
        )
    return locked


def job_invite(*, actor: User, job: Job, worker: User) -> JobInvitation:
    """Invite a worker to a job (an invite-only job becomes visible to them)."""
    if worker.pk == actor.pk:
        raise ValidationError(_("You cannot invite yourself."), code="self")
    if not worker.is_active:
        raise ValidationError(_("This account cannot be invited."), code="inactive")
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.client_id != actor.pk:
            raise ValidationError(_("Only the client who posted a job can invite workers."))
        if locked.status == JobStatus.CLOSED:
            raise ValidationError(_("This job is closed."), code="closed")
        invitation, created = JobInvitation.objects.get_or_create(job=locked, worker=worker)
        if created:
            audit_record(
                actor=actor, subject=locked, event="job.invited", after={"worker": worker.pk}
            )
    return invitation


def job_attachment_add(*, actor: User, job: Job, upload: UploadedFile) -> JobAttachment:
    """Attach a checked file (images, PDF, office documents, text; at most ten, 10 MB each)."""
    checked = check_upload(upload, allowed_kinds=ATTACHMENT_KINDS, max_bytes=MAX_ATTACHMENT_BYTES)
    name = PurePath(upload.name or "file").name[:200]
    with atomic_with_files():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.client_id != actor.pk:
            raise ValidationError(_("Only the client who posted a job can change it."))
        if locked.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(
                _("A job can have at most %(count)d attachments.") % {"count": MAX_ATTACHMENTS},
                code="too_many",
            )
        attachment = JobAttachment(
            job=locked,
            original_name=name,
            size=checked.size,
            sha256=checked.sha256,
        )
        suffix = PurePath(name).suffix.lower()
        attachment.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
        file_written(attachment.file)
        attachment.save()
    return attachment


def job_attachment_remove(*, actor: User, attachment: JobAttachment) -> None:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=attachment.job_id)
        if job.client_id != actor.pk:
            raise ValidationError(_("Only the client who posted a job can change it."))
        file_name = attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(file_name))


# --- worker profiles in the search index --------------------------------------------------------


def profile_index(*, profile: Profile) -> None:
    """Store a worker profile's tokens; profiles not taking work leave the index."""
    if not profile.is_worker or not profile.user.is_active:
        search.profile_document_delete(profile_id=profile.pk)
        return
    parts = [profile.display_name, profile.display_name, profile.headline, profile.bio]
    for skill in profile.skills.all():
        parts += [skill.name_ja, skill.name_en]
    parts += [str(tag) for tag in (profile.tags or [])]
    search.profile_document_put(profile_id=profile.pk, text="\n".join(parts))


def search_reindex() -> tuple[int, int]:
    """Rebuild both search indexes from the jobs and profiles; returns (jobs, profiles)."""
    jobs = profiles = 0
    with transaction.atomic():
        search.fts_clear()
        from tsunagu.jobs.models import JobSearchDocument, ProfileSearchDocument

        JobSearchDocument.objects.all().delete()
        ProfileSearchDocument.objects.all().delete()
        qs = (
            Job.objects.exclude(status=JobStatus.DRAFT)
            .select_related("category")
            .prefetch_related("skills")
        )
        for job in qs.iterator(chunk_size=500):
            job_index(job=job)
            jobs += 1
        for profile in (
            Profile.objects.filter(is_worker=True, user__is_active=True)
            .select_related("user")
            .prefetch_related("skills")
            .iterator(chunk_size=500)
        ):
            profile_index(profile=profile)
            profiles += 1
    return jobs, profiles


# --- saved searches -----------------------------------------------------------------------------


def saved_search_create(
    *, user: User, name: str, query: str, filters: Mapping[str, Any], alerts: bool = True
) -> SavedSearch:
    """Save a query and filters (already validated by JobSearchForm)."""
    name = name.strip()
    query = query.strip()
    if not name:
        raise ValidationError({"name": _("Give the search a name.")})
    if len(query) > tokenize.MAX_QUERY_CHARS:
        raise ValidationError({"query": _("The search words are too long.")})
    if query and not tokenize.query_terms(query):
        raise ValidationError({"query": _("Enter words to search for, not only symbols.")})
    if not query and not any(filters.values()):
        raise ValidationError(
            {"query": _("Enter a keyword or choose a filter: an empty search is not saved.")}
        )
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
            raise ValidationError(
                _("You can keep at most %(count)d saved searches.") % {"count": MAX_SAVED_SEARCHES}
            )
        return SavedSearch.objects.create(
            user=user,
            name=name[:80],
            query=query,
            filters=dict(filters),
            alerts=alerts,
            watermark=timezone.now(),
        )


def saved_search_delete(*, user: User, saved_search: SavedSearch) -> None:
    if saved_search.user_id != user.pk:
        raise ValidationError(_("This saved search is not yours."))
    saved_search.delete()


def saved_search_alert(*, saved_search: SavedSearch) -> list[int]:
    """E-mail the owner the jobs that newly match since the watermark; each job only once.

    Returns the ids sent. The e-mail leaves after the commit; running twice sends nothing new.
    """
    from tsunagu.jobs import selectors

    with transaction.atomic():
        locked = (
            SavedSearch.objects.select_for_update().select_related("user").get(pk=saved_search.pk)
        )
        if not locked.alerts or not locked.user.is_active:
            return []
        now = timezone.now()
        params = selectors.SearchParams.from_saved(locked)
        candidates = (
            selectors.job_search_queryset(viewer=locked.user, params=params)
            .filter(published_at__gt=locked.watermark - ALERT_GRACE, published_at__lte=now)
            .exclude(client=locked.user)
            .exclude(pk__in=SavedSearchHit.objects.filter(saved_search=locked).values("job_id"))
            .order_by("published_at", "pk")
        )
        jobs: list[dict[str, Any]] = [dict(row) for row in candidates.values("pk", "title")[:50]]
        SavedSearchHit.objects.bulk_create(
            [SavedSearchHit(saved_search=locked, job_id=job["pk"]) for job in jobs]
        )
        locked.watermark = now
        locked.save(update_fields=["watermark"])
        if jobs:
            # In the outbox with the watermark: both commit, or neither, and the mail leaves after.
            _alert_queue(locked.user, locked.name, jobs)
    return [job["pk"] for job in jobs]


def _alert_queue(user: User, name: str, jobs: list[dict[str, Any]]) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        lines = [
            _("New jobs match your saved search “%(name)s”:") % {"name": name},
            "",
        ]
        for job in jobs:
            lines.append(f"- {job['title']}")
            lines.append(f"  {site_url(reverse('jobs:detail', args=[job['pk']]))}")
        subject = "[Tsunagu] " + _("New jobs for “%(name)s”: %(count)d") % {
            "count": len(jobs),
            "name": name,
        }
    email_queue(to=user.email, subject=subject, body="\n".join(lines))


def saved_searches_alert_all() -> int:
    """Run the alert of every saved search with alerts on; returns the number of jobs sent."""
    sent = 0
    for saved in SavedSearch.objects.filter(alerts=True).only("pk").iterator():
        sent += len(saved_search_alert(saved_search=saved))
    return sent
