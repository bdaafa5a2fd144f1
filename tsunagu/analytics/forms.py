from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.analytics.models import AnalyticsPreference
from tsunagu.core.fields import InputForm, InputModelForm


class PreferenceForm(InputModelForm[AnalyticsPreference]):
    class Meta:
        model = AnalyticsPreference
        fields = ["private_browsing"]


class ReachOutForm(InputForm):
    viewer = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("Choose a person from the list of clients who viewed your profile."),
            "invalid": _("Choose a person from the list of clients who viewed your profile."),
            "min_value": _("Choose a person from the list of clients who viewed your profile."),
        },
    )


class PeriodForm(InputForm):
    days = forms.TypedChoiceField(
        choices=[(30, _("Last 30 days")), (90, _("Last 90 days"))], coerce=int, required=False
    )
