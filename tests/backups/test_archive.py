"""Archives: what is in them, and damaged or encrypted ones refused before anything is written."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pyrage
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.accounts.factories import UserFactory
from tsunagu.accounts.models import User
from tsunagu.backups import archive
from tsunagu.backups.archive import MANIFEST, ArchiveDamaged, archive_check
from tsunagu.backups.errors import RestoreRefused
from tsunagu.backups.services import backup_create, backup_restore, backup_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(tmp_path: Path) -> Path:
    UserFactory()
    storages["default"].save("portfolio/2026/12/work.png", ContentFile(b"\x89PNG public"))
    storages["private"].save("deliveries/2026/12/d.docx", ContentFile(b"PK private" * 100))
    return Path(backup_create(out=tmp_path / "out").path)


def _site() -> tuple[int, list[str], list[str]]:
    return (
        User.objects.count(),
        list(archive.stored_files(storages["default"])),
        list(archive.stored_files(storages["private"])),
    )


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _offset_of(path: Path, member: str) -> int:
    with tarfile.open(path) as tar:
        return tar.getmember(member).offset_data


def test_the_archive_holds_the_database_every_file_and_a_manifest(made: Path) -> None:
    manifest = archive_check(made)
    assert made.name.startswith("tsunagu-backup-") and made.suffix == ".tar"
    assert set(manifest.members) == {
        manifest.database,
        "files/default/portfolio/2026/12/work.png",
        "files/private/deliveries/2026/12/d.docx",
    }
    # committed rows only: this test's own transaction is not in the snapshot
    assert manifest.tables["accounts_user"] == 0 < User.objects.count()
    assert "ledger_transfer" in manifest.tables
    with tarfile.open(made) as tar:
        names = tar.getnames()
        raw = tar.extractfile(MANIFEST).read()  # type: ignore[union-attr]
    assert names[-2:] == [MANIFEST, "manifest.json.sha256"]
    assert json.loads(raw)["members"]["files/private/deliveries/2026/12/d.docx"]["size"] == 1000


@pytest.mark.parametrize("where", ["database", "file", "manifest", "padding", "trailer"])
def test_one_changed_byte_anywhere_is_refused_and_nothing_is_written(
    made: Path, where: str
) -> None:
    if where == "database":
        offset = _offset_of(made, archive_check(made).database) + 5000
    elif where == "file":
        offset = _offset_of(made, "files/private/deliveries/2026/12/d.docx") + 10
    elif where == "manifest":
        offset = _offset_of(made, MANIFEST) + 30
    elif where == "padding":  # after the 1000 bytes of the file, before the next header
        offset = _offset_of(made, "files/private/deliveries/2026/12/d.docx") + 1001
    else:
        offset = made.stat().st_size - 100
    before = _site()
    _flip(made, offset)
    with pytest.raises(ArchiveDamaged):
        archive_check(made)
    with pytest.raises(CommandError, match="アーカイブが壊れています"):
        call_command("restore", str(made), "--force", "--no-progress")
    assert _site() == before


@pytest.mark.parametrize("cut", ["half", "in the last file", "in the trailing zeros"])
def test_a_truncated_archive_is_refused(made: Path, cut: str) -> None:
    data = made.read_bytes()
    keep = {
        "half": len(data) // 2,
        "in the last file": _offset_of(made, MANIFEST) + 10,
        "in the trailing zeros": len(data) - 10,
    }[cut]
    made.write_bytes(data[:keep])
    before = _site()
    with pytest.raises(CommandError, match="アーカイブが壊れています"):
        call_command("restore", str(made), "--force", "--no-progress")
    assert _site() == before


def test_a_missing_archive_and_a_live_site_are_refused(made: Path, tmp_path: Path) -> None:
    with pytest.raises(ArchiveDamaged, match="アーカイブがありません"):
        backup_restore(path=tmp_path / "nothing.tar")
    before = _site()
    with pytest.raises(RestoreRefused, match="--force"):
        backup_restore(path=made)
    assert _site() == before


def test_encrypted_to_an_age_key_and_only_that_key_opens_it(tmp_path: Path) -> None:
    UserFactory()
    identity = pyrage.x25519.Identity.generate()
    key_file = tmp_path / "key.txt"
    key_file.write_text(f"# backup key\n{identity}\n")
    backup = backup_create(out=tmp_path / "out", recipients=[str(identity.to_public())])
    path = Path(backup.path)
    assert backup.encrypted and path.name.endswith(".tar.age")
    assert not list((tmp_path / "out").glob("*.tar"))  # no plain copy left behind
    assert b"accounts_user" not in path.read_bytes()
    assert backup_verify(backup=backup).verification == "verified"

    plain = archive.decrypt(path, key_file, tmp_path)
    assert archive_check(plain).vendor in ("sqlite", "postgresql")

    with pytest.raises(ArchiveDamaged, match="--identity"):
        backup_restore(path=path)
    other = tmp_path / "other.txt"
    other.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    with pytest.raises(ArchiveDamaged, match="復号できません"):
        backup_restore(path=path, identity=other)
    _flip(path, path.stat().st_size // 2)
    with pytest.raises(ArchiveDamaged, match="復号できません"):
        backup_restore(path=path, identity=key_file)
    assert backup_verify(backup=backup).verification == "failed"


def test_a_bad_public_key_is_refused_and_leaves_no_archive(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="age の公開鍵"):
        call_command(
            "backup", "--out", str(tmp_path / "out"), "--encrypt-to", "age1nope", "--no-progress"
        )
    assert not [p for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")]
