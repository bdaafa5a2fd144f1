"""The backup archive: one tar holding the database snapshot, every stored file and a manifest.

Layout::

    database/<vendor file>          the SQLite copy or the pg_dump custom-format dump
    files/<storage alias>/<name>    every file of every backed-up storage, under its stored name
    manifest.json                   format, time, vendor, per-member size and sha256, row counts
                                    and ledger totals of the snapshot
    manifest.json.sha256            the sha256 of manifest.json

``archive_check`` reads the whole archive before anything is restored: every member must be in
the manifest with its size and sha256 and the reverse, the manifest must match its own sum, and
the tar's padding must be zeros, so that one changed byte anywhere or a truncated file is refused.
An archive may be encrypted to age public keys (``.tar.age``); decryption authenticates it.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

import pyrage
from django.core.files.storage import Storage
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.json.sha256"
CHUNK = 1024 * 1024
BLOCK = tarfile.BLOCKSIZE


class ArchiveDamaged(Exception):
    """The archive is not whole: nothing was restored from it."""


@dataclass
class Manifest:
    created_at: str
    vendor: str
    database: str
    members: dict[str, dict[str, Any]]
    tables: dict[str, int]
    ledger: dict[str, dict[str, int]]
    format: int = FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> bytes:
        data = {
            "format": self.format,
            "created_at": self.created_at,
            "vendor": self.vendor,
            "database": self.database,
            "members": self.members,
            "tables": self.tables,
            "ledger": self.ledger,
            **self.extra,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        data = json.loads(raw)
        known = {"format", "created_at", "vendor", "database", "members", "tables", "ledger"}
        return cls(
            format=int(data["format"]),
            created_at=str(data["created_at"]),
            vendor=str(data["vendor"]),
            database=str(data["database"]),
            members={str(k): dict(v) for k, v in data["members"].items()},
            tables={str(k): int(v) for k, v in data["tables"].items()},
            ledger={
                str(k): {str(a): int(b) for a, b in v.items()} for k, v in data["ledger"].items()
            },
            extra={k: v for k, v in data.items() if k not in known},
        )

    def files(self) -> Iterator[tuple[str, str, str]]:
        """(member, storage alias, stored name) of every stored file."""
        for member in sorted(self.members):
            parts = PurePosixPath(member).parts
            if parts[0] == "files":
                yield member, parts[1], "/".join(parts[2:])


def stored_files(storage: Storage, path: str = "") -> Iterator[str]:
    """Every file name in ``storage`` (through the storage API, so any backend works)."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from stored_files(storage, f"{path}/{directory}" if path else directory)


def file_member(alias: str, name: str) -> str:
    return f"files/{alias}/{name}"


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and (
            name in (MANIFEST, MANIFEST_SUM)
            or (path.parts[0] == "database" and len(path.parts) == 2)
            or (path.parts[0] == "files" and len(path.parts) >= 3)
        )
    )


class _Hashing(io.RawIOBase):
    """Reads through to ``source`` while hashing and reporting progress."""

    def __init__(self, source: IO[bytes], advance: Callable[[int], object]) -> None:
        self.source, self.advance, self.digest = source, advance, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        self.advance(len(data))
        return data


def archive_write(
    path: Path,
    *,
    database_file: Path,
    database_member: str,
    storages: dict[str, Storage],
    manifest: Manifest,
    advance: Callable[[int], object] = lambda n: None,
) -> int:
    """Write the archive to ``path``; fills ``manifest.members``; returns the number of files."""
    count = 0
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:

        def add(member: str, source: IO[bytes], size: int, mtime: float) -> None:
            info = tarfile.TarInfo(member)
            info.size, info.mtime, info.mode = size, int(mtime), 0o640
            reader = _Hashing(source, advance)
            tar.addfile(info, reader)
            manifest.members[member] = {"size": size, "sha256": reader.digest.hexdigest()}

        with database_file.open("rb") as handle:
            stat = database_file.stat()
            add(database_member, handle, stat.st_size, stat.st_mtime)
        for alias, storage in storages.items():
            for name in stored_files(storage):
                with storage.open(name, "rb") as stored:
                    add(file_member(alias, name), stored, storage.size(name), 0)
                count += 1
        raw = manifest.to_json()
        for member, data in (
            (MANIFEST, raw),
            (MANIFEST_SUM, hashlib.sha256(raw).hexdigest().encode()),
        ):
            info = tarfile.TarInfo(member)
            info.size, info.mode = len(data), 0o640
            tar.addfile(info, io.BytesIO(data))
    return count


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def encrypt(path: Path, recipients: list[str]) -> Path:
    """Encrypt ``path`` to the age public keys; returns the ``.age`` file (the plain one is removed)."""
    try:
        keys = [pyrage.x25519.Recipient.from_str(r.strip()) for r in recipients]
    except pyrage.RecipientError as exc:
        raise ValueError(_("The backup key is not an age public key (age1…).")) from exc
    target = path.with_name(path.name + ".age")
    pyrage.encrypt_file(str(path), str(target), keys)
    path.unlink()
    return target


def decrypt(path: Path, identity_file: Path, into: Path) -> Path:
    """Decrypt an ``.age`` archive with the identities in ``identity_file`` into folder ``into``."""
    try:
        lines = identity_file.read_text().splitlines()
        identities = [
            pyrage.x25519.Identity.from_str(line.strip())
            for line in lines
            if line.strip() and not line.startswith("#")
        ]
    except (OSError, pyrage.IdentityError) as exc:
        raise ArchiveDamaged(_("The key file cannot be read as an age identity.")) from exc
    target = into / path.name.removesuffix(".age")
    try:
        pyrage.decrypt_file(str(path), str(target), identities)
    except (pyrage.DecryptError, OSError) as exc:  # a damaged stream surfaces as OSError
        target.unlink(missing_ok=True)
        raise ArchiveDamaged(
            _("The archive cannot be decrypted: it is damaged or the key does not match.")
        ) from exc
    return target


def _zeros(handle: IO[bytes], start: int, end: int) -> bool:
    handle.seek(start)
    remaining = end - start
    while remaining > 0:
        data = handle.read(min(CHUNK, remaining))
        if not data or data.count(0) != len(data):
            return False
        remaining -= len(data)
    return True


def archive_check(path: Path, advance: Callable[[int], object] = lambda n: None) -> Manifest:
    """Read the whole (plain) archive and return its manifest, or raise ArchiveDamaged."""
    seen: dict[str, dict[str, Any]] = {}
    manifest_raw = manifest_sum = None
    end = 0
    try:
        with path.open("rb") as raw, tarfile.open(fileobj=raw, mode="r:") as tar:
            for info in tar:
                if not info.isfile() or not _safe_member(info.name) or info.name in seen:
                    raise ArchiveDamaged(
                        _("The archive holds an unexpected entry: %(name)s") % {"name": info.name}
                    )
                source = tar.extractfile(info)
                assert source is not None
                digest, size = hashlib.sha256(), 0
                data = b""
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    advance(len(chunk))
                    if info.name in (MANIFEST, MANIFEST_SUM):
                        data += chunk
                if size != info.size:
                    raise ArchiveDamaged(_("The archive is truncated."))
                if info.name == MANIFEST:
                    manifest_raw = data
                elif info.name == MANIFEST_SUM:
                    manifest_sum = data
                else:
                    seen[info.name] = {"size": size, "sha256": digest.hexdigest()}
                end = info.offset_data + -(-info.size // BLOCK) * BLOCK
                # the padding after a member's data is zeros in a whole archive
                position = raw.tell()
                if not _zeros(raw, info.offset_data + info.size, end):
                    raise ArchiveDamaged(_("The archive was changed after it was written."))
                raw.seek(position)
            total = path.stat().st_size
            # the end: two zero blocks, padded with zeros to a whole record, as tarfile writes it
            whole = total % tarfile.RECORDSIZE == 0 and total >= end + 2 * BLOCK
            if not whole:
                raise ArchiveDamaged(_("The archive is truncated."))
            if not _zeros(raw, end, total):
                raise ArchiveDamaged(_("The archive was changed after it was written."))
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveDamaged(
            _("The archive cannot be read (%(error)s): it is damaged or truncated.")
            % {"error": exc}
        ) from exc
    if manifest_raw is None or manifest_sum is None:
        raise ArchiveDamaged(_("The archive has no manifest: it is incomplete."))
    if hashlib.sha256(manifest_raw).hexdigest().encode() != manifest_sum.strip():
        raise ArchiveDamaged(_("The manifest does not match its checksum."))
    try:
        manifest = Manifest.from_json(manifest_raw)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ArchiveDamaged(_("The manifest cannot be read.")) from exc
    if manifest.format != FORMAT:
        raise ArchiveDamaged(
            _("This archive has format %(format)s, which this version cannot restore.")
            % {"format": manifest.format}
        )
    for member, expected in sorted(manifest.members.items()):
        found = seen.get(member)
        if found is None:
            raise ArchiveDamaged(_("The archive is missing %(name)s.") % {"name": member})
        if found["sha256"] != expected.get("sha256") or found["size"] != expected.get("size"):
            raise ArchiveDamaged(
                _("%(name)s does not match its sha256 in the manifest.") % {"name": member}
            )
    extra = sorted(set(seen) - set(manifest.members))
    if extra:
        raise ArchiveDamaged(
            _("The archive holds an entry the manifest does not name: %(name)s")
            % {"name": extra[0]}
        )
    if manifest.database not in manifest.members:
        raise ArchiveDamaged(_("The archive holds no database snapshot."))
    return manifest


def archive_extract(path: Path, member: str, into: IO[bytes]) -> None:
    with tarfile.open(path, "r:") as tar:
        source = tar.extractfile(member)
        assert source is not None
        while chunk := source.read(CHUNK):
            into.write(chunk)


def archive_members(path: Path) -> Iterator[tuple[str, IO[bytes]]]:
    """Each member's name and contents, in archive order (for restoring files)."""
    with tarfile.open(path, "r:") as tar:
        for info in tar:
            source = tar.extractfile(info)
            if source is not None:
                yield info.name, source
