"""Demo connections and introductions (紹介) from ``data/referrals.toml``, made through the
referrals' services. Safe to run again: an existing connection or introduction is left as it is."""

from __future__ import annotations

from typing import Any

from django.test.utils import override_settings

from tsunagu.accounts.models import User
from tsunagu.core.errors import DomainError
from tsunagu.demo.datafiles import data_read
from tsunagu.jobs.models import Job
from tsunagu.referrals import selectors, services
from tsunagu.referrals.models import Referral

_DATA = data_read("referrals")


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def demo_referrals_load() -> int:
    """Create the missing demo connections and introductions; returns how many were made."""
    made = 0
    # demo addresses (.example) have no mailbox: do not e-mail the notifications
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for first, second in _DATA["connections"]:
            a, b = _user(first), _user(second)
            if a is None or b is None or selectors.connection_between(a.pk, b.pk) is not None:
                continue
            services.connection_request(by=a, to=b)
            services.connection_request(by=b, to=a)
            made += 1
        for first, second in _DATA["requests"]:
            a, b = _user(first), _user(second)
            if a is None or b is None or selectors.connection_between(a.pk, b.pk) is not None:
                continue
            services.connection_request(by=a, to=b)
            made += 1
        for item in _DATA["referral"]:
            made += _referral(item)
    return made


def _referral(item: dict[str, Any]) -> int:
    referrer, worker = _user(item["referrer"]), _user(item["worker"])
    job = None
    if item["kind"] == "forward":
        job = Job.objects.filter(client__email=item["job_client"], title=item["job_title"]).first()
        client = job.client if job is not None else None
    else:
        client = _user(item["client"])
    if referrer is None or worker is None or client is None:
        return 0
    if Referral.objects.filter(
        referrer=referrer, client=client, worker=worker, kind=item["kind"]
    ).exists():
        return 0
    try:
        referral = services.referral_create(
            by=referrer, kind=item["kind"], client=client, worker=worker, job=job, note=item["note"]
        )
        if item.get("accept"):
            receiver = client if item["kind"] == "introduce" else worker
            services.referral_accept(referral=referral, by=receiver, reward=item.get("reward"))
    except DomainError:
        return 0
    return 1
