"""The settings every test runs with, for the per-test fixture (tests/conftest.py) and for
fixtures that outlive one test (the demo's shared runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.files.storage import storages


def isolated_settings(root: Path, base_storages: dict[str, Any]) -> dict[str, Any]:
    """The settings every test runs with, files kept under ``root``."""
    return {
        "TASKS": {
            "default": {
                "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                "QUEUES": ["default"],
            }
        },
        "MEDIA_ROOT": root / "media",
        "PRIVATE_MEDIA_ROOT": root / "private",
        "STORAGES": {
            **base_storages,
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(root / "private"), "base_url": None},
            },
        },
        "BACKUP_DIR": root / "backups",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LANGUAGE_CODE": "ja",
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    }


def storages_forget() -> None:
    """storages caches backends; forget them so that the private location in use is read again."""
    storages._storages = {}  # type: ignore[attr-defined]
    cache.clear()
