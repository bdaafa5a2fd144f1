"""Forms of the income page. The rules themselves are in ``services``; these only read input."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tsunagu.core.fields import InputForm
from tsunagu.income.models import MAX_AMOUNT
from tsunagu.income.services import NOTE_MAX, SOURCE_MAX

MAX_UPLOAD_BYTES = 1024 * 1024


class TargetForm(InputForm):
    monthly_amount = forms.IntegerField(
        label=_("Monthly target (yen)"), min_value=1, max_value=MAX_AMOUNT
    )
    concentration_limit = forms.IntegerField(
        label=_("Warn when one client brings more than (%)"),
        min_value=10,
        max_value=100,
        initial=50,
    )


class OutsideIncomeForm(InputForm):
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.IntegerField(label=_("Amount (yen)"), min_value=1, max_value=MAX_AMOUNT)
    source = forms.CharField(label=pgettext_lazy("income source", "From"), max_length=SOURCE_MAX)
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)


class OutsideImportForm(InputForm):
    file = forms.FileField(label=_("CSV file"))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file can be at most 1 MB."))
        return bytes(upload.read())


class RecurringForm(InputForm):
    label = forms.CharField(label=_("Name"), max_length=80)
    monthly_amount = forms.IntegerField(
        label=_("Expected each month (yen)"), min_value=1, max_value=MAX_AMOUNT
    )
    client = forms.TypedChoiceField(
        label=_("Client on Tsunagu"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, clients: Sequence[tuple[int, str]] = ()
    ) -> None:
        super().__init__(data)
        field = self.fields["client"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Outside Tsunagu")), *clients]
