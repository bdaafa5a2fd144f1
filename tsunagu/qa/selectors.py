"""Reads of ask-an-expert, each in a constant number of queries. Every read narrows questions
through :func:`tsunagu.qa.audience.visible_questions`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from tsunagu.jobs.models import Category
from tsunagu.profiles.models import Profile
from tsunagu.qa import rules, search
from tsunagu.qa.audience import visible_questions
from tsunagu.qa.models import Answer, HelpfulVote, Question, QuestionOffer, QuestionStatus
from tsunagu.trust.sources import Contribution


def _viewer(viewer: Any) -> Any:
    return viewer if viewer is not None and getattr(viewer, "is_authenticated", False) else None


def questions(viewer: Any) -> QuerySet[Question]:
    return visible_questions(Question.objects.all(), _viewer(viewer))


@dataclass(frozen=True)
class QuestionFilter:
    query: str = ""
    category: str = ""  # a category slug
    status: str = ""  # "open", "closed" or "" for both
    asker_id: int | None = None
    community_id: int | None = None  # only this community's questions (checked by the caller)


def question_page(
    *, viewer: Any, filters: QuestionFilter, page_number: Any = 1, per_page: int = rules.PER_PAGE
) -> Page[Question]:
    """A page of questions for the list and the API: newest first, or by relevance when
    searching; each with ``answer_count``."""
    qs = questions(viewer).select_related(
        "asker__profile", "category", "expert__profile", "community"
    )
    if filters.community_id is not None:
        qs = qs.filter(community_id=filters.community_id)
    if filters.category:
        qs = qs.filter(category__slug=filters.category)
    if filters.status in QuestionStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.asker_id is not None:
        qs = qs.filter(asker_id=filters.asker_id)
    # a correlated count, not a join with GROUP BY: FTS5's bm25() cannot run in an aggregate
    counts = (
        Answer.objects.filter(question=OuterRef("pk"), hidden_at__isnull=True)
        .order_by()
        .values("question")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = qs.annotate(answer_count=Coalesce(Subquery(counts), 0))
    order: Sequence[str] = ["-id"]
    if filters.query.strip():
        found = search.matching(qs, filters.query)
        if found is None:
            qs = qs.none()
        else:
            qs, order = found, ["-rank", "-id"]
    return Paginator(qs.order_by(*order), per_page).get_page(page_number)


def question_for_viewer(*, pk: int, viewer: Any) -> Question:
    """One question the viewer may see, or 404 (hidden and out-of-audience ones too)."""
    question = (
        questions(viewer)
        .select_related("asker__profile", "category", "expert__profile", "best_answer", "community")
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    return question


def answer_for_viewer(*, pk: int, viewer: Any, question_id: int | None = None) -> Answer:
    """One answer on a question the viewer may see, or 404."""
    qs = Answer.objects.select_related("author__profile", "question").filter(
        pk=pk, question__in=questions(viewer)
    )
    if question_id is not None:
        qs = qs.filter(question_id=question_id)
    if not getattr(viewer, "is_staff", False):
        qs = qs.filter(hidden_at__isnull=True)
    answer = qs.first()
    if answer is None:
        raise Http404
    return answer


@dataclass(frozen=True)
class AnswerRow:
    answer: Answer
    helpful: int
    voted: bool
    is_best: bool
    is_mine: bool
    offers: int  # contracts the asker offered from this answer (shown to the asker)


def answer_rows(*, question: Question, viewer: Any) -> list[AnswerRow]:
    """The question's answers for the viewer: the best first, then the most helpful, then the
    oldest. Hidden answers are left out (staff see them, marked)."""
    viewer = _viewer(viewer)
    qs = (
        Answer.objects.filter(question=question)
        .select_related("author__profile")
        .annotate(helpful=Count("votes", distinct=True), offer_count=Count("offers", distinct=True))
    )
    if not getattr(viewer, "is_staff", False):
        qs = qs.filter(hidden_at__isnull=True)
    if viewer is not None:
        qs = qs.annotate(
            voted=Exists(HelpfulVote.objects.filter(answer=OuterRef("pk"), voter_id=viewer.pk))
        )
    rows = [
        AnswerRow(
            answer=a,
            helpful=a.helpful,
            voted=bool(getattr(a, "voted", False)),
            is_best=a.pk == question.best_answer_id,
            is_mine=viewer is not None and a.author_id == viewer.pk,
            offers=a.offer_count,
        )
        for a in qs
    ]
    rows.sort(key=lambda r: (not r.is_best, -r.helpful, r.answer.pk))
    return rows


def helpful_count(*, answer: Answer) -> int:
    return answer.votes.count()


def has_voted(*, answer: Answer, viewer: Any) -> bool:
    viewer = _viewer(viewer)
    return viewer is not None and answer.votes.filter(voter_id=viewer.pk).exists()


def categories() -> list[Category]:
    return list(Category.objects.all())


def expert_profile(*, profile_id: int) -> Profile | None:
    return (
        Profile.objects.select_related("user").filter(pk=profile_id, user__is_active=True).first()
    )


def offered_contract_ids(*, question: Question, viewer: Any) -> list[int]:
    """The contracts the asker offered from this question's answers; empty for anyone else."""
    viewer = _viewer(viewer)
    if viewer is None or viewer.pk != question.asker_id:
        return []
    return list(
        QuestionOffer.objects.filter(question=question)
        .order_by("contract_id")
        .values_list("contract_id", flat=True)
    )


def offer_for_contract(*, contract_id: int) -> QuestionOffer | None:
    return QuestionOffer.objects.select_related("question").filter(contract_id=contract_id).first()


# --- standing -----------------------------------------------------------------------------------


def _visible_answers() -> QuerySet[Answer]:
    return Answer.objects.filter(
        hidden_at__isnull=True, question__in=visible_questions(Question.objects.all(), None)
    )


def contributions(user_ids: Sequence[int]) -> Mapping[int, Contribution]:
    """The trust contribution source: each person's visible answers and best answers (public
    questions only), in two queries. The trust app caps what they are worth."""
    ids = list(user_ids)
    answers = dict(
        _visible_answers()
        .filter(author_id__in=ids)
        .values("author_id")
        .annotate(n=Count("id"))
        .values_list("author_id", "n")
    )
    best = dict(
        _visible_answers()
        .filter(author_id__in=ids, best_of__isnull=False)
        .values("author_id")
        .annotate(n=Count("id"))
        .values_list("author_id", "n")
    )
    return {
        pk: Contribution(answers=answers.get(pk, 0), best_answers=best.get(pk, 0))
        for pk in ids
        if answers.get(pk) or best.get(pk)
    }


@dataclass(frozen=True)
class Standing:
    answers: int
    best_answers: int
    recent: list[Answer]


def expert_standing(*, user_id: int, recent: int = 3) -> Standing:
    """What a profile shows of a person's answers: the counts and the latest few answers."""
    part = contributions([user_id]).get(user_id, Contribution())
    latest = list(
        _visible_answers()
        .filter(author_id=user_id)
        .select_related("question", "question__best_answer")
        .order_by("-id")[:recent]
    )
    return Standing(answers=part.answers, best_answers=part.best_answers, recent=latest)
