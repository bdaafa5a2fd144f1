"""Forms of the ask-an-expert pages. They parse what people type; the services decide the rules
(lengths, the contact guard), so pages and the API refuse with the same words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.communities.models import Community
from tsunagu.core.fields import InputForm
from tsunagu.jobs.models import Category
from tsunagu.qa import membership, rules
from tsunagu.qa.errors import QAError
from tsunagu.qa.models import QuestionStatus


class QuestionSearchForm(InputForm):
    q = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 翻訳 契約書")}),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *QuestionStatus.choices],
    )

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("All categories")),
            *((c.slug, c.name) for c in categories),
        ]


class QuestionForm(InputForm):
    title = forms.CharField(
        label=_("Title"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": rules.TITLE_MAX}),
        help_text=_("One sentence: what do you want to know?"),
    )
    body = forms.CharField(
        label=_("Your question"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": rules.BODY_MAX}),
        help_text=_(
            "Describe your situation. Do not write e-mail addresses, phone numbers or other "
            "outside contact details: they are refused."
        ),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), empty_label=None, required=False
    )
    community = forms.ModelChoiceField(
        label=_("Who can see it"),
        queryset=Community.objects.none(),
        empty_label=_("Everyone (a public question)"),
        required=False,
        help_text=_("A question asked in a community is seen and answered by its members only."),
        error_messages={"invalid_choice": QAError.messages["not_a_member"]},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # only the communities the asker is an active member of are offered (or accepted)
        self.fields["community"].queryset = membership.communities_for_asking(user)  # type: ignore[attr-defined]


class AnswerForm(InputForm):
    body = forms.CharField(
        label=_("Your answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": rules.ANSWER_MAX}),
        help_text=_("Outside contact details are refused; clients can send you an offer here."),
    )


def add_error(form: forms.Form, exc: QAError) -> None:
    """Show a refusal beside the field it is about (or above the form)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
