"""People and rooms the messaging page, API, selector and admin tests share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.accounts.factories import UserFactory
from tsunagu.accounts.models import User
from tsunagu.messaging.models import Message, Room
from tsunagu.messaging.services import group_room_create, room_open_inquiry
from tsunagu.profiles.models import Profile


@pytest.fixture(autouse=True)
def _evidence_key(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_KEY_PATH = tmp_path / "evidence.pem"


def person(name: str, **kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    Profile.objects.filter(user=user).update(display_name=name)
    user.refresh_from_db()
    return user


@dataclass
class Cast:
    client: User
    worker: User
    stranger: User
    inquiry: Room


@pytest.fixture
def cast(db: None) -> Cast:
    client = person("依頼主")
    worker = person("ワーカー")
    stranger = person("部外者")
    room = room_open_inquiry(client=client, worker=worker, by=client, subject_id="1")
    return Cast(client=client, worker=worker, stranger=stranger, inquiry=room)


@dataclass
class Group:
    client: User
    alice: User
    bob: User
    room: Room


@pytest.fixture
def group(db: None) -> Group:
    client = person("発注者")
    alice = person("Alice", time_zone="Europe/Berlin")
    bob = person("Bob")
    room = group_room_create(client=client, title="翻訳プロジェクト", workers=[alice, bob])
    return Group(client=client, alice=alice, bob=bob, room=room)


def stored() -> int:
    return Message.objects.count()
