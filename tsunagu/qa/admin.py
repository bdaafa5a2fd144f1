"""Staff views of questions, answers, votes, revisions and offers from answers.

Nothing is edited here directly: hiding a question or an answer for abuse (and showing it again)
goes through the services, which audit it and tell the author. The reason is typed beside the
action menu.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.accounts.models import User
from tsunagu.qa import rules, services
from tsunagu.qa.errors import QAError
from tsunagu.qa.models import (
    Answer,
    AnswerRevision,
    HelpfulVote,
    Question,
    QuestionOffer,
)


class HideActionForm(ActionForm):
    reason = forms.CharField(
        label=gettext_lazy("reason (sent to the author)"),
        max_length=rules.HIDE_REASON_MAX,
        required=False,
    )


def _each(
    request: HttpRequest, items: QuerySet[Any], call: Callable[[Any, User], Any], done: str
) -> None:
    staff = request.user
    assert isinstance(staff, User)
    count = refused = 0
    errors: list[str] = []
    for item in items:
        try:
            call(item, staff)
        except QAError as exc:
            refused += 1
            if exc.message not in errors:
                errors.append(exc.message)
        else:
            count += 1
    level = messages.WARNING if refused else messages.SUCCESS
    text = done % {"count": count, "refused": refused}
    messages.add_message(request, level, " ".join([text, *errors]))


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AnswerInline(ReadOnly, admin.TabularInline[Answer, Question]):
    model = Answer
    fk_name = "question"
    extra = 0
    readonly_fields = ("author", "body", "guard_flag", "created_at", "edited_at", "hidden_at")
    fields = readonly_fields
    show_change_link = True


@admin.register(Question)
class QuestionAdmin(ReadOnly, admin.ModelAdmin[Question]):
    list_display = (
        "id",
        "title",
        "asker",
        "category",
        "community",
        "status",
        "guard_flag",
        "hidden_at",
    )
    list_filter = (
        "status",
        "category",
        ("community", admin.EmptyFieldListFilter),
        "guard_flag",
        ("hidden_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("title", "body", "asker__email")
    list_select_related = ("asker", "category", "community")
    readonly_fields = (
        "asker",
        "title",
        "body",
        "category",
        "community",
        "expert",
        "status",
        "best_answer",
        "guard_flag",
        "created_at",
        "closed_at",
        "hidden_at",
        "hidden_reason",
        "hidden_by",
    )
    fields = readonly_fields
    inlines = [AnswerInline]
    action_form = HideActionForm
    actions = ["hide", "unhide"]

    @admin.action(description=gettext_lazy("Hide the selected questions (reason below)"))
    def hide(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        reason = request.POST.get("reason", "")
        _each(
            request,
            queryset,
            lambda q, staff: services.question_hide(question=q, by=staff, reason=reason),
            _("%(count)d hidden, %(refused)d refused."),
        )

    @admin.action(description=gettext_lazy("Show the selected questions again"))
    def unhide(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        _each(
            request,
            queryset,
            lambda q, staff: services.question_unhide(question=q, by=staff),
            _("%(count)d shown again, %(refused)d refused."),
        )


class RevisionInline(ReadOnly, admin.TabularInline[AnswerRevision, Answer]):
    model = AnswerRevision
    extra = 0
    readonly_fields = ("body", "written_at", "replaced_at")
    fields = readonly_fields


@admin.register(Answer)
class AnswerAdmin(ReadOnly, admin.ModelAdmin[Answer]):
    list_display = ("id", "question", "author", "guard_flag", "created_at", "hidden_at")
    list_filter = ("guard_flag", ("hidden_at", admin.EmptyFieldListFilter))
    search_fields = ("body", "author__email", "question__title")
    list_select_related = ("question", "author")
    readonly_fields = (
        "question",
        "author",
        "body",
        "guard_flag",
        "created_at",
        "edited_at",
        "hidden_at",
        "hidden_reason",
        "hidden_by",
    )
    fields = readonly_fields
    inlines = [RevisionInline]
    action_form = HideActionForm
    actions = ["hide", "unhide"]

    @admin.action(description=gettext_lazy("Hide the selected answers (reason below)"))
    def hide(self, request: HttpRequest, queryset: QuerySet[Answer]) -> None:
        reason = request.POST.get("reason", "")
        _each(
            request,
            queryset,
            lambda a, staff: services.answer_hide(answer=a, by=staff, reason=reason),
            _("%(count)d hidden, %(refused)d refused."),
        )

    @admin.action(description=gettext_lazy("Show the selected answers again"))
    def unhide(self, request: HttpRequest, queryset: QuerySet[Answer]) -> None:
        _each(
            request,
            queryset,
            lambda a, staff: services.answer_unhide(answer=a, by=staff),
            _("%(count)d shown again, %(refused)d refused."),
        )


@admin.register(HelpfulVote)
class HelpfulVoteAdmin(ReadOnly, admin.ModelAdmin[HelpfulVote]):
    list_display = ("id", "answer", "voter", "created_at")
    list_select_related = ("answer", "voter")
    readonly_fields = ("answer", "voter", "created_at")
    fields = readonly_fields


@admin.register(AnswerRevision)
class AnswerRevisionAdmin(ReadOnly, admin.ModelAdmin[AnswerRevision]):
    list_display = ("id", "answer", "written_at", "replaced_at")
    readonly_fields = ("answer", "body", "written_at", "replaced_at")
    fields = readonly_fields


@admin.register(QuestionOffer)
class QuestionOfferAdmin(ReadOnly, admin.ModelAdmin[QuestionOffer]):
    list_display = ("contract", "question", "answer", "created_at")
    list_select_related = ("contract", "question", "answer")
    readonly_fields = ("contract", "question", "answer", "created_at")
    fields = readonly_fields
