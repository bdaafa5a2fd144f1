"""Phone verification: parsing, code expiry, attempts, reuse, rate limits, the SMS provider."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tsunagu.accounts import services
from tsunagu.accounts.models import PhoneChallenge, PhoneNumber
from tsunagu.accounts.sms import LogSmsProvider, SmsError
from tsunagu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

MOBILE = "090-1234-5678"
E164 = "+819012345678"


def sent_code(sms: list[Any]) -> str:
    match = re.search(r"\b(\d{6})\b", sms[-1].body)
    assert match, sms[-1].body
    return match.group(1)


@pytest.mark.parametrize(
    "raw",
    [
        "090-1234-5678",
        "09012345678",
        "０９０－１２３４－５６７８",
        "+81 90 1234 5678",
        "+819012345678",
    ],
)
def test_numbers_are_parsed_to_e164(raw: str) -> None:
    assert services.phone_number_parse(raw) == E164


@pytest.mark.parametrize("raw", ["", "hello", "090-1234", "+1 555 0000 0000 000", "<script>"])
def test_bad_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        services.phone_number_parse(raw)


def test_start_sends_a_six_digit_code_and_stores_only_its_hash(sms: list[Any]) -> None:
    user = UserFactory()
    challenge = services.phone_challenge_start(user=user, raw_number=MOBILE)
    assert challenge.number == E164
    assert len(sms) == 1 and sms[0].to == E164
    code = sent_code(sms)
    assert code not in challenge.code_hash
    assert len(challenge.code_hash) == 64
    assert timedelta(minutes=9) < challenge.expires_at - timezone.now() <= timedelta(minutes=10)


def test_right_code_verifies_the_number_and_writes_an_audit_row(sms: list[Any]) -> None:
    user = UserFactory()
    services.phone_challenge_start(user=user, raw_number=MOBILE)
    phone = services.phone_challenge_verify(user=user, code=sent_code(sms))
    assert phone.number == E164
    assert PhoneNumber.objects.get(user=user).number == E164
    assert AuditEvent.objects.filter(event="phone.verified", subject_id=str(phone.pk)).exists()


def test_full_width_code_with_spaces_is_accepted(sms: list[Any]) -> None:
    user = UserFactory()
    services.phone_challenge_start(user=user, raw_number=MOBILE)
    code = sent_code(sms)
    wide = " ".join(chr(ord(c) + 0xFEE0) for c in code)
    services.phone_challenge_verify(user=user, code=wide)
    assert PhoneNumber.objects.filter(user=user).exists()


def test_code_cannot_be_used_twice(sms: list[Any]) -> None:
    user = UserFactory()
    services.phone_challenge_start(user=user, raw_number=MOBILE)
    code = sent_code(sms)
    services.phone_challenge_verify(user=user, code=code)
    with pytest.raises(ValidationError) as info:
        services.phone_challenge_verify(user=user, code=code)
    assert info.value.code == "phone_no_code"


def test_expired_code_is_refused_and_nothing_is_verified(sms: list[Any]) -> None:
    user = UserFactory()
    challenge = services.phone_challenge_start(user=user, raw_number=MOBILE)
    PhoneChallenge.objects.filter(pk=challenge.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError) as info:
        services.phone_challenge_verify(user=user, code=sent_code(sms))
    assert info.value.code == "phone_code_expired"
    assert not PhoneNumber.objects.exists()


def test_five_wrong_codes_lock_the_challenge_even_for_the_right_code(sms: list[Any]) -> None:
    user = UserFactory()
    services.phone_challenge_start(user=user, raw_number=MOBILE)
    code = sent_code(sms)
    wrong = "000000" if code != "000000" else "111111"
    for attempt in range(1, 6):
        with pytest.raises(ValidationError):
            services.phone_challenge_verify(user=user, code=wrong)
        assert PhoneChallenge.objects.get(user=user).attempts == attempt
    with pytest.raises(ValidationError) as info:
        services.phone_challenge_verify(user=user, code=code)
    assert info.value.code == "phone_too_many_attempts"
    assert PhoneChallenge.objects.get(user=user).attempts == 5
    assert not PhoneNumber.objects.exists()


def test_wrong_code_message_counts_down(sms: list[Any]) -> None:
    user = UserFactory()
    services.phone_challenge_start(user=user, raw_number=MOBILE)
    wrong = "000000" if sent_code(sms) != "000000" else "111111"
    with pytest.raises(ValidationError) as info:
        services.phone_challenge_verify(user=user, code=wrong)
    assert info.value.code == "phone_code_wrong"
    assert "4" in info.value.messages[0]


def test_new_code_replaces_the_old_one(sms: list[Any]) -> None:
    user = UserFactory()
    services.phone_challenge_start(user=user, raw_number=MOBILE)
    first = sent_code(sms)
    services.phone_challenge_start(user=user, raw_number=MOBILE)
    second = sent_code(sms)
    if first != second:
        with pytest.raises(ValidationError):
            services.phone_challenge_verify(user=user, code=first)
    services.phone_challenge_verify(user=user, code=second)
    assert PhoneNumber.objects.filter(user=user).exists()


def test_sending_is_rate_limited_per_user(sms: list[Any]) -> None:
    user = UserFactory()
    for _ in range(3):
        services.phone_challenge_start(user=user, raw_number=MOBILE)
    with pytest.raises(ValidationError) as info:
        services.phone_challenge_start(user=user, raw_number="080-2345-6789")
    assert info.value.code == "phone_rate_limited"
    assert len(sms) == 3
    assert PhoneChallenge.objects.filter(user=user).count() == 3


def test_one_number_cannot_be_bombed_from_many_accounts(sms: list[Any]) -> None:
    for _ in range(5):
        services.phone_challenge_start(user=UserFactory(), raw_number=MOBILE)
    with pytest.raises(ValidationError) as info:
        services.phone_challenge_start(user=UserFactory(), raw_number=MOBILE)
    assert info.value.code == "phone_rate_limited"
    assert len(sms) == 5


def test_bad_number_does_not_use_up_the_rate_limit(sms: list[Any]) -> None:
    user = UserFactory()
    for _ in range(5):
        with pytest.raises(ValidationError):
            services.phone_challenge_start(user=user, raw_number="12")
    services.phone_challenge_start(user=user, raw_number=MOBILE)
    assert len(sms) == 1


def test_number_verified_by_someone_else_is_refused(sms: list[Any]) -> None:
    owner = UserFactory()
    services.phone_challenge_start(user=owner, raw_number=MOBILE)
    services.phone_challenge_verify(user=owner, code=sent_code(sms))
    with pytest.raises(ValidationError) as info:
        services.phone_challenge_start(user=UserFactory(), raw_number=MOBILE)
    assert info.value.code == "phone_taken"
    assert len(sms) == 1


def test_code_is_tied_to_the_user(sms: list[Any]) -> None:
    alice, bob = UserFactory(), UserFactory()
    services.phone_challenge_start(user=alice, raw_number=MOBILE)
    with pytest.raises(ValidationError) as info:
        services.phone_challenge_verify(user=bob, code=sent_code(sms))
    assert info.value.code == "phone_no_code"
    assert not PhoneNumber.objects.exists()


def test_sms_is_written_in_the_users_language(sms: list[Any]) -> None:
    services.phone_challenge_start(user=UserFactory(language="ja"), raw_number=MOBILE)
    services.phone_challenge_start(user=UserFactory(language="en"), raw_number="080-2345-6789")
    assert "認証コード" in sms[0].body
    assert "verification code" in sms[1].body


def test_log_provider_writes_the_message_to_the_log(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SMS_PROVIDER = "tsunagu.accounts.sms.LogSmsProvider"
    user = UserFactory()
    with caplog.at_level(logging.INFO, logger="tsunagu.accounts.sms"):
        services.phone_challenge_start(user=user, raw_number=MOBILE)
    assert any(
        E164 in r.getMessage() and re.search(r"\d{6}", r.getMessage()) for r in caplog.records
    )
    with pytest.raises(SmsError):
        LogSmsProvider().send(to="0901234", body="x")


class FailingProvider:
    def send(self, *, to: str, body: str) -> None:
        raise SmsError("carrier down")


def test_provider_failure_gives_a_clear_error_and_leaves_no_usable_code(settings: Any) -> None:
    settings.SMS_PROVIDER = "tests.accounts.test_phone.FailingProvider"
    user = UserFactory()
    with pytest.raises(ValidationError) as info:
        services.phone_challenge_start(user=user, raw_number=MOBILE)
    assert info.value.code == "sms_failed"
    assert services.phone_challenge_open(user=user) is None
