"""Small real files for upload tests, built in memory."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png(name: str = "card.png", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def jpeg(name: str = "face.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (90, 90, 90)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name: str = "licence.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def exe_named_pdf(name: str = "licence.pdf") -> SimpleUploadedFile:
    """A Windows executable dressed up as a PDF: the first bytes give it away."""
    body = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def oversized_pdf(name: str = "huge.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1)
    return SimpleUploadedFile(name, body, content_type="application/pdf")
