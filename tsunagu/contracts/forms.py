"""Forms of the contract pages. They parse what people type; the services decide the rules."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.contracts import fees
from tsunagu.contracts.models import MAX_WEEKLY_HOURS
from tsunagu.contracts.services import MAX_MILESTONE_AMOUNT, MAX_MILESTONES, MilestoneInput
from tsunagu.core.fields import InputForm

MILESTONE_PREFIX = "m"


class DateInput(forms.DateInput):
    input_type = "date"


class OfferForm(InputForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description of the work"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    deliverables = forms.CharField(
        label=_("Deliverables"),
        max_length=2000,
        help_text=_("What will be handed over, e.g. “10 articles as Word files”."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    inspection_days = forms.IntegerField(
        label=_("Inspection period (days)"),
        initial=7,
        min_value=1,
        max_value=30,
        help_text=_(
            "Days the client has to inspect each delivery before it is accepted automatically."
        ),
    )
    revision_limit = forms.IntegerField(
        label=_("Revision requests allowed"), initial=2, min_value=0, max_value=10
    )
    payment_due = forms.DateField(
        label=_("Payment due date"),
        widget=DateInput,
        help_text=_("At most 60 days after the last delivery date (Freelance Act)."),
    )
    withholding_category = forms.BooleanField(
        label=_("This work is subject to withholding tax (e.g. writing, design, translation)"),
        required=False,
    )
    weekly_hours = forms.IntegerField(
        label=_("Estimated hours a week (optional)"),
        required=False,
        min_value=1,
        max_value=MAX_WEEKLY_HOURS,
        help_text=_("Helps the worker see whether the work fits the time they have."),
    )


class MilestoneForm(InputForm):
    title = forms.CharField(label=_("Milestone"), max_length=120)
    amount = forms.IntegerField(
        label=_("Fee excluding tax (yen)"),
        min_value=1,
        max_value=MAX_MILESTONE_AMOUNT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "money-input"}),
    )
    due_date = forms.DateField(label=_("Delivery date"), widget=DateInput)


MilestoneFormSet = formset_factory(
    MilestoneForm,
    extra=0,
    min_num=1,
    max_num=MAX_MILESTONES,
    validate_min=True,
    validate_max=True,
    absolute_max=MAX_MILESTONES,
)


def milestone_formset(data: QueryDict | None = None) -> Any:
    if data is None:
        due = timezone.localdate() + datetime.timedelta(days=14)
        return MilestoneFormSet(prefix=MILESTONE_PREFIX, initial=[{"due_date": due}])
    return MilestoneFormSet(data, prefix=MILESTONE_PREFIX)


def milestone_rows(data: QueryDict) -> list[dict[str, str]]:
    """The milestone rows as typed, to add or remove one and show the form again."""
    try:
        total = int(data.get(f"{MILESTONE_PREFIX}-TOTAL_FORMS", "0"))
    except ValueError:
        total = 0
    total = max(0, min(total, MAX_MILESTONES))
    return [
        {
            name: data.get(f"{MILESTONE_PREFIX}-{i}-{name}", "")
            for name in ("title", "amount", "due_date")
        }
        for i in range(total)
    ]


def milestone_inputs(formset: Any) -> list[MilestoneInput]:
    return [
        MilestoneInput(
            title=form.cleaned_data["title"],
            amount=form.cleaned_data["amount"],
            due_date=form.cleaned_data["due_date"],
        )
        for form in formset.forms
        if form.cleaned_data
    ]


def offer_estimate(rows: list[dict[str, str]], *, withholding: bool) -> dict[str, int]:
    """Fee, tax and total of the rows typed so far (rows that are not whole yen count as 0)."""
    amounts = []
    for row in rows:
        try:
            value = int(str(row.get("amount", "")).replace(",", "").strip())
        except ValueError:
            continue
        if 0 < value <= MAX_MILESTONE_AMOUNT:
            amounts.append(value)
    amount = sum(amounts)
    tax = sum(fees.consumption_tax(a) for a in amounts)
    withheld = sum(fees.withholding(a) for a in amounts) if withholding else 0
    return {
        "amount": amount,
        "tax": tax,
        "total": amount + tax,
        "withholding": withheld,
        "count": len(amounts),
    }


def add_service_errors(form: forms.Form, formset: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the field it names (milestones on the formset)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        if name == "milestones":
            formset.non_form_errors().extend(errors)
        elif name in form.fields:
            form.add_error(name, errors)
        else:
            form.add_error(None, errors)


class MessageForm(InputForm):
    message = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DeliveryForm(InputForm):
    message = forms.CharField(
        label=_("Message to the client"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReasonForm(InputForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CancellationForm(InputForm):
    release_amount = forms.IntegerField(
        label=_("Fee the worker keeps (yen, tax excluded)"), min_value=0, initial=0
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DisputeDecisionForm(InputForm):
    release_amount = forms.IntegerField(
        label=_("Fee released to the worker (yen, tax excluded)"), min_value=0
    )
    note = forms.CharField(
        label=_("Decision (both parties will see it)"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, maximum: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["release_amount"]
        assert isinstance(field, forms.IntegerField)
        field.max_value = maximum
        field.validators.append(_max_validator(maximum))
        field.help_text = _("Between ¥0 and ¥%(maximum)s; the rest is refunded to the client.") % {
            "maximum": f"{maximum:,}"
        }


def _max_validator(maximum: int) -> Any:
    from django.core.validators import MaxValueValidator

    return MaxValueValidator(maximum)
