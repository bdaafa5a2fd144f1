"""Delivering the work and asking for a revision of it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.contracts.deliverables import DeliverableProblem, check_deliverable
from tsunagu.contracts.models import Delivery, DeliveryFile, Milestone, RevisionRequest
from tsunagu.contracts.services.shared import (
    check_allowed,
    contract_terms,
    contract_url,
    lock_milestone,
    move_milestone,
    role_of,
)
from tsunagu.contracts.states import Action, MilestoneState, MilestoneStatus
from tsunagu.core.uploads import atomic_with_files, check_upload, file_written
from tsunagu.notifications.services import notify

MAX_DELIVERY_FILES = 10
MAX_DELIVERY_FILE_BYTES = 20 * 1024 * 1024
DELIVERY_KINDS = {"png", "jpeg", "gif", "webp", "pdf", "zip", "text"}


def delivery_submit(
    *, milestone: Milestone, by: User, message: str, files: Sequence[UploadedFile]
) -> Delivery:
    """Hand over a version of the work. Files are checked before anything is stored."""
    if not message.strip() or len(message) > 5000:
        raise ValidationError({"message": [_("Write a message of at most 5,000 characters.")]})
    if len(files) > MAX_DELIVERY_FILES:
        raise ValidationError({"files": [_("Deliver at most 10 files at a time.")]})
    checked = []
    for upload in files:
        try:
            check_upload(upload, allowed_kinds=DELIVERY_KINDS, max_bytes=MAX_DELIVERY_FILE_BYTES)
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from exc
        upload.seek(0)
        try:
            result = check_deliverable(upload.name or "file", upload)  # type: ignore[arg-type]
        except DeliverableProblem as exc:
            raise ValidationError({"files": [_deliverable_message(exc)]}) from exc
        upload.seek(0)
        checked.append((upload, result))
    with atomic_with_files():
        contract, milestone = lock_milestone(milestone)
        check_allowed(
            Action.DELIVER,
            role=role_of(contract, by),
            contract=contract,
            milestone=MilestoneState(status=milestone.status),
        )
        version = milestone.deliveries.count() + 1
        delivery = Delivery.objects.create(
            milestone=milestone, version=version, message=message.strip(), created_by=by
        )
        for upload, result in checked:
            stored = DeliveryFile.objects.create(
                delivery=delivery,
                file=upload,
                name=result.name[:200],
                size=result.size,
                sha256=result.sha256,
            )
            file_written(stored.file)
        move_milestone(
            milestone,
            MilestoneStatus.DELIVERED,
            by=by,
            event="milestone.delivered",
            note={"version": version},
        )
        now = timezone.now()
        milestone.delivered_at = now
        milestone.inspection_deadline = now + datetime.timedelta(
            days=contract_terms(contract)["inspection_days"]
        )
        milestone.save(update_fields=["delivered_at", "inspection_deadline"])
        notify(
            user=contract.client,
            kind="milestone.delivered",
            message=lambda: (
                _("%(milestone)s was delivered (version %(version)s). Please inspect it.")
                % {"milestone": milestone.title, "version": version}
            ),
            url=contract_url(contract),
        )
    return delivery


def _deliverable_message(problem: DeliverableProblem) -> str:
    messages = {
        "empty_file": _("%(name)s is empty."),
        "empty_document": _("%(name)s has no content. Check that you attached the finished file."),
        "damaged_file": _("%(name)s is damaged and cannot be opened."),
        "too_large_uncompressed": _("%(name)s expands to too much data."),
    }
    return messages.get(problem.code, _("%(name)s cannot be delivered.")) % {"name": problem.name}


def milestone_request_revision(*, milestone: Milestone, by: User, message: str) -> RevisionRequest:
    if not message.strip() or len(message) > 5000:
        raise ValidationError(
            {"message": [_("Say what should change, in at most 5,000 characters.")]}
        )
    with transaction.atomic():
        contract, milestone = lock_milestone(milestone)
        left = contract_terms(contract)["revision_limit"] - milestone.revisions_used
        check_allowed(
            Action.REQUEST_REVISION,
            role=role_of(contract, by),
            contract=contract,
            milestone=MilestoneState(status=milestone.status, revisions_left=left),
        )
        latest = milestone.deliveries.order_by("-version").first()
        assert latest is not None
        request = RevisionRequest.objects.create(
            milestone=milestone, delivery=latest, message=message.strip(), created_by=by
        )
        milestone.revisions_used += 1
        milestone.inspection_deadline = None
        milestone.save(update_fields=["revisions_used", "inspection_deadline"])
        move_milestone(
            milestone,
            MilestoneStatus.REVISION_REQUESTED,
            by=by,
            event="milestone.revision_requested",
        )
        notify(
            user=contract.worker,
            kind="milestone.revision_requested",
            message=lambda: (
                _("The client asked for a revision of %(milestone)s.")
                % {"milestone": milestone.title}
            ),
            url=contract_url(contract),
        )
    return request
