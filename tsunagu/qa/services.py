"""Writes of ask-an-expert: ask, answer, edit, mark best, vote, close, offer from an answer, and
staff hiding. One transaction each; a refusal raises :class:`~tsunagu.qa.errors.QAError` and
changes nothing.

The contact guard applies to questions and answers exactly as to messages before an escrow is
funded (nothing here is ever funded): outside contact details are refused with the guard's
explanation and nothing is stored; a request to deal off the platform is posted with a warning
shown to readers.

Edits keep it honest: an answer's earlier wordings are kept as revisions, and an answer marked
best cannot be edited while it is the best answer (the asker chose that text). Questions cannot
be edited once asked; the asker closes one instead.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.audit.services import audit_record
from tsunagu.contracts.models import Contract
from tsunagu.contracts.services import MilestoneInput, contract_offer
from tsunagu.guard.engine import scan, scan_with_context
from tsunagu.jobs.models import Category
from tsunagu.messaging.display import finding_labels
from tsunagu.notifications.services import notify
from tsunagu.qa import membership, rules, search
from tsunagu.qa.errors import ContactRefused, QAError
from tsunagu.qa.models import (
    Answer,
    AnswerRevision,
    GuardFlag,
    HelpfulVote,
    Question,
    QuestionOffer,
    QuestionStatus,
)

__all__ = [
    "answer_edit",
    "answer_hide",
    "answer_mark_best",
    "answer_offer",
    "answer_post",
    "answer_unhide",
    "answer_unvote",
    "answer_vote",
    "question_ask",
    "question_close",
    "question_hide",
    "question_unhide",
]

_ALLOWED_CONTROLS = {"\n", "\r", "\t"}


# --- checks -------------------------------------------------------------------------------------


def _text(text: str, *, field: str, limit: int, required: str, too_long: str) -> str:
    text = (text or "").strip()
    if not text:
        raise QAError.refuse(required, field=field)
    if len(text) > limit:
        raise QAError.refuse(too_long, field=field, limit=limit)
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in text):
        raise QAError.refuse("binary", field=field)
    return text


def _guard(field: str, text: str, previous: Sequence[str] = ()) -> str:
    """The guard flag of ``text``; refuse outside contact details (nothing is stored)."""
    result = scan_with_context(text, list(previous)) if previous else scan(text)
    if result.verdict == "clean":
        return GuardFlag.NONE
    findings = [asdict(f) for f in result.findings]
    if result.verdict == "contact":
        raise ContactRefused(
            field=field, parts=_(", ").join(finding_labels(findings)), findings=findings
        )
    return GuardFlag.SOLICIT


def _lock_question(pk: int) -> Question:
    return Question.objects.select_for_update().get(pk=pk)


def _name(user: User) -> str:
    return user.profile.display_name or _("Someone")


def _question_url(question: Question) -> str:
    return reverse("qa:detail", args=[question.pk])


# --- questions ----------------------------------------------------------------------------------


def question_ask(
    *,
    asker: User,
    title: str,
    body: str,
    category_id: int | None,
    expert: User | None = None,
    community_id: int | None = None,
) -> Question:
    """Ask a question without ordering anything; a named expert is told they were asked.

    With ``community_id`` the question is asked inside that community and seen by its active
    members only: the asker (and a named expert) must be one of them."""
    clean_title = _text(
        title,
        field="title",
        limit=rules.TITLE_MAX,
        required="title_required",
        too_long="title_too_long",
    )
    clean_body = _text(
        body, field="body", limit=rules.BODY_MAX, required="body_required", too_long="body_too_long"
    )
    category = Category.objects.filter(pk=category_id).first() if category_id else None
    if category is None:
        raise QAError.refuse("unknown_category", field="category")
    if expert is not None:
        if expert.pk == asker.pk:
            raise QAError.refuse("self_expert", field="expert")
        if not expert.is_active:
            raise QAError.refuse("unknown_expert", field="expert")
    community = membership.community_for_asking(user=asker, community_id=community_id)
    if (
        community is not None
        and expert is not None
        and not membership.is_active_member(expert, community.pk)
    ):
        raise QAError.refuse("expert_not_member", field="expert")
    flags = {_guard("title", clean_title), _guard("body", clean_body, [clean_title])}
    with transaction.atomic():
        question = Question.objects.create(
            asker=asker,
            title=clean_title,
            body=clean_body,
            category=category,
            community=community,
            expert=expert,
            guard_flag=GuardFlag.SOLICIT if GuardFlag.SOLICIT in flags else GuardFlag.NONE,
        )
        search.question_document_put(question=question)
        if expert is not None:
            name = _name(asker)
            notify(
                user=expert,
                kind="qa.asked",
                message=lambda: (
                    _("%(name)s asked you a question: “%(title)s”")
                    % {"name": name, "title": clean_title}
                ),
                url=_question_url(question),
            )
    return question


def question_close(
    *, question: Question, by: User, now: datetime.datetime | None = None
) -> Question:
    """The asker closes their question: no more answers, votes stay, the best answer stays."""
    with transaction.atomic():
        locked = _lock_question(question.pk)
        membership.member_required(question=locked, user=by)
        if by.pk != locked.asker_id:
            raise QAError.refuse("not_the_asker")
        if not locked.is_open:
            raise QAError.refuse("closed")
        locked.status = QuestionStatus.CLOSED
        locked.closed_at = now or timezone.now()
        locked.save(update_fields=["status", "closed_at"])
    return locked


# --- answers ------------------------------------------------------------------------------------


def answer_post(*, question: Question, author: User, body: str) -> Answer:
    """Answer an open question (once per person; never one's own). The asker is told."""
    clean = _text(
        body,
        field="body",
        limit=rules.ANSWER_MAX,
        required="answer_required",
        too_long="answer_too_long",
    )
    flag = _guard("body", clean)
    with transaction.atomic():
        locked = _lock_question(question.pk)
        if locked.is_hidden:
            raise QAError.refuse("not_found")
        membership.member_required(question=locked, user=author)
        if author.pk == locked.asker_id:
            raise QAError.refuse("own_question")
        if not locked.is_open:
            raise QAError.refuse("closed")
        if Answer.objects.filter(question=locked, author=author).exists():
            raise QAError.refuse("already_answered")
        answer = Answer.objects.create(question=locked, author=author, body=clean, guard_flag=flag)
        name, title = _name(author), locked.title
        notify(
            user=locked.asker,
            kind="qa.answered",
            message=lambda: (
                _("%(name)s answered your question “%(title)s”.") % {"name": name, "title": title}
            ),
            url=_question_url(locked) + f"#answer-{answer.pk}",
        )
    return answer


def answer_edit(*, answer: Answer, by: User, body: str) -> Answer:
    """The author rewords their answer while the question is open and the answer is not the
    best one; the earlier wording is kept as a revision."""
    clean = _text(
        body,
        field="body",
        limit=rules.ANSWER_MAX,
        required="answer_required",
        too_long="answer_too_long",
    )
    flag = _guard("body", clean)
    with transaction.atomic():
        question = _lock_question(answer.question_id)
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        if by.pk != locked.author_id:
            raise QAError.refuse("not_the_author")
        membership.member_required(question=question, user=by)
        if locked.is_hidden:
            raise QAError.refuse("hidden")
        if question.best_answer_id == locked.pk:
            raise QAError.refuse("best_locked")
        if not question.is_open:
            raise QAError.refuse("closed")
        if clean == locked.body:
            return locked
        AnswerRevision.objects.create(
            answer=locked, body=locked.body, written_at=locked.edited_at or locked.created_at
        )
        locked.body = clean
        locked.guard_flag = flag
        locked.edited_at = timezone.now()
        locked.save(update_fields=["body", "guard_flag", "edited_at"])
    return locked


def answer_mark_best(*, question: Question, answer: Answer, by: User) -> Question:
    """The asker marks one answer best (and may change it while the question is open). Its
    author is told."""
    with transaction.atomic():
        locked = _lock_question(question.pk)
        membership.member_required(question=locked, user=by)
        if by.pk != locked.asker_id:
            raise QAError.refuse("not_the_asker")
        chosen = Answer.objects.select_related("author").get(pk=answer.pk)
        if chosen.question_id != locked.pk:
            raise QAError.refuse("wrong_question")
        if not locked.is_open:
            raise QAError.refuse("closed")
        if chosen.is_hidden:
            raise QAError.refuse("hidden")
        if locked.best_answer_id == chosen.pk:
            return locked
        before = locked.best_answer_id
        locked.best_answer = chosen
        locked.save(update_fields=["best_answer"])
        audit_record(
            actor=by,
            subject=locked,
            event="qa.best_answer",
            before={"best_answer": before},
            after={"best_answer": chosen.pk},
        )
        title = locked.title
        notify(
            user=chosen.author,
            kind="qa.best",
            message=lambda: _("Your answer to “%(title)s” was marked best.") % {"title": title},
            url=_question_url(locked) + f"#answer-{chosen.pk}",
        )
    return locked


def answer_vote(*, answer: Answer, by: User) -> HelpfulVote:
    """Mark an answer helpful: once per person (a unique constraint decides a race), never one's
    own answer."""
    current = Answer.objects.select_related("question").get(pk=answer.pk)
    if current.is_hidden or current.question.is_hidden:
        raise QAError.refuse("hidden")
    membership.member_required(question=current.question, user=by)
    if current.author_id == by.pk:
        raise QAError.refuse("own_answer")
    try:
        with transaction.atomic():
            return HelpfulVote.objects.create(answer=current, voter=by)
    except IntegrityError:
        raise QAError.refuse("already_voted") from None


def answer_unvote(*, answer: Answer, by: User) -> None:
    """Take back one's helpful vote."""
    current = Answer.objects.select_related("question").get(pk=answer.pk)
    membership.member_required(question=current.question, user=by)
    with transaction.atomic():
        deleted, _rows = HelpfulVote.objects.filter(answer_id=answer.pk, voter=by).delete()
    if not deleted:
        raise QAError.refuse("not_voted")


# --- an offer from an answer ---------------------------------------------------------------------


def answer_offer(
    *,
    answer: Answer,
    by: User,
    title: str,
    description: str,
    deliverables: str,
    milestones: Sequence[MilestoneInput],
    payment_due: datetime.date,
    inspection_days: int = 7,
    revision_limit: int = 2,
    withholding_category: bool = False,
    weekly_hours: int | None = None,
) -> Contract:
    """The asker offers a contract (written terms) to the author of an answer; the contract
    remembers the question through a :class:`QuestionOffer` row made in the same transaction."""
    with transaction.atomic():
        question = _lock_question(answer.question_id)
        chosen = Answer.objects.select_related("author").get(pk=answer.pk)
        membership.member_required(question=question, user=by)
        if by.pk != question.asker_id:
            raise QAError.refuse("not_the_asker")
        if chosen.is_hidden or question.is_hidden:
            raise QAError.refuse("hidden")
        contract = contract_offer(
            client=by,
            worker=chosen.author,
            title=title,
            description=description,
            deliverables=deliverables,
            milestones=milestones,
            payment_due=payment_due,
            inspection_days=inspection_days,
            revision_limit=revision_limit,
            withholding_category=withholding_category,
            weekly_hours=weekly_hours,
        )
        QuestionOffer.objects.create(contract=contract, question=question, answer=chosen)
        audit_record(
            actor=by,
            subject=question,
            event="qa.offer",
            after={"contract": contract.pk, "answer": chosen.pk},
        )
    return contract


# --- staff --------------------------------------------------------------------------------------


def _staff_reason(by: User, reason: str) -> str:
    if not by.is_staff:
        raise QAError.refuse("not_staff")
    clean = (reason or "").strip()
    if not clean:
        raise QAError.refuse("reason_required", field="reason")
    return clean[: rules.HIDE_REASON_MAX]


def _hidden_state(item: Question | Answer) -> dict[str, Any]:
    return {"hidden": item.is_hidden, "reason": item.hidden_reason}


def question_hide(*, question: Question, by: User, reason: str) -> Question:
    """Staff hide a question for abuse: nobody but staff sees it or its answers. Audited."""
    clean = _staff_reason(by, reason)
    with transaction.atomic():
        locked = _lock_question(question.pk)
        if locked.is_hidden:
            raise QAError.refuse("already_hidden")
        before = _hidden_state(locked)
        locked.hidden_at, locked.hidden_reason, locked.hidden_by = timezone.now(), clean, by
        locked.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        audit_record(
            actor=by,
            subject=locked,
            event="qa.question_hidden",
            before=before,
            after=_hidden_state(locked),
        )
        title = locked.title
        notify(
            user=locked.asker,
            kind="qa.hidden",
            message=lambda: (
                _("Your question “%(title)s” was hidden by staff: %(reason)s")
                % {"title": title, "reason": clean}
            ),
        )
    return locked


def question_unhide(*, question: Question, by: User) -> Question:
    if not by.is_staff:
        raise QAError.refuse("not_staff")
    with transaction.atomic():
        locked = _lock_question(question.pk)
        if not locked.is_hidden:
            raise QAError.refuse("not_hidden")
        before = _hidden_state(locked)
        locked.hidden_at, locked.hidden_reason, locked.hidden_by = None, "", None
        locked.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        audit_record(
            actor=by,
            subject=locked,
            event="qa.question_shown",
            before=before,
            after=_hidden_state(locked),
        )
    return locked


def answer_hide(*, answer: Answer, by: User, reason: str) -> Answer:
    """Staff hide an answer for abuse. A hidden answer cannot stay best: the mark is removed (and
    audited), and the answer no longer counts toward its author's standing."""
    clean = _staff_reason(by, reason)
    with transaction.atomic():
        question = _lock_question(answer.question_id)
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        if locked.is_hidden:
            raise QAError.refuse("already_hidden")
        before = {**_hidden_state(locked), "best": question.best_answer_id == locked.pk}
        if question.best_answer_id == locked.pk:
            question.best_answer = None
            question.save(update_fields=["best_answer"])
        locked.hidden_at, locked.hidden_reason, locked.hidden_by = timezone.now(), clean, by
        locked.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        audit_record(
            actor=by,
            subject=locked,
            event="qa.answer_hidden",
            before=before,
            after={**_hidden_state(locked), "best": False},
        )
        title = question.title
        notify(
            user=locked.author,
            kind="qa.hidden",
            message=lambda: (
                _("Your answer to “%(title)s” was hidden by staff: %(reason)s")
                % {"title": title, "reason": clean}
            ),
            url=_question_url(question),
        )
    return locked


def answer_unhide(*, answer: Answer, by: User) -> Answer:
    if not by.is_staff:
        raise QAError.refuse("not_staff")
    with transaction.atomic():
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        if not locked.is_hidden:
            raise QAError.refuse("not_hidden")
        before = _hidden_state(locked)
        locked.hidden_at, locked.hidden_reason, locked.hidden_by = None, "", None
        locked.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        audit_record(
            actor=by,
            subject=locked,
            event="qa.answer_shown",
            before=before,
            after=_hidden_state(locked),
        )
    return locked
