"""People, connections and introductions built through the referrals' own services."""

from __future__ import annotations

from typing import Any

from tests.accounts.factories import UserFactory
from tsunagu.accounts.models import User
from tsunagu.jobs.models import Job
from tsunagu.referrals import services
from tsunagu.referrals.models import Connection, Referral, ReferralKind


def person(name: str = "", *, trust: int = 0, **fields: Any) -> User:
    user = UserFactory(**fields)
    profile = user.profile
    profile.display_name = name or f"Person {user.pk}"
    profile.is_worker = True
    profile.is_client = True
    profile.worker_trust_score = trust
    profile.save()
    return user


def connect(a: User, b: User) -> Connection:
    services.connection_request(by=a, to=b)
    return services.connection_request(by=b, to=a)  # accepts a's request


def introduce(
    by: User,
    *,
    client: User,
    worker: User,
    note: str = "翻訳ならこの方をおすすめします。",
    **kw: Any,
) -> Referral:
    return services.referral_create(
        by=by, kind=ReferralKind.INTRODUCE, client=client, worker=worker, note=note, **kw
    )


def forward(
    by: User, *, job: Job, worker: User, note: str = "この仕事はあなた向きです。"
) -> Referral:
    return services.referral_create(
        by=by, kind=ReferralKind.FORWARD, client=job.client, worker=worker, job=job, note=note
    )


def trio() -> tuple[User, User, User]:
    """A referrer connected to a client and to a worker, who do not know each other."""
    referrer, client, worker = person("佐藤"), person("株式会社つなぐ"), person("Hana")
    connect(referrer, client)
    connect(referrer, worker)
    return referrer, client, worker
