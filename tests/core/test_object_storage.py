"""Files in S3-compatible object storage (S3_BUCKET), against a local S3 server (moto).

Private files leave only through signed, short-lived URLs, and only after the view's permission
check: a second user gets 404 and no URL at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from email.message import Message
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.storage import storages
from django.test import Client

from tests.accounts import files
from tests.accounts.factories import UserFactory
from tests.support.services import s3_server
from tsunagu.accounts import services
from tsunagu.accounts.models import DocumentKind

pytestmark = pytest.mark.django_db

BUCKET = "tsunagu-test"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as endpoint:
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS).create_bucket(
            Bucket=BUCKET
        )
        yield endpoint


@pytest.fixture
def object_storage(settings: Any, s3_endpoint: str) -> Iterator[str]:
    common = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_endpoint,
        "region_name": "us-east-1",
        "access_key": KEYS["aws_access_key_id"],
        "secret_key": KEYS["aws_secret_access_key"],
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
    }
    settings.PRIVATE_URL_SECONDS = 45
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "media"},
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "private", "querystring_auth": True},
        },
    }
    storages._storages = {}  # type: ignore[attr-defined]
    yield s3_endpoint
    storages._storages = {}  # type: ignore[attr-defined]


def _objects(endpoint: str) -> list[str]:
    listed = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS)
    return [item["Key"] for item in listed.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def _fetch(url: str) -> tuple[bytes, Message]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (the local server)
        return response.read(), response.headers


def test_a_private_file_is_stored_in_the_bucket_and_served_by_a_signed_url(
    client: Client, object_storage: str, tmp_path: Any
) -> None:
    owner = UserFactory(legal_family_name="山田", legal_given_name="花子")
    document = services.verification_document_submit(
        user=owner,
        kind=DocumentKind.IDENTITY_DOCUMENT,
        upload=files.png(),
        document_type="drivers_license",
    )
    assert f"private/{document.file.name}" in _objects(object_storage)
    assert not (tmp_path / "private").exists()  # nothing written to the local folder

    url = f"/account/verification/documents/{document.pk}/file/"
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    assert signed.startswith(f"{object_storage}/{BUCKET}/private/")
    query = parse_qs(urlsplit(signed).query)
    assert query["X-Amz-Expires"] == ["45"]
    assert query["X-Amz-Signature"]
    assert query["response-content-type"] == ["image/png"]
    body, headers = _fetch(signed)
    assert body.startswith(b"\x89PNG")
    assert headers["Content-Type"] == "image/png"
    assert headers["Content-Disposition"].startswith("inline")

    # a second user is refused before any URL is made
    client.force_login(UserFactory())
    refused = client.get(url)
    assert refused.status_code == 404
    assert "Location" not in refused


def test_a_pdf_is_signed_as_a_download(client: Client, object_storage: str) -> None:
    owner = UserFactory(legal_family_name="山田", legal_given_name="花子")
    document = services.verification_document_submit(
        user=owner,
        kind=DocumentKind.IDENTITY_DOCUMENT,
        upload=files.pdf(),
        document_type="passport",
    )
    client.force_login(owner)
    signed = client.get(f"/account/verification/documents/{document.pk}/file/")["Location"]
    body, headers = _fetch(signed)
    assert body.startswith(b"%PDF-")
    assert headers["Content-Disposition"].startswith("attachment")
    assert f"document-{document.pk}.pdf" in headers["Content-Disposition"]


def test_deleting_a_document_removes_it_from_the_bucket(object_storage: str) -> None:
    document = services.verification_document_submit(
        user=UserFactory(legal_family_name="山田", legal_given_name="花子"),
        kind=DocumentKind.IDENTITY_DOCUMENT,
        upload=files.png(),
        document_type="drivers_license",
    )
    key = f"private/{document.file.name}"
    assert key in _objects(object_storage)
    storages["private"].delete(document.file.name)
    assert key not in _objects(object_storage)


def test_s3_bucket_in_the_environment_switches_both_storages() -> None:
    env = {
        **os.environ,
        "S3_BUCKET": "files",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "PRIVATE_URL_SECONDS": "30",
    }
    script = (
        "import json; from tsunagu import settings as s; print(json.dumps({"
        "'default': s.STORAGES['default'], 'private': s.STORAGES['private'],"
        "'img': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    found = json.loads(out)
    assert found["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["private"]["OPTIONS"]["location"] == "private"
    assert found["private"]["OPTIONS"]["querystring_expire"] == 30
    assert found["private"]["OPTIONS"]["bucket_name"] == "files"
    assert "http://127.0.0.1:9000" in found["img"]
