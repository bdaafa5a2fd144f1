"""Self-service export: one ZIP of a person's data, built by a task, announced by e-mail, and
downloadable once, by that person only, before it expires."""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.backups.factories import site_with_work
from tsunagu.backups.export import ExportRefused, data_export_request
from tsunagu.backups.models import DataExport, ExportState
from tsunagu.messaging.evidence import verify_bundle
from tsunagu.notifications.models import OutgoingEmail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evidence_key(settings: Any, tmp_path: Any) -> None:
    settings.EVIDENCE_KEY_PATH = tmp_path / "evidence.pem"


def _link(user: Any) -> str:
    for email in OutgoingEmail.objects.filter(to=user.email).order_by("-pk"):
        found = re.search(r"https?://[^/\s]+(/account/data-export/\d+/\S+)", email.body)
        if found:
            return found.group(1)
    raise AssertionError("no e-mail with a download link")


def test_the_export_holds_the_persons_data_and_the_link_works_once(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    site = site_with_work()
    worker = site.paid.worker
    client.force_login(worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:page"))
    assert response.status_code == 302
    export = DataExport.objects.get(user=worker)
    assert export.state == ExportState.READY and export.progress == 100
    page = client.get(reverse("exports:page")).content.decode()
    assert "ダウンロードできます" in page

    link = _link(worker)
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith('attachment; filename="tsunagu-export-')
    assert download.streaming  # written out from a file, not held in memory
    archive = zipfile.ZipFile(io.BytesIO(download.getvalue()))
    names = set(archive.namelist())
    assert {
        "profile/account.json",
        "profile/profile.json",
        "contracts/contracts.json",
        "contracts/terms.json",
        "billing/invoices.json",
        "ledger/transfers.json",
        "reviews/received.json",
        "analytics/views_by_day.json",
        f"messages/room-{site.room.pk}-evidence.zip",
    } <= names
    assert any(n.startswith("contracts/deliveries/") for n in names)
    account = json.loads(archive.read("profile/account.json"))
    assert account[0]["fields"]["email"] == worker.email
    assert "password" not in account[0]["fields"]
    terms = json.loads(archive.read("contracts/terms.json"))
    assert {t["fields"]["contract"] for t in terms} == {site.paid.pk}
    assert verify_bundle(archive.read(f"messages/room-{site.room.pk}-evidence.zip")).ok

    # once: the second click finds nothing, and the file is gone
    assert client.get(link).status_code == 404
    export.refresh_from_db()
    assert export.state == ExportState.DOWNLOADED and not export.file


def test_the_link_is_for_that_person_only_and_expires(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    owner, other = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        data_export_request(user=owner)
    link = _link(owner)

    assert client.get(link).status_code == 302  # to the login page
    client.force_login(other)
    assert client.get(link).status_code == 404
    client.force_login(owner)
    wrong = re.sub(r"/[^/]+/$", "/not-the-token/", link)
    assert client.get(wrong).status_code == 404

    DataExport.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    refused = client.get(link)
    assert refused.status_code == 404 and "期限" in refused.content.decode()
    assert DataExport.objects.get().state == ExportState.READY  # still there for the sweep


def test_one_export_at_a_time() -> None:
    user = UserFactory()
    data_export_request(user=user)  # not built: the task runs after the commit
    with pytest.raises(ExportRefused):
        data_export_request(user=user)
    assert DataExport.objects.count() == 1


def test_the_page_needs_a_signed_in_person_and_shows_progress(client: Client) -> None:
    url = reverse("exports:page")
    assert client.get(url).status_code == 302
    user, other = UserFactory(), UserFactory()
    DataExport.objects.create(user=other, state=ExportState.RUNNING, progress=40)
    client.force_login(user)
    assert "40%" not in client.get(url).content.decode()  # another person's export
    DataExport.objects.create(user=user, state=ExportState.RUNNING, progress=60)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "60%" in partial and "hx-trigger" in partial
    client.cookies["tsunagu_language"] = "en"
    assert "Download my data" in client.get(url).content.decode()
