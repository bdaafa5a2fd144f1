"""The review, reply and report forms. They check types and sizes for a quick answer; the
services hold the rules and check again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.core.fields import InputForm
from tsunagu.trust import rules


class ReviewForm(InputForm):
    stars = forms.TypedChoiceField(
        label=_("stars"),
        choices=[(n, "★" * n) for n in range(rules.STARS_MAX, rules.STARS_MIN - 1, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    tags = forms.MultipleChoiceField(
        label=_("what went well"), required=False, widget=forms.CheckboxSelectMultiple
    )
    text = forms.CharField(
        label=_("review"),
        max_length=rules.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown on their profile once both of you have reviewed, or after 14 days."),
    )
    private_feedback = forms.CharField(
        label=_("private feedback to staff"),
        max_length=rules.PRIVATE_FEEDBACK_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only Tsunagu staff read this; the other side never sees it."),
    )

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tags = self.fields["tags"]
        assert isinstance(tags, forms.MultipleChoiceField)
        tags.choices = [(code, label) for code, label in rules.TAGS[role].items()]


class ReplyForm(InputForm):
    text = forms.CharField(
        label=_("your reply"), max_length=rules.REPLY_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportForm(InputForm):
    reason = forms.CharField(
        label=_("why this review should be looked at"),
        max_length=rules.REPORT_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
