from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tsunagu.core.uploads import check_upload, sniff


def png_bytes(size: tuple[int, int] = (4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 110, 80)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_real_png_passes_with_its_sha256() -> None:
    data = png_bytes()
    checked = check_upload(
        SimpleUploadedFile("a.png", data), allowed_kinds={"png", "jpeg"}, max_bytes=1_000_000
    )
    assert checked.kind == "png"
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


def test_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("a.png", b""), allowed_kinds={"png"}, max_bytes=10)
    assert exc.value.code == "empty_file"


def test_oversized_file_is_refused_with_both_sizes_in_the_message() -> None:
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("a.png", png_bytes()), allowed_kinds={"png"}, max_bytes=10)
    assert exc.value.code == "file_too_large"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 100),  # a Windows program renamed to .pdf
        ("photo.png", b"%PDF-1.7\n..."),  # a PDF renamed to .png
        ("photo.jpg", png_bytes()),  # content and extension disagree
        ("notes.exe", b"plain text"),  # text, but an extension we never accept
    ],
)
def test_disguised_files_are_refused(name: str, data: bytes) -> None:
    with pytest.raises(ValidationError) as exc:
        check_upload(
            SimpleUploadedFile(name, data),
            allowed_kinds={"png", "jpeg", "pdf", "text"},
            max_bytes=1_000_000,
        )
    assert exc.value.code == "file_type"


def test_a_truncated_image_is_refused() -> None:
    data = png_bytes((64, 64))[:60]
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("a.png", data), allowed_kinds={"png"}, max_bytes=1_000_000)
    assert exc.value.code == "bad_image"


def test_sniff_knows_the_office_container_and_utf8_text() -> None:
    assert sniff(b"PK\x03\x04rest") == "zip"
    assert sniff("日本語のテキスト".encode()) == "text"
    assert sniff(b"\x00\x01\x02") is None


def test_upload_errors_are_in_the_users_language() -> None:
    from django.utils import translation

    with translation.override("ja"), pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("a.png", b""), allowed_kinds={"png"}, max_bytes=10)
    assert exc.value.messages == ["ファイルが空です。"]
