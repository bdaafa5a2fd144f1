"""Questions asked without ordering anything, their answers, helpful votes and the offers made
from an answer.

Rows change only through :mod:`tsunagu.qa.services`. Nothing is deleted: staff hide a question or
an answer for abuse (audited), and an answer's earlier wordings are kept as revisions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tsunagu.qa.rules import ANSWER_MAX, BODY_MAX, HIDE_REASON_MAX, TITLE_MAX


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class GuardFlag(models.TextChoices):
    NONE = "", _("none")
    SOLICIT = "solicit", _("off-platform request")


class Question(models.Model):
    """``expert``: a person asked directly (told so); anyone may still answer.

    ``best_answer`` is one of this question's answers, chosen by the asker while it is open.

    ``community``: a question asked inside a community is seen, answered and voted on by that
    community's active members only (see :mod:`tsunagu.qa.membership`). The link is PROTECT,
    not SET_NULL: clearing it would turn a members-only question into a public one, so a
    community that still has questions cannot be deleted (communities are never deleted
    anyway; their rows are kept).
    """

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions_asked"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("question"), max_length=BODY_MAX)
    category = models.ForeignKey(
        "jobs.Category", on_delete=models.PROTECT, related_name="questions"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions_directed",
        verbose_name=_("expert asked"),
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("community"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    best_answer = models.OneToOneField(
        "qa.Answer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="best_of",
        verbose_name=_("best answer"),
    )
    guard_flag = models.CharField(
        _("contact guard"), max_length=8, choices=GuardFlag.choices, default="", blank=True
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=HIDE_REASON_MAX, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["category", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expert__isnull=True) | ~Q(expert=F("asker")),
                name="qa_question_expert_not_asker",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="qa_question_closed_at_with_status",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == QuestionStatus.OPEN

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def warns_of_solicitation(self) -> bool:
        return self.guard_flag == GuardFlag.SOLICIT


class Answer(models.Model):
    """One person's answer to a question (one each; they edit it rather than answer again).

    An answer marked best is frozen: it cannot be edited while it is the best answer, so the
    text the asker chose is the text everyone reads. Every earlier wording of an edited answer
    is kept in :class:`AnswerRevision`.
    """

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers_written"
    )
    body = models.TextField(_("answer"), max_length=ANSWER_MAX)
    guard_flag = models.CharField(
        _("contact guard"), max_length=8, choices=GuardFlag.choices, default="", blank=True
    )
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=HIDE_REASON_MAX, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["question", "author"], name="qa_answer_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"answer {self.pk} to question {self.question_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def warns_of_solicitation(self) -> bool:
        return self.guard_flag == GuardFlag.SOLICIT


class AnswerRevision(models.Model):
    """An earlier wording of an answer, kept when its author edits it."""

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="revisions")
    body = models.TextField(_("earlier wording"))
    written_at = models.DateTimeField(_("written at"))
    replaced_at = models.DateTimeField(_("replaced at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("answer revision")
        verbose_name_plural = _("answer revisions")

    def __str__(self) -> str:
        return f"revision {self.pk} of answer {self.answer_id}"


class HelpfulVote(models.Model):
    """One person found an answer helpful: once per answer, never one's own."""

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="helpful_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("helpful vote")
        verbose_name_plural = _("helpful votes")
        constraints = [
            models.UniqueConstraint(fields=["answer", "voter"], name="qa_vote_once_per_answer"),
        ]

    def __str__(self) -> str:
        return f"vote of {self.voter_id} for answer {self.answer_id}"


class QuestionOffer(models.Model):
    """A contract offered to an answer's author from that answer: the contract remembers the
    question it came from, without the contracts app knowing about questions."""

    contract = models.OneToOneField(
        "contracts.Contract",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="question_offer",
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="offers")
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="offers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("offer from an answer")
        verbose_name_plural = _("offers from answers")

    def __str__(self) -> str:
        return f"contract {self.contract_id} from question {self.question_id}"


class QuestionSearchDocument(models.Model):
    """The search tokens of one question (``qa_question_fts`` on SQLite, a GIN-indexed tsvector
    on PostgreSQL), made with the jobs' tokeniser."""

    question = models.OneToOneField(
        Question, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    tokens = models.TextField()

    class Meta:
        verbose_name = _("question search document")

    def __str__(self) -> str:
        return f"question {self.question_id}"
