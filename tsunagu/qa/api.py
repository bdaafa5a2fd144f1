"""/api/v1/questions: list and search, ask, read, answer, edit an answer, mark best, vote,
close, and offer a contract to an answer's author. The same services and selectors as the pages.

Anyone may list and read visible questions; a hidden one (or one outside the caller's audience,
such as a community question for anyone but that community's active members) is 404, and so is
``?community=<slug>`` for anyone but its members. A refusal is answered by the API's one error handler with its stable code: 403 for the
wrong person, 422 for bad values, 409 when the question's state does not allow it; outside
contact details are 422 ``contact_blocked`` with the parts found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from tsunagu.accounts.request import signed_in_user
from tsunagu.api.auth import api_auth
from tsunagu.api.schemas import ErrorOut
from tsunagu.contracts.services import MilestoneInput
from tsunagu.core.fields import Int, Line
from tsunagu.jobs.models import Category
from tsunagu.messaging.display import kind_label
from tsunagu.qa import membership, selectors, services
from tsunagu.qa.errors import ContactRefused, QAError
from tsunagu.qa.models import Question
from tsunagu.qa.schemas import (
    AnswerIn,
    AnswerOfferIn,
    AnswerOut,
    BestIn,
    CategoryOut,
    CommunityOut,
    ContactBlockedOut,
    FindingOut,
    PersonOut,
    QuestionIn,
    QuestionListOut,
    QuestionOfferOut,
    QuestionOut,
    QuestionSummaryOut,
    VoteOut,
)

router = Router(tags=["questions"])


def _anyone(request: HttpRequest) -> bool:
    """Let a visitor through once neither a token nor a session has signed the caller in."""
    return True


# Public reads still know a caller who sends a token or a session (their votes, their offers).
ANYONE = [*api_auth, _anyone]

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 409, 429): ErrorOut}
WRITE_ERRORS: dict[int | tuple[int, ...], Any] = {**ERRORS, 422: ContactBlockedOut | ErrorOut}


class ListFilter(Schema):
    q: Line = ""
    category: Line = ""
    status: Line = ""
    community: Line = ""  # a community's slug: its questions (its members only; 404 otherwise)
    page: Int = 1


def _person(user: Any) -> PersonOut:
    return PersonOut(profile_id=user.profile.pk, display_name=user.profile.display_name)


def _category(category: Category) -> CategoryOut:
    return CategoryOut(slug=category.slug, name=category.name)


def _community(question: Question) -> CommunityOut | None:
    community = question.community
    return CommunityOut(slug=community.slug, name=community.name) if community else None


def _answer(row: selectors.AnswerRow) -> AnswerOut:
    item = row.answer
    return AnswerOut(
        id=item.pk,
        question_id=item.question_id,
        author=_person(item.author),
        body=item.body,
        is_best=row.is_best,
        helpful=row.helpful,
        voted=row.voted,
        solicitation_warning=item.warns_of_solicitation,
        created_at=item.created_at,
        edited_at=item.edited_at,
    )


def _question(request: HttpRequest, pk: int) -> QuestionOut:
    question = selectors.question_for_viewer(pk=pk, viewer=request.user)
    rows = selectors.answer_rows(question=question, viewer=request.user)
    return QuestionOut(
        id=question.pk,
        title=question.title,
        body=question.body,
        category=_category(question.category),
        community=_community(question),
        status=question.status,  # type: ignore[arg-type]
        asker=_person(question.asker),
        expert=_person(question.expert) if question.expert else None,
        best_answer_id=question.best_answer_id,
        solicitation_warning=question.warns_of_solicitation,
        created_at=question.created_at,
        closed_at=question.closed_at,
        answers=[_answer(row) for row in rows],
        offered_contract_ids=selectors.offered_contract_ids(question=question, viewer=request.user),
    )


def _guarded(call: Callable[[], Any]) -> Any:
    """Run a write; outside contact details are answered with the parts found."""
    try:
        return call()
    except ContactRefused as exc:
        return Status(
            422,
            ContactBlockedOut(
                code=exc.code,
                message=exc.message,
                findings=[
                    FindingOut(
                        kind=f["kind"],
                        label=kind_label(f["kind"]),
                        start=f["start"],
                        end=f["end"],
                        text=f["text"],
                    )
                    for f in exc.findings
                ],
                errors=[{"field": exc.field or "", "message": exc.message}],  # type: ignore[list-item]
            ),
        )


@router.get(
    "",
    response={200: QuestionListOut, **ERRORS},
    auth=ANYONE,
    summary="Questions, newest first, or searched (Japanese words of any length)",
)
def question_list(request: HttpRequest, filters: Query[ListFilter]) -> Any:
    community_id = None
    if filters.community:
        community = membership.community_for_list(slug=filters.community, viewer=request.user)
        if community is None:
            raise QAError.refuse("no_community")
        community_id = community.pk
    page = selectors.question_page(
        viewer=request.user,
        filters=selectors.QuestionFilter(
            query=filters.q,
            category=filters.category,
            status=filters.status,
            community_id=community_id,
        ),
        page_number=filters.page,
    )
    return QuestionListOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        results=[
            QuestionSummaryOut(
                id=q.pk,
                title=q.title,
                excerpt=q.body[:160],
                category=_category(q.category),
                community=_community(q),
                status=q.status,
                asker=_person(q.asker),
                expert=_person(q.expert) if q.expert else None,
                answer_count=q.answer_count,
                has_best_answer=q.best_answer_id is not None,
                created_at=q.created_at,
            )
            for q in page.object_list
        ],
    )


@router.post("", response={201: QuestionOut, **WRITE_ERRORS}, summary="Ask a question")
def question_ask(request: HttpRequest, payload: QuestionIn) -> Any:
    user = signed_in_user(request)
    category = Category.objects.filter(slug=payload.category).first()
    expert = None
    if payload.expert_profile_id is not None:
        profile = selectors.expert_profile(profile_id=payload.expert_profile_id)
        if profile is None:
            raise QAError.refuse("unknown_expert", field="expert_profile_id")
        expert = profile.user
    community = membership.community_by_slug_for_asking(user=user, slug=payload.community or "")

    def ask() -> Any:
        question = services.question_ask(
            asker=user,
            title=payload.title,
            body=payload.body,
            category_id=category.pk if category else None,
            expert=expert,
            community_id=community.pk if community else None,
        )
        return Status(201, _question(request, question.pk))

    return _guarded(ask)


@router.get(
    "/{int:question_id}",
    response={200: QuestionOut, **ERRORS},
    auth=ANYONE,
    summary="A question with its answers, the best first",
)
def question_detail(request: HttpRequest, question_id: int) -> Any:
    return _question(request, question_id)


@router.post(
    "/{int:question_id}/answers",
    response={201: AnswerOut, **WRITE_ERRORS},
    summary="Answer an open question (once; never one's own)",
)
def answer_post(request: HttpRequest, question_id: int, payload: AnswerIn) -> Any:
    user = signed_in_user(request)
    question = selectors.question_for_viewer(pk=question_id, viewer=user)

    def post() -> Any:
        made = services.answer_post(question=question, author=user, body=payload.body)
        return Status(201, _one_answer(request, question, made.pk))

    return _guarded(post)


def _one_answer(request: HttpRequest, question: Question, answer_id: int) -> AnswerOut:
    question.refresh_from_db(fields=["best_answer"])
    rows = selectors.answer_rows(question=question, viewer=request.user)
    return next(_answer(row) for row in rows if row.answer.pk == answer_id)


@router.put(
    "/{int:question_id}/answers/{int:answer_id}",
    response={200: AnswerOut, **WRITE_ERRORS},
    summary="Edit one's answer (the earlier wording is kept; not once it is the best)",
)
def answer_edit(request: HttpRequest, question_id: int, answer_id: int, payload: AnswerIn) -> Any:
    user = signed_in_user(request)
    item = selectors.answer_for_viewer(pk=answer_id, viewer=user, question_id=question_id)

    def edit() -> Any:
        services.answer_edit(answer=item, by=user, body=payload.body)
        return _one_answer(request, item.question, item.pk)

    return _guarded(edit)


@router.post(
    "/{int:question_id}/best",
    response={200: QuestionOut, **ERRORS, 422: ErrorOut},
    summary="The asker marks the best answer (changeable while the question is open)",
)
def best(request: HttpRequest, question_id: int, payload: BestIn) -> Any:
    user = signed_in_user(request)
    question = selectors.question_for_viewer(pk=question_id, viewer=user)
    item = selectors.answer_for_viewer(pk=payload.answer_id, viewer=user)
    services.answer_mark_best(question=question, answer=item, by=user)
    return _question(request, question_id)


def _vote_out(request: HttpRequest, question_id: int, answer_id: int) -> VoteOut:
    item = selectors.answer_for_viewer(pk=answer_id, viewer=request.user, question_id=question_id)
    return VoteOut(
        answer_id=item.pk,
        helpful=selectors.helpful_count(answer=item),
        voted=selectors.has_voted(answer=item, viewer=request.user),
    )


@router.post(
    "/{int:question_id}/answers/{int:answer_id}/vote",
    response={201: VoteOut, **ERRORS},
    summary="Mark an answer helpful (once; never one's own)",
)
def vote(request: HttpRequest, question_id: int, answer_id: int) -> Any:
    user = signed_in_user(request)
    item = selectors.answer_for_viewer(pk=answer_id, viewer=user, question_id=question_id)
    services.answer_vote(answer=item, by=user)
    return Status(201, _vote_out(request, question_id, answer_id))


@router.delete(
    "/{int:question_id}/answers/{int:answer_id}/vote",
    response={200: VoteOut, **ERRORS},
    summary="Take back one's helpful mark",
)
def unvote(request: HttpRequest, question_id: int, answer_id: int) -> Any:
    user = signed_in_user(request)
    item = selectors.answer_for_viewer(pk=answer_id, viewer=user, question_id=question_id)
    services.answer_unvote(answer=item, by=user)
    return _vote_out(request, question_id, answer_id)


@router.post(
    "/{int:question_id}/close",
    response={200: QuestionOut, **ERRORS},
    summary="The asker closes the question: no more answers",
)
def close(request: HttpRequest, question_id: int) -> Any:
    user = signed_in_user(request)
    question = selectors.question_for_viewer(pk=question_id, viewer=user)
    services.question_close(question=question, by=user)
    return _question(request, question_id)


@router.post(
    "/{int:question_id}/answers/{int:answer_id}/offer",
    response={201: QuestionOfferOut, **ERRORS, 422: ErrorOut},
    summary="The asker offers a contract to the author of an answer; it remembers the question",
)
def offer(request: HttpRequest, question_id: int, answer_id: int, payload: AnswerOfferIn) -> Any:
    user = signed_in_user(request)
    item = selectors.answer_for_viewer(pk=answer_id, viewer=user, question_id=question_id)
    contract = services.answer_offer(
        answer=item,
        by=user,
        title=payload.title,
        description=payload.description,
        deliverables=payload.deliverables,
        milestones=[
            MilestoneInput(title=m.title, amount=m.amount, due_date=m.due_date)
            for m in payload.milestones
        ],
        payment_due=payload.payment_due,
        inspection_days=payload.inspection_days,
        revision_limit=payload.revision_limit,
        withholding_category=payload.withholding_category,
        weekly_hours=payload.weekly_hours,
    )
    return Status(
        201,
        QuestionOfferOut(
            contract_id=contract.pk,
            question_id=question_id,
            answer_id=item.pk,
            worker=_person(item.author),
        ),
    )
