"""The sweep removes old files no row names, and never one a row names or one being written."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from tests.contracts.docs import docx
from tests.trust.factories import funded
from tsunagu.backups.orphans import orphans_sweep, upload_prefixes
from tsunagu.contracts.models import DeliveryFile
from tsunagu.contracts.services import delivery_submit

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _age(alias: str, name: str, days: int) -> None:
    path = storages[alias].path(name)
    moment = (timezone.now() - days * DAY).timestamp()
    os.utime(path, (moment, moment))


def test_old_orphans_go_and_referenced_young_or_foreign_files_stay() -> None:
    contract = funded()
    delivery_submit(
        milestone=contract.milestones.get(), by=contract.worker, message="納品", files=[docx()]
    )
    referenced = DeliveryFile.objects.get().file.name
    private, public = storages["private"], storages["default"]
    orphan = private.save("deliveries/2026/01/lost.docx", ContentFile(b"crash"))
    young = private.save("deliveries/2026/01/being-written.docx", ContentFile(b"new"))
    public_orphan = public.save("portfolio/2026/01/lost.png", ContentFile(b"png"))
    foreign = public.save("notes/readme.txt", ContentFile(b"not an upload"))
    for alias, name in (
        ("private", referenced),
        ("private", orphan),
        ("default", public_orphan),
        ("default", foreign),
    ):
        _age(alias, name, days=30)

    removed = orphans_sweep(grace=DAY)

    assert sorted(removed) == [("default", public_orphan), ("private", orphan)]
    assert private.exists(referenced) and private.exists(young) and public.exists(foreign)
    assert not private.exists(orphan) and not public.exists(public_orphan)
    assert orphans_sweep(grace=DAY) == []  # idempotent


def test_the_sweep_only_looks_under_upload_folders() -> None:
    assert {"deliveries/", "messages/", "portfolio/", "verification/"} <= upload_prefixes()
    assert "notes/" not in upload_prefixes()
