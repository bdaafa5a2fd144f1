"""Files written inside a transaction that rolls back are removed; committed ones stay."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from tests.accounts.factories import UserFactory
from tests.contracts.docs import docx
from tests.trust.factories import funded
from tsunagu.backups.archive import stored_files
from tsunagu.contracts.models import Delivery, DeliveryFile, MilestoneStatus
from tsunagu.contracts.services import delivery_submit
from tsunagu.core.uploads import atomic_with_files, file_written
from tsunagu.messaging.models import Attachment, Message
from tsunagu.messaging.services import message_send, room_open_inquiry
from tsunagu.profiles.models import PortfolioItem

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def _write(name: str) -> Any:
    item = PortfolioItem(original_name=name)
    item.file.save(name, ContentFile(b"data"), save=False)
    file_written(item.file)
    return item.file


def _files(alias: str = "default") -> list[str]:
    return list(stored_files(storages[alias]))


def test_a_rollback_removes_the_files_and_a_commit_keeps_them() -> None:
    with pytest.raises(Boom), atomic_with_files():
        kept_out = _write("a.txt")
        raise Boom
    assert not storages["default"].exists(kept_out.name)

    with atomic_with_files():
        _write("b.txt")
        transaction.set_rollback(True)
    assert _files() == []

    with atomic_with_files():
        committed = _write("c.txt")
    assert _files() == [committed.name]


def test_an_inner_block_that_succeeds_goes_with_the_outer_one() -> None:
    with pytest.raises(Boom), atomic_with_files():
        with atomic_with_files():
            inner = _write("inner.txt")
        assert storages["default"].exists(inner.name)
        raise Boom
    assert _files() == []

    with atomic_with_files():
        with pytest.raises(Boom), atomic_with_files():
            _write("failed.txt")
            raise Boom
        survivor = _write("kept.txt")
    assert _files() == [survivor.name]


def test_a_delivery_that_fails_after_writing_its_file_leaves_no_file(monkeypatch: Any) -> None:
    contract = funded()
    milestone = contract.milestones.get()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise Boom

    monkeypatch.setattr("tsunagu.contracts.services.delivery.move_milestone", fail)
    with pytest.raises(Boom):
        delivery_submit(milestone=milestone, by=contract.worker, message="納品", files=[docx()])
    assert not Delivery.objects.exists() and not DeliveryFile.objects.exists()
    assert _files("private") == []
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDED


def test_a_message_whose_transaction_fails_leaves_no_attachment(monkeypatch: Any) -> None:
    client, worker = UserFactory(), UserFactory()
    room = room_open_inquiry(client=client, worker=worker, by=client)

    def fail(*args: Any, **kwargs: Any) -> list[Any]:
        raise Boom

    monkeypatch.setattr("tsunagu.messaging.services._mentions", fail)
    with pytest.raises(Boom):
        message_send(
            room=room,
            sender=client,
            body="資料",
            attachments=[ContentFile("手順書".encode(), name="manual.txt")],  # type: ignore[list-item]
        )
    assert not Message.objects.exists() and not Attachment.objects.exists()
    assert _files("private") == []
