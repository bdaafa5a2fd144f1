"""Evidence bundles: a room's whole record as a ZIP that can be checked offline.

The bundle holds ``messages.json`` (every entry with its hashes), ``index.html`` (the same,
readable), the attachments, ``manifest.json`` (the SHA-256 of every file, the room and the
chain's head) and ``manifest.sig`` (an Ed25519 signature of the manifest by the platform's key,
whose public half is in ``public_key.pem``). ``verify_bundle`` needs nothing but the file (and,
to be sure the key is the platform's, its public key or fingerprint): it checks the signature,
every file's hash and the chain, and names the first altered message.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tsunagu.messaging import chain

FORMAT = "tsunagu-evidence/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public_key.pem"


# --- the platform's key ---------------------------------------------------------------------


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The signing key kept at ``path`` (PEM), created on first use with owner-only access."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 private key")
        return key
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.touch(mode=0o600)
    path.write_bytes(pem)
    return key


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


# --- writing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BundleFile:
    path: str
    content: bytes


def build_bundle(
    *,
    room: dict[str, Any],
    entries: list[dict[str, Any]],
    attachments: list[BundleFile],
    exported_at: str,
    exported_by: str,
    key: Ed25519PrivateKey,
) -> bytes:
    """Write the ZIP. ``entries`` are dicts with the chain fields plus display fields."""
    messages_json = json.dumps(
        {"format": FORMAT, "room": room, "entries": entries}, ensure_ascii=False, indent=1
    ).encode()
    index_html = _render_html(room, entries, exported_at).encode()
    files = [
        BundleFile("messages.json", messages_json),
        BundleFile("index.html", index_html),
        *attachments,
    ]
    head = entries[-1]["hash"] if entries else chain.GENESIS
    manifest = {
        "format": FORMAT,
        "room": room,
        "exported_at": exported_at,
        "exported_by": exported_by,
        "entries": len(entries),
        "head_hash": head,
        "public_key_sha256": fingerprint(key.public_key()),
        "files": {f.path: hashlib.sha256(f.content).hexdigest() for f in files},
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    signature = base64.b64encode(key.sign(manifest_bytes))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for f in files:
            archive.writestr(f.path, f.content)
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, signature)
        archive.writestr(PUBLIC_KEY, public_pem(key.public_key()))
    return buffer.getvalue()


def _render_html(room: dict[str, Any], entries: list[dict[str, Any]], exported_at: str) -> str:
    e = html.escape
    rows = []
    for entry in entries:
        label = {
            "message": "",
            "edit": f"✎ edit of #{entry['target_seq']}",
            "delete": f"🗑 deletion of #{entry['target_seq']}",
        }[entry["kind"]]
        files = "".join(
            f'<li><a href="{e(a["path"])}">{e(a["name"])}</a> <code>{e(a["sha256"])}</code></li>'
            for a in entry.get("attachments", [])
        )
        rows.append(
            f'<tr id="m{entry["seq"]}"><td>#{entry["seq"]}</td><td>{e(entry["created_at"])}</td>'
            f"<td>{e(entry.get('sender_name', ''))}</td><td>{e(label)}<pre>{e(entry['body'])}</pre>"
            f"{'<ul>' + files + '</ul>' if files else ''}</td><td><code>{e(entry['hash'])}</code></td></tr>"
        )
    return (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{e(room.get('title', ''))} — Tsunagu evidence</title>"
        "<style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:4px;vertical-align:top}"
        "pre{white-space:pre-wrap;margin:0}code{font-size:10px;word-break:break-all}</style></head><body>"
        f"<h1>{e(room.get('title', ''))}</h1><p>Room #{e(str(room.get('id')))} · {e(room.get('kind', ''))} · "
        f"exported {e(exported_at)}</p><table><thead><tr><th>#</th><th>time (UTC)</th><th>sender</th>"
        f"<th>text</th><th>sha256</th></tr></thead><tbody>{''.join(rows)}</tbody></table></body></html>"
    )


# --- checking -------------------------------------------------------------------------------


@dataclass
class Verification:
    ok: bool = True
    problems: list[str] = field(default_factory=list)
    first_altered_seq: int | None = None
    entries: int = 0
    key_fingerprint: str = ""

    def fail(self, problem: str) -> None:
        self.ok = False
        self.problems.append(problem)


def verify_bundle(data: bytes, *, trusted_fingerprint: str | None = None) -> Verification:
    result = Verification()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        contents = {name: archive.read(name) for name in names}
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        ValueError,
        KeyError,
        EOFError,
    ) as exc:
        result.fail(f"the bundle is damaged: {exc}")
        return result
    for required in (MANIFEST, SIGNATURE, PUBLIC_KEY, "messages.json"):
        if required not in contents:
            result.fail(f"{required} is missing")
    if not result.ok:
        return result

    # 1. The chain, so that an altered message is named even when the rest also fails.
    try:
        payload = json.loads(contents["messages.json"])
        entries = [
            chain.Entry(
                seq=int(x["seq"]),
                kind=str(x["kind"]),
                sender_id=x["sender_id"],
                created_at=str(x["created_at"]),
                body=str(x["body"]),
                target_seq=x["target_seq"],
                attachment_hashes=tuple(a["sha256"] for a in x.get("attachments", [])),
                prev_hash=str(x["prev_hash"]),
                hash=str(x["hash"]),
            )
            for x in payload["entries"]
        ]
    except (ValueError, KeyError, TypeError) as exc:
        result.fail(f"messages.json is unreadable: {exc}")
        return result
    result.entries = len(entries)
    broken = chain.first_broken(entries)
    if broken is not None:
        result.first_altered_seq = broken
        result.fail(
            f"message #{broken} was altered, removed or inserted: the hash chain breaks there"
        )
    for entry_json in payload["entries"]:
        for attachment in entry_json.get("attachments", []):
            path = attachment.get("path", "")
            if path not in contents:
                result.fail(f"attachment {path} of message #{entry_json['seq']} is missing")
            elif hashlib.sha256(contents[path]).hexdigest() != attachment["sha256"]:
                result.first_altered_seq = result.first_altered_seq or int(entry_json["seq"])
                result.fail(f"attachment {path} of message #{entry_json['seq']} was altered")

    # 2. The signature over the manifest.
    try:
        public_key = serialization.load_pem_public_key(contents[PUBLIC_KEY])
        if not isinstance(public_key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 key")
        result.key_fingerprint = fingerprint(public_key)
        public_key.verify(base64.b64decode(contents[SIGNATURE], validate=True), contents[MANIFEST])
    except (ValueError, InvalidSignature, TypeError) as exc:
        result.fail(f"the manifest's signature is not valid ({type(exc).__name__})")
    if trusted_fingerprint and result.key_fingerprint != trusted_fingerprint:
        result.fail("the bundle was not signed with the platform's key")

    # 3. Every file against the manifest, and nothing extra.
    try:
        manifest = json.loads(contents[MANIFEST])
        listed: dict[str, str] = manifest["files"]
    except (ValueError, KeyError, TypeError) as exc:
        result.fail(f"manifest.json is unreadable: {exc}")
        return result
    for path, digest in sorted(listed.items()):
        if path not in contents:
            result.fail(f"{path} is missing")
        elif hashlib.sha256(contents[path]).hexdigest() != digest:
            result.fail(f"{path} does not match the manifest")
    extra = names - set(listed) - {MANIFEST, SIGNATURE, PUBLIC_KEY}
    for path in sorted(extra):
        result.fail(f"{path} is not listed in the manifest")
    if entries and manifest.get("head_hash") != entries[-1].hash:
        result.fail("the chain's head does not match the manifest")
    if manifest.get("entries") != len(entries):
        result.fail("the number of messages does not match the manifest")
    return result


def attachment_path(seq: int, index: int, name: str) -> str:
    safe = PurePosixPath(name).name.replace("/", "_") or "file"
    return f"attachments/{seq:06d}-{index}-{safe}"
