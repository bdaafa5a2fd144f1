"""Self-service data export: a person asks, a background task builds one ZIP of everything
Tsunagu holds about them (every registered exporter, ``tsunagu.core.exports``), an e-mail says it
is ready, and the link downloads it once, for that person only, before it expires."""

from __future__ import annotations

import datetime
import hashlib
import io
import secrets
import shutil
import tempfile
import zipfile
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.backups.models import DataExport, ExportState
from tsunagu.core.exports import exporters
from tsunagu.core.links import site_url
from tsunagu.core.uploads import atomic_with_files, file_written
from tsunagu.notifications.services import email_queue, notify

EXPIRES_AFTER = datetime.timedelta(days=7)
_OPEN = (ExportState.QUEUED, ExportState.RUNNING)


class ExportRefused(Exception):
    pass


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def data_export_request(*, user: User) -> DataExport:
    """Ask for an export; one at a time. The build runs in a task after the commit."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        if DataExport.objects.filter(user=user, state__in=_OPEN).exists():
            raise ExportRefused(_("Your export is already being built."))
        export = DataExport.objects.create(user=user)
        export_id = export.pk

        def enqueue() -> None:
            from tsunagu.backups.tasks import data_export_build_task

            data_export_build_task.enqueue(export_id=export_id)

        transaction.on_commit(enqueue)
    return export


def data_export_build(*, export_id: int) -> str:
    """Build the ZIP (idempotent: an export no longer queued is left alone)."""
    claimed = DataExport.objects.filter(pk=export_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING, progress=0
    )
    if not claimed:
        return "skipped"
    export = DataExport.objects.select_related("user").get(pk=export_id)
    found = exporters()
    # on disk, not in memory: years of deliveries and rooms add up
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after storage has copied it
    try:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for done, (name, exporter) in enumerate(found.items(), 1):
                for path, data in exporter(export.user_id):
                    archive.writestr(f"{name}/{path}", data)
                DataExport.objects.filter(pk=export_id).update(
                    progress=min(99, done * 100 // max(len(found), 1))
                )
    except Exception:
        spool.close()
        DataExport.objects.filter(pk=export_id).update(state=ExportState.FAILED)
        raise
    with spool:
        size = spool.seek(0, io.SEEK_END)
        spool.seek(0)
        return _ready(export, File(spool), size)


def _ready(export: DataExport, content: File[Any], size: int) -> str:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with atomic_with_files():
        export.file.save(f"{secrets.token_hex(16)}.zip", content, save=False)
        file_written(export.file)
        export.size = size
        export.state, export.progress = ExportState.READY, 100
        export.token_hash, export.ready_at = _hash(token), now
        export.expires_at = now + EXPIRES_AFTER
        export.save()
        link = reverse("exports:download", args=[export.pk, token])
        email_queue(
            to=export.user.email,
            subject=_("Your Tsunagu data export is ready"),
            body=_(
                "Everything Tsunagu holds about you is ready as one ZIP file.\n\n"
                "Download it (the link works once, for you only, until %(expires)s):\n%(link)s\n"
            )
            % {"expires": f"{export.expires_at:%Y-%m-%d %H:%M} UTC", "link": site_url(link)},
        )
        notify(
            user=export.user,
            kind="export.ready",
            message=lambda: _("Your data export is ready."),
            url=reverse("exports:page"),
        )
    return "ready"


def data_export_download(*, user: User, export_id: int, token: str) -> tuple[str, IO[bytes]]:
    """The ZIP as an open file to stream, once: afterwards the link is spent and the file removed. Anyone but its owner,
    a wrong token, a spent or an expired link is refused with the same answer (ExportRefused)."""
    with transaction.atomic():
        export = DataExport.objects.select_for_update().filter(pk=export_id, user=user).first()
        if (
            export is None
            or export.state != ExportState.READY
            or not export.token_hash
            or not secrets.compare_digest(export.token_hash, _hash(token))
        ):
            raise ExportRefused(_("This download link does not work (any more)."))
        if export.expires_at is None or export.expires_at <= timezone.now():
            raise ExportRefused(_("This download link has expired. Ask for a new export."))
        # a copy to hand out while the stored file goes once this commits
        copy = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it when sent
        with export.file.open("rb") as handle:
            shutil.copyfileobj(handle, copy)
        copy.seek(0)
        name = export.file.name
        storage = export.file.storage
        export.state, export.downloaded_at, export.file = ExportState.DOWNLOADED, timezone.now(), ""
        export.save(update_fields=["state", "downloaded_at", "file"])
        transaction.on_commit(lambda: storage.delete(name))
    return f"tsunagu-export-{timezone.localdate():%Y%m%d}.zip", copy


def data_exports_expire() -> int:
    """Remove the files of exports whose link expired unused; returns how many."""
    count = 0
    for export in DataExport.objects.filter(
        state=ExportState.READY, expires_at__lte=timezone.now()
    ):
        name, storage = export.file.name, export.file.storage
        DataExport.objects.filter(pk=export.pk, state=ExportState.READY).update(
            state=ExportState.EXPIRED, file=""
        )
        if name:
            storage.delete(name)
        count += 1
    return count
