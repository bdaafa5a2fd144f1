from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.core.fields import InputForm


class ApiTokenCreateForm(InputForm):
    name = forms.CharField(
        label=_("Token name"),
        max_length=60,
        strip=True,
        help_text=_("Say where it will be used, for example “invoice script on my laptop”."),
        error_messages={
            "required": _("Give the token a name."),
            "max_length": _("Use at most %(limit_value)d characters for the name."),
        },
    )
