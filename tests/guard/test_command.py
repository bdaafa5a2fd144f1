"""`tsunagu guard scan`: JSON Lines in, one verdict per line out."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command


def run(lines: list[str]) -> tuple[list[dict[str, object]], str, CommandError | None]:
    stdin = io.StringIO("\n".join(lines) + "\n")
    stdout, stderr = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("guard", "scan", stdin=stdin, stdout=stdout, stderr=stderr)
    except CommandError as raised:
        error = raised
    rows = [json.loads(line) for line in stdout.getvalue().splitlines()]
    return rows, stderr.getvalue(), error


def test_verdicts_and_findings() -> None:
    rows, stderr, error = run(
        [
            json.dumps({"id": "m1", "text": "連絡は taro@gmail.com まで"}),
            json.dumps({"id": "m2", "text": "LINEで直接やり取りしませんか"}),
            json.dumps({"id": 3, "text": "お見積りは¥50,000です"}),
        ]
    )
    assert error is None and stderr == ""
    assert [row["verdict"] for row in rows] == ["contact", "solicit", "clean"]
    assert rows[0] == {
        "id": "m1",
        "verdict": "contact",
        "findings": [{"kind": "email", "start": 4, "end": 18, "text": "taro@gmail.com"}],
    }
    assert rows[2]["id"] == 3 and rows[2]["findings"] == []


def test_messages_of_one_sender_in_one_room_are_read_together() -> None:
    rows, _stderr, error = run(
        [
            json.dumps({"id": 1, "text": "090", "room": "r", "sender": "a"}),
            json.dumps({"id": 2, "text": "はい", "room": "r", "sender": "b"}),
            json.dumps({"id": 3, "text": "1234", "room": "r", "sender": "a"}),
            json.dumps({"id": 4, "text": "5678", "room": "r", "sender": "a"}),
            json.dumps({"id": 5, "text": "5678", "room": "other", "sender": "a"}),
        ]
    )
    assert error is None
    assert [row["verdict"] for row in rows] == ["clean", "clean", "clean", "contact", "clean"]
    assert rows[3]["findings"] == [{"kind": "phone", "start": 0, "end": 4, "text": "5678"}]


def test_bad_lines_are_reported_and_the_rest_still_scanned() -> None:
    rows, stderr, error = run(
        [
            "not json",
            json.dumps({"text": "no id"}),
            json.dumps({"id": "t", "text": 42}),
            json.dumps({"id": "u"}),
            json.dumps(["a list"]),
            json.dumps({"id": "ok", "text": "090-1234-5678"}),
        ]
    )
    assert error is not None and error.returncode != 0
    assert [row.get("line") for row in rows[:5]] == [1, 2, 3, 4, 5]
    assert all("error" in row for row in rows[:5])
    assert rows[2]["id"] == "t" and rows[3]["id"] == "u"
    assert rows[5] == {
        "id": "ok",
        "verdict": "contact",
        "findings": [{"kind": "phone", "start": 0, "end": 13, "text": "090-1234-5678"}],
    }
    for number in (1, 2, 3, 4, 5):
        assert f"line {number}:" in stderr


def test_long_line_through_the_command() -> None:
    text = "お見積りは¥50,000です。" * 8000 + "ken@yahoo.co.jp"
    rows, _stderr, error = run([json.dumps({"id": "long", "text": text})])
    assert error is None
    assert rows[0]["verdict"] == "contact"


def test_subcommand_is_required() -> None:
    with pytest.raises(CommandError):
        call_command("guard")
