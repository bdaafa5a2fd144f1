"""Writes to profiles and portfolios. Each function is one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tsunagu.audit.services import audit_record
from tsunagu.core.text import render_markdown
from tsunagu.profiles import rules
from tsunagu.profiles.forms import check_portfolio_upload
from tsunagu.profiles.models import PortfolioItem, PortfolioKind, Profile, Skill

# fields profile_update may change, besides ``skills``
PROFILE_FIELDS = (
    "display_name",
    "show_real_name",
    "headline",
    "bio",
    "is_worker",
    "is_client",
    "tags",
    "hourly_rate",
    "currency",
    "working_hours_start",
    "working_hours_end",
    "working_days",
    "weekly_capacity_hours",
    "languages",
    "availability",
)


def _snapshot(profile: Profile, fields: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(profile, name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def profile_update(*, profile: Profile, actor: Any, changes: Mapping[str, Any]) -> Profile:
    """Change a profile's fields (values already validated by ProfileForm).

    The invariants are checked again here so that no caller can store markup in a name, too many
    tags or an unrendered bio. ``skills`` is a list of Skill objects.
    """
    unknown = set(changes) - {*PROFILE_FIELDS, "skills"}
    if unknown:
        raise ValueError(f"profile_update got unknown fields: {sorted(unknown)}")
    for name in ("display_name", "headline"):
        if name in changes:
            rules.check_single_line(changes[name])
    if "display_name" in changes and not str(changes["display_name"]).strip():
        raise ValidationError(_("Enter a display name."), code="required")
    with transaction.atomic():
        locked = Profile.objects.select_for_update().get(pk=profile.pk)
        fields = [f for f in PROFILE_FIELDS if f in changes]
        before = _snapshot(locked, fields)
        old_skills = sorted(locked.skills.values_list("slug", flat=True))
        for name in fields:
            value = changes[name]
            if name == "tags":
                value = rules.parse_tags(value)
            setattr(locked, name, value)
        if "bio" in changes:
            locked.bio_html = render_markdown(locked.bio)
        locked.full_clean(exclude=["user"])
        locked.save()
        new_skills = old_skills
        if "skills" in changes:
            skills: list[Skill] = list(changes["skills"])
            locked.skills.set(skills)
            new_skills = sorted(s.slug for s in skills)
        after = _snapshot(locked, fields)
        changed_before = {k: v for k, v in before.items() if after[k] != v}
        changed_after = {k: after[k] for k in changed_before}
        if new_skills != old_skills:
            changed_before["skills"] = old_skills
            changed_after["skills"] = new_skills
        if changed_after:
            # the bio can be long; the audit keeps that it changed, not the whole text
            for snapshot in (changed_before, changed_after):
                if "bio" in snapshot:
                    snapshot["bio"] = f"<{len(snapshot['bio'])} characters>"
            audit_record(
                actor=actor,
                subject=locked,
                event="profile.updated",
                before=changed_before,
                after=changed_after,
            )
    return locked


def portfolio_item_add(
    *,
    profile: Profile,
    actor: Any,
    kind: str,
    title: str,
    description: str = "",
    url: str = "",
    upload: UploadedFile | None = None,
) -> PortfolioItem:
    """Add an image, a file or a link to a portfolio (at most 30 items)."""
    rules.check_single_line(title)
    if kind not in PortfolioKind.values:
        raise ValidationError(_("Choose image, file or link."), code="kind")
    checked_sha256 = ""
    size = 0
    original_name = ""
    if kind == PortfolioKind.LINK:
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError(
                _("Only links starting with http:// or https:// are allowed."), code="url_scheme"
            )
    else:
        if upload is None:
            raise ValidationError(_("Choose a file to upload."), code="required")
        checked = check_portfolio_upload(kind=kind, upload=upload)
        checked_sha256, size = checked.sha256, checked.size
        original_name = PurePath(upload.name or "").name[-200:]
        url = ""

    stored_name = ""
    try:
        with transaction.atomic():
            locked = Profile.objects.select_for_update().get(pk=profile.pk)
            count = PortfolioItem.objects.filter(profile=locked).count()
            if count >= rules.MAX_PORTFOLIO_ITEMS:
                raise ValidationError(
                    _("A portfolio holds at most %(max)d items. Remove one first.")
                    % {"max": rules.MAX_PORTFOLIO_ITEMS},
                    code="portfolio_full",
                )
            item = PortfolioItem(
                profile=locked,
                kind=kind,
                title=title.strip(),
                description=description.strip(),
                url=url,
                size=size,
                sha256=checked_sha256,
                original_name=original_name,
                position=count,
            )
            item.full_clean(exclude=["profile", "file"])
            if upload is not None and kind != PortfolioKind.LINK:
                # never keep the uploader's file name on disk; the extension was checked above
                extension = PurePath(upload.name or "").suffix.lower()
                item.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
                stored_name = item.file.name or ""
            item.save()
            audit_record(
                actor=actor,
                subject=item,
                event="portfolio_item.added",
                after={"kind": kind, "title": item.title, "sha256": checked_sha256, "url": url},
            )
    except BaseException:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return item


def portfolio_item_remove(*, item: PortfolioItem, actor: Any) -> None:
    """Remove a portfolio item; its file is deleted once the removal is committed."""
    with transaction.atomic():
        locked = PortfolioItem.objects.select_for_update().get(pk=item.pk)
        audit_record(
            actor=actor,
            subject=locked,
            event="portfolio_item.removed",
            before={"kind": locked.kind, "title": locked.title, "sha256": locked.sha256},
        )
        name = locked.file.name if locked.file else ""
        storage = locked.file.storage
        locked.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


def skill_taxonomy_ensure() -> int:
    """Create any seeded skill that is missing (the data migration's list); returns how many.

    The migration seeds the taxonomy once; this puts it back after a database flush (tests
    that truncate tables, a restored dump without it) and never changes existing skills.
    """
    from importlib import import_module

    seeded = import_module("tsunagu.profiles.migrations.0002_seed_skills").SKILLS
    existing = set(Skill.objects.values_list("slug", flat=True))
    missing = [
        Skill(slug=slug, category=category, name_ja=name_ja, name_en=name_en)
        for slug, category, name_ja, name_en in seeded
        if slug not in existing
    ]
    if missing:
        Skill.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def profile_trust_scores_record(*, scores: Mapping[int, tuple[int | None, int | None]]) -> int:
    """Store each person's trust score as (worker, client) by user id; the trust app computes
    them. A derived value, so no audit row; ``updated_at`` is left alone (lists sort by it)."""
    changed = 0
    for user_id, (as_worker, as_client) in sorted(scores.items()):
        for value in (as_worker, as_client):
            if value is not None and not 0 <= value <= 100:
                raise ValueError("a trust score is between 0 and 100")
        changed += (
            Profile.objects.filter(user_id=user_id)
            .exclude(worker_trust_score=as_worker, client_trust_score=as_client)
            .update(worker_trust_score=as_worker, client_trust_score=as_client)
        )
    return changed
