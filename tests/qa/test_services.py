"""The rules of ask-an-expert, through the services, with a second and a third person."""

from __future__ import annotations

import pytest

from tests.qa.conftest import unchanged
from tests.qa.factories import answer, category, person, question
from tsunagu.audit.models import AuditEvent
from tsunagu.notifications.models import Notification
from tsunagu.qa import rules, services
from tsunagu.qa.errors import ContactRefused, QAError
from tsunagu.qa.models import AnswerRevision, GuardFlag, HelpfulVote, QuestionStatus

pytestmark = pytest.mark.django_db

EMAIL = "詳しくは yamada.taro@gmail.com までメールください"
PHONE_KANJI = "電話ください 〇九〇・一二三四・五六七八"
SOLICIT = "サイト外で直接取引しませんか？手数料がかからないので"


def refused(code: str, call: object) -> QAError:
    with pytest.raises(QAError) as caught:
        unchanged(call)  # type: ignore[arg-type]
    assert caught.value.code == code
    return caught.value


def test_ask_with_a_named_expert_tells_the_expert() -> None:
    asker, expert = person("佐藤"), person("田中")
    q = question(asker, expert=expert)
    assert q.status == QuestionStatus.OPEN and q.expert == expert
    note = Notification.objects.get(user=expert, kind="qa.asked")
    assert "佐藤" in note.message and q.title in note.message
    assert note.url == f"/questions/{q.pk}/"
    assert not Notification.objects.filter(user=asker).exists()


def test_empty_title_long_body_and_unknown_category_are_refused() -> None:
    asker = person()
    assert refused("title_required", lambda: question(asker, title="   ")).field == "title"
    too_long = "あ" * (rules.BODY_MAX + 1)
    error = refused("body_too_long", lambda: question(asker, body=too_long))
    assert error.field == "body" and str(rules.BODY_MAX) in error.message
    refused("title_too_long", lambda: question(asker, title="題" * (rules.TITLE_MAX + 1)))
    refused("body_required", lambda: question(asker, body=""))
    refused("unknown_category", lambda: question(asker, category_id=999_999))
    refused("self_expert", lambda: question(asker, expert=asker))
    refused("binary", lambda: question(asker, body="制御\x00文字"))


@pytest.mark.parametrize("field", ["title", "body"])
@pytest.mark.parametrize("text", [EMAIL, PHONE_KANJI])
def test_contact_details_in_a_question_are_refused_and_nothing_is_stored(
    field: str, text: str
) -> None:
    asker = person()
    error = refused("contact_blocked", lambda: question(asker, **{field: text}))
    assert isinstance(error, ContactRefused)
    assert error.field == field and error.findings
    assert "外部連絡先" in error.message or "電話" in error.message or "メール" in error.message


def test_contact_details_in_an_answer_are_refused() -> None:
    q = question()
    expert = person()
    error = refused("contact_blocked", lambda: answer(q, expert, EMAIL))
    assert isinstance(error, ContactRefused) and error.findings[0]["kind"] == "email"


def test_solicitation_is_posted_with_a_warning() -> None:
    q = question(body=SOLICIT)
    assert q.guard_flag == GuardFlag.SOLICIT and q.warns_of_solicitation
    a = answer(q, body=SOLICIT)
    assert a.guard_flag == GuardFlag.SOLICIT
    assert answer(q).guard_flag == GuardFlag.NONE


def test_answer_tells_the_asker_once_per_person_and_never_ones_own() -> None:
    asker, expert = person(), person("鈴木")
    q = question(asker)
    a = answer(q, expert)
    note = Notification.objects.get(user=asker, kind="qa.answered")
    assert "鈴木" in note.message and note.url.endswith(f"#answer-{a.pk}")
    refused("already_answered", lambda: answer(q, expert))
    refused("own_question", lambda: answer(q, asker))
    refused("answer_required", lambda: answer(q, person(), " \n "))
    refused("answer_too_long", lambda: answer(q, person(), "あ" * (rules.ANSWER_MAX + 1)))


def test_answering_a_closed_question_is_refused() -> None:
    asker = person()
    q = question(asker)
    answer(q)
    refused("not_the_asker", lambda: services.question_close(question=q, by=person()))
    services.question_close(question=q, by=asker)
    q.refresh_from_db()
    assert q.status == QuestionStatus.CLOSED and q.closed_at is not None
    refused("closed", lambda: answer(q, person()))
    refused("closed", lambda: services.question_close(question=q, by=asker))


def test_best_answer_by_the_asker_changeable_while_open() -> None:
    asker, first, second, third = person(), person(), person(), person()
    q = question(asker)
    a1, a2 = answer(q, first), answer(q, second)
    refused("not_the_asker", lambda: services.answer_mark_best(question=q, answer=a1, by=third))
    refused("not_the_asker", lambda: services.answer_mark_best(question=q, answer=a1, by=first))
    services.answer_mark_best(question=q, answer=a1, by=asker)
    q.refresh_from_db()
    assert q.best_answer == a1
    assert Notification.objects.filter(user=first, kind="qa.best").count() == 1
    services.answer_mark_best(question=q, answer=a2, by=asker)
    q.refresh_from_db()
    assert q.best_answer == a2
    assert Notification.objects.filter(user=second, kind="qa.best").count() == 1
    assert AuditEvent.objects.filter(event="qa.best_answer", subject_id=str(q.pk)).count() == 2
    services.question_close(question=q, by=asker)
    refused("closed", lambda: services.answer_mark_best(question=q, answer=a1, by=asker))


def test_marking_an_answer_of_another_question_best_is_refused() -> None:
    asker = person()
    q, other = question(asker), question(person())
    stray = answer(other)
    refused("wrong_question", lambda: services.answer_mark_best(question=q, answer=stray, by=asker))
    refused(
        "not_the_asker", lambda: services.answer_mark_best(question=other, answer=stray, by=asker)
    )


def test_helpful_votes_once_per_person_never_ones_own() -> None:
    q = question()
    author, voter, other = person(), person(), person()
    a = answer(q, author)
    services.answer_vote(answer=a, by=voter)
    services.answer_vote(answer=a, by=other)
    refused("already_voted", lambda: services.answer_vote(answer=a, by=voter))
    refused("own_answer", lambda: services.answer_vote(answer=a, by=author))
    assert HelpfulVote.objects.filter(answer=a).count() == 2
    services.answer_unvote(answer=a, by=voter)
    refused("not_voted", lambda: services.answer_unvote(answer=a, by=voter))
    assert list(HelpfulVote.objects.values_list("voter", flat=True)) == [other.pk]


def test_edit_keeps_revisions_and_a_best_answer_is_frozen() -> None:
    asker, author = person(), person()
    q = question(asker)
    a = answer(q, author, "最初の回答です。")
    refused("not_the_author", lambda: services.answer_edit(answer=a, by=asker, body="書き換え"))
    refused("contact_blocked", lambda: services.answer_edit(answer=a, by=author, body=EMAIL))
    services.answer_edit(answer=a, by=author, body="直した回答です。")
    a.refresh_from_db()
    assert a.body == "直した回答です。" and a.edited_at is not None
    assert list(AnswerRevision.objects.filter(answer=a).values_list("body", flat=True)) == [
        "最初の回答です。"
    ]
    services.answer_mark_best(question=q, answer=a, by=asker)
    refused("best_locked", lambda: services.answer_edit(answer=a, by=author, body="後から変更"))


def test_staff_hide_a_question_and_an_answer_audited() -> None:
    staff = person()
    staff.is_staff = True
    staff.save()
    asker, author = person(), person()
    q = question(asker)
    a = answer(q, author)
    services.answer_mark_best(question=q, answer=a, by=asker)
    refused("not_staff", lambda: services.answer_hide(answer=a, by=asker, reason="spam"))
    refused("reason_required", lambda: services.answer_hide(answer=a, by=staff, reason=" "))
    services.answer_hide(answer=a, by=staff, reason="宣伝")
    q.refresh_from_db()
    a.refresh_from_db()
    assert a.is_hidden and q.best_answer is None
    event = AuditEvent.objects.get(event="qa.answer_hidden")
    assert event.actor == staff and event.before == {"hidden": False, "reason": "", "best": True}
    refused("hidden", lambda: services.answer_vote(answer=a, by=person()))
    refused("hidden", lambda: services.answer_mark_best(question=q, answer=a, by=asker))
    services.answer_unhide(answer=a, by=staff)
    services.question_hide(question=q, by=staff, reason="規約違反")
    q.refresh_from_db()
    assert q.is_hidden
    refused("not_found", lambda: answer(q, person()))
    refused("already_hidden", lambda: services.question_hide(question=q, by=staff, reason="x"))
    services.question_unhide(question=q, by=staff)
    assert AuditEvent.objects.filter(subject_type="qa.question").count() == 3


def test_category_is_one_of_the_jobs_categories() -> None:
    q = question(category_id=category("writing").pk)
    assert q.category.slug == "writing"


def test_an_offer_from_an_answer_only_by_the_asker_and_linked_to_the_question() -> None:
    import datetime

    from django.utils import timezone

    from tsunagu.contracts.services import MilestoneInput
    from tsunagu.qa.models import QuestionOffer

    asker, expert, third = person(), person(), person()
    q = question(asker)
    a = answer(q, expert)
    due = timezone.localdate() + datetime.timedelta(days=14)
    terms: dict[str, object] = {
        "title": q.title,
        "description": "回答を受けての発注",
        "deliverables": "翻訳文",
        "milestones": [MilestoneInput(title="翻訳", amount=20_000, due_date=due)],
        "payment_due": due + datetime.timedelta(days=30),
    }
    refused("not_the_asker", lambda: services.answer_offer(answer=a, by=third, **terms))  # type: ignore[arg-type]
    contract = services.answer_offer(answer=a, by=asker, **terms)  # type: ignore[arg-type]
    assert contract.worker == expert and contract.client == asker
    link = QuestionOffer.objects.get(contract=contract)
    assert link.question == q and link.answer == a
    assert AuditEvent.objects.filter(event="qa.offer", subject_id=str(q.pk)).exists()
