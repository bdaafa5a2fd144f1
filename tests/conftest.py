"""Settings every test shares: tasks run at once, files go to a temporary folder, mail to memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.storage import storages


@pytest.fixture(autouse=True)
def _isolated_settings(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "ja"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # storages caches backends; forget them so the private location above is used
    storages._storages = {}  # type: ignore[attr-defined]
    cache.clear()
    yield
    storages._storages = {}  # type: ignore[attr-defined]
    cache.clear()
