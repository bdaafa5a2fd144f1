from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.accounts.factories import UserFactory
from tsunagu.accounts.models import User
from tsunagu.jobs import services
from tsunagu.jobs.models import Category, Job, JobKind, Visibility


def category(slug: str = "translation") -> Category:
    return Category.objects.get(slug=slug)


def job_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "商品ページの翻訳",
        "description": "ECサイトの商品説明を英語に翻訳してください。",
        "category": category(),
        "kind": JobKind.FIXED,
        "budget_min": 10_000,
        "budget_max": 30_000,
        "weekly_hours_cap": None,
        "deadline": timezone.localdate() + datetime.timedelta(days=14),
        "workers_wanted": 1,
        "visibility": Visibility.PUBLIC,
        "trial_description": "",
        "trial_fee": None,
    }
    values.update(overrides)
    return values


def published_job(client: User | None = None, **overrides: Any) -> Job:
    client = client or UserFactory()
    return services.job_publish(client=client, job=None, values=job_values(**overrides))
