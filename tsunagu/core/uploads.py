"""Checks for uploaded files: size, real type from the content (not the name), and sha256.

The browser-supplied name and content type are never trusted; the first bytes decide what the
file is, images must open with Pillow, and the extension has to agree with the content. Files
written inside a transaction are removed again when it rolls back (``atomic_with_files``).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

IMAGE_KINDS = {"png", "jpeg", "gif", "webp"}

# kind -> extensions that may carry it
EXTENSIONS = {
    "png": {".png"},
    "jpeg": {".jpg", ".jpeg"},
    "gif": {".gif"},
    "webp": {".webp"},
    "pdf": {".pdf"},
    "zip": {".zip", ".docx", ".xlsx", ".pptx"},
    "text": {".txt", ".md", ".csv"},
}


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    """The kind of file these first bytes start, or None when unknown."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # a cut multi-byte character at the end of the sample is fine
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                return None
        return "text"
    return None


def check_upload(upload: UploadedFile, *, allowed_kinds: set[str], max_bytes: int) -> CheckedFile:
    """Validate ``upload`` or raise ValidationError with a message for the uploader."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty_file")
    if size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    upload.seek(0)
    head = upload.read(512)
    kind = sniff(head)
    extension = PurePath(upload.name or "").suffix.lower()
    if kind is None or kind not in allowed_kinds or extension not in EXTENSIONS.get(kind, set()):
        allowed = sorted({ext for k in allowed_kinds for ext in EXTENSIONS.get(k, set())})
        raise ValidationError(
            _("This type of file is not accepted. Allowed: %(types)s.")
            % {"types": ", ".join(allowed)},
            code="file_type",
        )
    if kind in IMAGE_KINDS:
        _verify_image(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(kind=kind, size=size, sha256=digest.hexdigest())


def _verify_image(upload: UploadedFile) -> None:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("The image is damaged or not an image."), code="bad_image") from exc
    if width * height > 40_000_000:
        raise ValidationError(_("The image is too large in pixels."), code="image_too_large")
    upload.seek(0)


# --- files written inside a transaction -----------------------------------------------------
#
# A file is written to storage before the row that names it is committed. When the transaction
# rolls back, the row is gone but the file would stay: ``atomic_with_files`` removes every file
# reported with ``file_written`` inside it when it rolls back (an exception leaving it, or
# ``transaction.set_rollback(True)``). Nested blocks hand their files to the enclosing one, which
# decides. A block that commits inside an outer, plain ``atomic`` cannot know whether the outer
# one commits; the orphan sweep (``tsunagu.backups.orphans``) removes such a file later, after a
# grace period, and only when no row names it.

_written = threading.local()


def _stack(using: str) -> list[list[tuple[Storage, str]]]:
    stacks: dict[str, list[list[tuple[Storage, str]]]] = _written.__dict__.setdefault("stacks", {})
    return stacks.setdefault(using, [])


def file_written(field_file: FieldFile, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Report a file just written for a row saved in the current ``atomic_with_files`` block."""
    stack = _stack(using)
    if stack and field_file.name:
        stack[-1].append((field_file.storage, field_file.name))


def _remove(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # already gone, or the storage is unreachable: the sweep tries again
            logger.warning("could not remove %s after a rollback", name, exc_info=True)


@contextmanager
def atomic_with_files(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """``transaction.atomic`` that also removes the files written inside it if it rolls back."""
    files: list[tuple[Storage, str]] = []
    stack = _stack(using)
    stack.append(files)
    rolled_back = False
    try:
        with transaction.atomic(using=using):
            yield
            rolled_back = transaction.get_rollback(using=using)
    except BaseException:
        stack.pop()
        _remove(files)
        raise
    stack.pop()
    if rolled_back:
        _remove(files)
    elif stack:
        stack[-1].extend(files)
