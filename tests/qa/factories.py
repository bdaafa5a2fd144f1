from __future__ import annotations

from typing import Any

from tests.accounts.factories import UserFactory
from tsunagu.accounts.models import User
from tsunagu.jobs.models import Category
from tsunagu.qa import services
from tsunagu.qa.models import Answer, Question


def category(slug: str = "translation") -> Category:
    return Category.objects.get(slug=slug)


def person(name: str = "") -> User:
    user: User = UserFactory()
    if name:
        user.profile.display_name = name
        user.profile.save(update_fields=["display_name"])
    return user


def question(asker: User | None = None, **overrides: Any) -> Question:
    values: dict[str, Any] = {
        "title": "契約書の翻訳で気をつけることは？",
        "body": "英文の業務委託契約書を日本語に翻訳してもらう予定です。注意点を教えてください。",
        "category_id": category().pk,
        "expert": None,
    }
    values.update(overrides)
    return services.question_ask(asker=asker or person(), **values)


def answer(q: Question, author: User | None = None, body: str = "") -> Answer:
    return services.answer_post(
        question=q,
        author=author or person(),
        body=body or "用語集を先に作り、定義条項の訳語を統一するのが大切です。",
    )
