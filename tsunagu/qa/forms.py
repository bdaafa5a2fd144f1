"""Forms of the ask-an-expert pages. They parse what people type; the services decide the rules
(lengths, the contact guard), so pages and the API refuse with the same words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.jobs.models import Category
from tsunagu.qa import rules
from tsunagu.qa.errors import QAError
from tsunagu.qa.models import QuestionStatus


class QuestionSearchForm(forms.Form):
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


class QuestionForm(forms.Form):
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


class AnswerForm(forms.Form):
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
