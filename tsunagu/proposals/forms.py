"""Forms of the proposal and interview pages: they parse what people type; services decide."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tsunagu.core.fields import InputForm
from tsunagu.proposals.models import MAX_PRICE, MAX_PROPOSED_MILESTONES, DeclineReason
from tsunagu.proposals.services import DURATIONS, MAX_SLOTS, ProposedMilestone

MILESTONE_PREFIX = "pm"
FREE_SLOTS = 2


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ProposalForm(InputForm):
    cover_letter = forms.CharField(
        label=_("Cover letter"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you will do, how, and why you fit this job."),
    )
    price = forms.IntegerField(
        label=_("Price (yen, tax excluded)"),
        min_value=1,
        max_value=MAX_PRICE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "money-input"}),
    )
    schedule = forms.CharField(
        label=_("Schedule"),
        max_length=500,
        required=False,
        help_text=_("For example: first draft in 5 days, final version in 10."),
    )
    delivery_date = forms.DateField(label=_("Delivery date"), required=False, widget=DateInput)


class ProposedMilestoneForm(InputForm):
    title = forms.CharField(label=_("Milestone"), max_length=120, required=False)
    amount = forms.IntegerField(
        label=_("Amount (yen)"), min_value=1, max_value=MAX_PRICE, required=False
    )
    due_date = forms.DateField(
        label=pgettext_lazy("proposal", "Date"), required=False, widget=DateInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        title, amount = data.get("title"), data.get("amount")
        if (title or amount or data.get("due_date")) and not (title and amount):
            raise ValidationError(_("A milestone needs both a title and an amount."))
        return data


ProposedMilestoneFormSet = formset_factory(
    ProposedMilestoneForm,
    extra=3,
    max_num=MAX_PROPOSED_MILESTONES,
    validate_max=True,
    absolute_max=MAX_PROPOSED_MILESTONES,
)


def milestone_formset(data: Any = None) -> Any:
    return ProposedMilestoneFormSet(data, prefix=MILESTONE_PREFIX)


def proposed_milestones(formset: Any) -> list[ProposedMilestone]:
    return [
        ProposedMilestone(
            title=f.cleaned_data["title"],
            amount=f.cleaned_data["amount"],
            due_date=f.cleaned_data.get("due_date"),
        )
        for f in formset.forms
        if f.cleaned_data.get("title")
    ]


class DeclineForm(InputForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    note = forms.CharField(
        label=_("Message to the worker (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ScoutForm(InputForm):
    job = forms.IntegerField(min_value=1)
    profile = forms.IntegerField(min_value=1)


class InterviewForm(InputForm):
    """Suggested times (checkboxes, UTC values) plus up to two times of one's own choosing,
    typed in one's own zone. Times outside both people's hours need ``confirm_outside``."""

    suggested = forms.MultipleChoiceField(
        label=_("Times when you both work"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("Length"),
        coerce=int,
        choices=[(d, _("%(minutes)d minutes") % {"minutes": d}) for d in DURATIONS],
        initial=60,
    )
    confirm_outside = forms.BooleanField(
        label=_("Propose these times even though they are outside someone's working hours"),
        required=False,
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], zone: ZoneInfo, **kw: Any):
        super().__init__(*args, **kw)
        self.zone = zone
        suggested = self.fields["suggested"]
        assert isinstance(suggested, forms.MultipleChoiceField)
        suggested.choices = choices
        for index in range(FREE_SLOTS):
            self.fields[f"other_{index}"] = forms.DateTimeField(
                label=_("Another time (your time zone)"),
                required=False,
                widget=DateTimeLocalInput(),
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
            )

    def starts(self) -> list[datetime.datetime]:
        data = self.cleaned_data
        out = [
            datetime.datetime.strptime(v, "%Y-%m-%dT%H:%MZ").replace(tzinfo=datetime.UTC)
            for v in data.get("suggested") or []
        ]
        for index in range(FREE_SLOTS):
            value = data.get(f"other_{index}")
            if value is not None:
                # typed as wall-clock time in the viewer's own zone
                out.append(value.replace(tzinfo=None).replace(tzinfo=self.zone))
        return out

    def free_starts(self) -> list[datetime.datetime]:
        return self.starts()[len(self.cleaned_data.get("suggested") or []) :]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            count = len(self.starts())
            if count < 3 or count > MAX_SLOTS:
                raise ValidationError(_("Propose between 3 and 5 different times."))
        return data
