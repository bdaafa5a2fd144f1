"""`tsunagu trust verify CARD.json`: a published card passes; an altered, revoked, expired or
foreign-key card fails with the first problem named and a non-zero exit."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.trust.factories import paid_contract
from tests.trust.test_cards_services import ALL
from tsunagu.trust.models import TrackRecordCard
from tsunagu.trust.services import card_publish, card_revoke

pytestmark = pytest.mark.django_db


def published(tmp_path: Path, **kwargs: object) -> tuple[TrackRecordCard, Path]:
    contract = paid_contract()
    card = card_publish(user=contract.worker, fields=ALL, **kwargs)  # type: ignore[arg-type]
    path = tmp_path / "card.json"
    path.write_text(json.dumps(card.document, ensure_ascii=False), encoding="utf-8")
    return card, path


def test_a_published_card_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card, path = published(tmp_path)
    call_command("trust", "verify", str(path))
    out = capsys.readouterr().out
    assert "OK" in out and card.public_id in out


def test_an_altered_card_fails(tmp_path: Path) -> None:
    _card, path = published(tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["card"]["completed_contracts"] += 10
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match="the card was changed"):
        call_command("trust", "verify", str(path))


def test_a_revoked_card_fails(tmp_path: Path) -> None:
    card, path = published(tmp_path)
    card_revoke(card=card, by=card.owner)
    with pytest.raises(CommandError, match="revoked"):
        call_command("trust", "verify", str(path))


def test_an_expired_card_fails(tmp_path: Path) -> None:
    _card, path = published(tmp_path, now=timezone.now() - datetime.timedelta(days=100))
    with pytest.raises(CommandError, match="expired"):
        call_command("trust", "verify", str(path))


def test_another_key_than_the_platforms_fails(tmp_path: Path) -> None:
    _card, path = published(tmp_path)
    with pytest.raises(CommandError, match="another key"):
        call_command("trust", "verify", str(path), "--fingerprint", "00" * 32)


def test_a_missing_or_broken_file_fails(tmp_path: Path) -> None:
    published(tmp_path)  # this installation has its key
    with pytest.raises(CommandError, match="no such file"):
        call_command("trust", "verify", str(tmp_path / "nope.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not JSON"):
        call_command("trust", "verify", str(broken))


def test_without_a_key_here_the_fingerprint_must_be_given(tmp_path: Path) -> None:
    path = tmp_path / "card.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="--fingerprint"):
        call_command("trust", "verify", str(path))


def test_rank_points_to_the_cli() -> None:
    with pytest.raises(CommandError, match="tsunagu trust rank"):
        call_command("trust", "rank")
