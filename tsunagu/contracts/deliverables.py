"""Integrity checks on delivered files, before they reach the client. No Django in here.

A delivery is refused when a file is empty, damaged, or a document with no content: a .docx
with no text and no pictures, an .xlsx with no cell values, a .pptx with no text and no
pictures, a .pdf whose pages carry no text and no images, or a text file of only white space.
Office files are ZIP containers; their parts are read with a cap on the uncompressed size, so a
ZIP bomb is refused instead of filling memory.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

MAX_PART_BYTES = 50 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024

_WORD_TEXT = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_DRAWING_TEXT = re.compile(rb"<a:t(?:\s[^>]*)?>([^<]*)</a:t>")
_XLSX_VALUE = re.compile(rb"<(?:v|t)(?:\s[^>]*)?>([^<]+)</(?:v|t)>")


class DeliverableProblem(Exception):
    """Why a file cannot be delivered; ``code`` names the reason for the caller to translate."""

    def __init__(self, code: str, name: str) -> None:
        self.code = code
        self.name = name
        super().__init__(f"{name}: {code}")


@dataclass(frozen=True)
class CheckedDeliverable:
    name: str
    size: int
    sha256: str


def check_deliverable(name: str, stream: BinaryIO) -> CheckedDeliverable:
    """Read the whole file once: its hash, its size, and whether it has content."""
    data = stream.read()
    if not data:
        raise DeliverableProblem("empty_file", name)
    extension = PurePath(name).suffix.lower()
    checker = _CHECKERS.get(extension)
    if checker is not None:
        checker(name, data)
    return CheckedDeliverable(name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def _text(name: str, data: bytes) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp932")
        except UnicodeDecodeError as exc:
            raise DeliverableProblem("damaged_file", name) from exc
    if not text.strip():
        raise DeliverableProblem("empty_document", name)


def _open_zip(name: str, data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DeliverableProblem("damaged_file", name) from exc
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise DeliverableProblem("too_large_uncompressed", name)
    return archive


def _read_part(name: str, archive: zipfile.ZipFile, part: str) -> bytes:
    info = archive.getinfo(part)
    if info.file_size > MAX_PART_BYTES:
        raise DeliverableProblem("too_large_uncompressed", name)
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise DeliverableProblem("damaged_file", name) from exc


def _has_media(archive: zipfile.ZipFile, prefix: str) -> bool:
    return any(
        n.startswith(prefix) and not n.endswith("/") and archive.getinfo(n).file_size > 0
        for n in archive.namelist()
    )


def _docx(name: str, data: bytes) -> None:
    with _open_zip(name, data) as archive:
        if "word/document.xml" not in archive.namelist():
            raise DeliverableProblem("damaged_file", name)
        body = _read_part(name, archive, "word/document.xml")
        if any(m.strip() for m in _WORD_TEXT.findall(body)):
            return
        if _has_media(archive, "word/media/"):
            return
    raise DeliverableProblem("empty_document", name)


def _xlsx(name: str, data: bytes) -> None:
    with _open_zip(name, data) as archive:
        names = archive.namelist()
        sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if not sheets:
            raise DeliverableProblem("damaged_file", name)
        for sheet in sheets:
            if any(v.strip() for v in _XLSX_VALUE.findall(_read_part(name, archive, sheet))):
                return
        if _has_media(archive, "xl/media/"):
            return
    raise DeliverableProblem("empty_document", name)


def _pptx(name: str, data: bytes) -> None:
    with _open_zip(name, data) as archive:
        slides = [
            n for n in archive.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml")
        ]
        if not slides:
            raise DeliverableProblem("empty_document", name)
        for slide in slides:
            if any(t.strip() for t in _DRAWING_TEXT.findall(_read_part(name, archive, slide))):
                return
        if _has_media(archive, "ppt/media/"):
            return
    raise DeliverableProblem("empty_document", name)


def _pdf(name: str, data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF-"):
        raise DeliverableProblem("damaged_file", name)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Encrypted PDFs cannot be inspected; the client can still open them with the password.
            return
        for page in reader.pages:
            if (page.extract_text() or "").strip():
                return
            if len(page.images) > 0:
                return
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DeliverableProblem("damaged_file", name) from exc
    raise DeliverableProblem("empty_document", name)


_CHECKERS = {
    ".txt": _text,
    ".md": _text,
    ".csv": _text,
    ".docx": _docx,
    ".xlsx": _xlsx,
    ".pptx": _pptx,
    ".pdf": _pdf,
}
