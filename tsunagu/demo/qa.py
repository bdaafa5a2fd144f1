"""Demo questions with answers, helpful votes and best answers (``data/qa.toml``), asked and
answered through the ask-an-expert services. Safe to run again: a question whose title its
asker already asked is left as it is."""

from __future__ import annotations

from django.test.utils import override_settings

from tsunagu.accounts.models import User
from tsunagu.demo.datafiles import data_read
from tsunagu.jobs.models import Category
from tsunagu.qa import services
from tsunagu.qa.models import Question


def _user(email: str) -> User | None:
    return User.objects.filter(email=email, is_active=True).first()


def demo_questions_load() -> int:
    """Create the missing demo questions; returns how many were created."""
    created = 0
    # demo addresses (.example) have no mailbox: do not e-mail the notifications
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for item in data_read("qa")["questions"]:
            asker = _user(item["asker"])
            category = Category.objects.filter(slug=item["category"]).first()
            if asker is None or category is None:
                continue
            if Question.objects.filter(asker=asker, title=item["title"]).exists():
                continue
            expert = _user(item["expert"]) if item.get("expert") else None
            question = services.question_ask(
                asker=asker,
                title=item["title"],
                body=item["body"],
                category_id=category.pk,
                expert=expert,
            )
            answers = []
            for spec in item.get("answers", []):
                author = _user(spec["author"])
                if author is None:
                    continue
                made = services.answer_post(question=question, author=author, body=spec["body"])
                answers.append(made)
                for email in spec.get("helpful", []):
                    voter = _user(email)
                    if voter is not None and voter.pk != author.pk:
                        services.answer_vote(answer=made, by=voter)
            best = item.get("best")
            if best is not None and best < len(answers):
                services.answer_mark_best(question=question, answer=answers[best], by=asker)
            if item.get("closed"):
                services.question_close(question=question, by=asker)
            created += 1
    return created
