"""Forms for the account pages. They shape input; the rules live in services.py."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import BusinessKind, IdentityDocumentType, Language
from tsunagu.core.fields import InputForm


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    )
    return [(name, name.replace("_", " ")) for name in names] + [("UTC", "UTC")]


class PhoneNumberForm(InputForm):
    number = forms.CharField(
        label=_("Mobile phone number"),
        max_length=40,
        help_text=_("Numbers in Japan can be written as 090-1234-5678; others start with +."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


class PhoneCodeForm(InputForm):
    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"[0-9０-９ ]*",
            }
        ),
    )


class RealNameForm(InputForm):
    """Plain-text names only: markup is refused with a message rather than stripped."""

    family_name = forms.CharField(label=_("Family name"), max_length=60)
    given_name = forms.CharField(label=_("Given name"), max_length=60)


class IdentityDocumentForm(InputForm):
    document_type = forms.ChoiceField(
        label=_("Document"), choices=[("", "---------"), *IdentityDocumentType.choices]
    )
    file = forms.FileField(
        label=_("Photo or scan of the document"),
        help_text=_("JPEG, PNG or PDF, at most 10 MB. All corners and text must be readable."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )


class FacePhotoForm(InputForm):
    file = forms.FileField(
        label=_("Face photo"),
        help_text=_("JPEG or PNG, at most 10 MB. Your face must be clearly visible."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )


class BusinessDetailsForm(InputForm):
    kind = forms.ChoiceField(
        label=_("Business type"), choices=BusinessKind.choices, widget=forms.RadioSelect
    )
    legal_name = forms.CharField(label=_("Legal name or trade name"), max_length=120)
    registration_number = forms.CharField(
        label=_("Qualified-invoice registration number"),
        max_length=40,
        required=False,
        help_text=_(
            "T followed by 13 digits, e.g. T1234567890123. Leave empty if you are not registered."
        ),
    )


class SettingsForm(InputForm):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = time_zone_choices()


class AccountCloseForm(InputForm):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Enter your password to confirm. This cannot be undone."),
    )
