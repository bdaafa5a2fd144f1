"""Checks of a restored site: the ledger, every room's hash chain, every stored file's sha256
against its row, and the row counts and ledger totals against the archive's manifest."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from tsunagu.backups.archive import CHUNK, Manifest
from tsunagu.backups.snapshot import database_facts
from tsunagu.ledger.checks import run_checks
from tsunagu.messaging.models import Room
from tsunagu.messaging.selectors import staff_record


@dataclass
class Check:
    name: str
    checked: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def first_failure(self) -> str | None:
        for check in self.checks:
            if check.failures:
                return f"{check.name}: {check.failures[0]}"
        return None

    def lines(self) -> list[str]:
        out = []
        for check in self.checks:
            state = _("ok") if check.ok else _("FAILED")
            counted = _("%(n)d checked") % {"n": check.checked}
            out.append(f"{check.name}: {state} ({counted})")
            out.extend(f"  - {failure}" for failure in check.failures[:20])
        return out


def hashed_file_models() -> Iterator[tuple[type[models.Model], str]]:
    """(model, file field name) of every model that stores a file with its sha256."""
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if "sha256" not in names:
            continue
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField):
                yield model, f.name


def check_ledger() -> Check:
    check = Check(_("ledger"))
    problems = run_checks()
    check.checked = 1
    check.failures = [str(p) for p in problems]
    return check


def check_chains() -> Check:
    check = Check(_("message chains"))
    for room in Room.objects.order_by("pk").iterator():
        check.checked += 1
        broken = staff_record(room=room).first_broken
        if broken is not None:
            check.failures.append(
                _("room %(room)d: entry #%(seq)d does not fit the chain")
                % {"room": room.pk, "seq": broken}
            )
    return check


def check_files(advance: Callable[[int], object] = lambda n: None) -> Check:
    check = Check(_("stored files"))
    for model, name in hashed_file_models():
        rows = model._default_manager.exclude(**{name: ""}).order_by("pk")
        for row in rows.iterator():
            field_file = getattr(row, name)
            check.checked += 1
            label = f"{model._meta.label} {row.pk} ({field_file.name})"
            digest = hashlib.sha256()
            try:
                with field_file.storage.open(field_file.name, "rb") as handle:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        advance(len(chunk))
            except OSError:
                check.failures.append(_("%(file)s is missing") % {"file": label})
                continue
            if digest.hexdigest() != row.sha256:  # type: ignore[attr-defined]
                check.failures.append(_("%(file)s does not match its sha256") % {"file": label})
    return check


def check_counts(manifest: Manifest, alias: str) -> Check:
    check = Check(_("row counts and ledger totals"))
    tables, ledger = database_facts(alias=alias)
    for table, expected in sorted(manifest.tables.items()):
        check.checked += 1
        found = tables.get(table)
        if found != expected:
            check.failures.append(
                _("table %(table)s has %(found)s rows, the backup had %(expected)d")
                % {"table": table, "found": found, "expected": expected}
            )
    check.checked += 1
    if ledger != manifest.ledger:
        check.failures.append(
            _("ledger totals %(found)s differ from the backup's %(expected)s")
            % {"found": ledger, "expected": manifest.ledger}
        )
    return check


def restored_verify(
    *, manifest: Manifest | None, alias: str, advance: Callable[[int], object] = lambda n: None
) -> Report:
    checks = [check_ledger(), check_chains(), check_files(advance)]
    if manifest is not None:
        checks.append(check_counts(manifest, alias))
    return Report(checks)
