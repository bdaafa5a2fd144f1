"""Wallet forms. Both the pages and the API validate through these, so the rules are the same."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tsunagu.core.fields import InputForm
from tsunagu.payments.models import BankAccountType

# Full-width katakana, the long-vowel mark, the middle dot and full-width/ASCII spaces.
KATAKANA_NAME = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FB\u3000 ]+$")
DIGITS_7 = re.compile(r"^[0-9]{7}$")


def to_full_width_katakana(value: str) -> str:
    """Half-width katakana (ｶﾀｶﾅ) becomes full-width (カタカナ); runs of spaces become one.

    NFKC also turns full-width digits and letters into ASCII, which then fail the katakana rule
    with a clear message instead of being stored.
    """
    text = unicodedata.normalize("NFKC", value).replace("\u3000", " ")
    return re.sub(r" +", " ", text).strip()


class AmountForm(InputForm):
    """An amount in whole yen; the service checks the limits of each operation."""

    amount = forms.IntegerField(
        label=_("Amount (yen)"),
        error_messages={
            "required": _("Enter an amount."),
            "invalid": _("Enter a whole number of yen."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1", "min": "1"}),
    )

    def __init__(self, *args: Any, maximum: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if maximum is not None:
            self.fields["amount"].widget.attrs["max"] = str(maximum)


class TopUpForm(AmountForm):
    pass


class PayoutForm(AmountForm):
    pass


class BankAccountForm(InputForm):
    bank_name = forms.CharField(label=_("Bank"), max_length=60)
    branch_name = forms.CharField(label=_("Branch"), max_length=60)
    account_type = forms.ChoiceField(
        label=_("Account type"),
        choices=BankAccountType.choices,
        initial=BankAccountType.ORDINARY,
    )
    account_number = forms.CharField(
        label=_("Account number"),
        max_length=20,
        help_text=_("7 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    holder_kana = forms.CharField(
        label=_("Account holder (katakana)"),
        max_length=60,
        help_text=_("As the bank has it, in katakana, e.g. ヤマダ ハナコ."),
    )

    def clean_bank_name(self) -> str:
        return _one_line(self.cleaned_data["bank_name"])

    def clean_branch_name(self) -> str:
        return _one_line(self.cleaned_data["branch_name"])

    def clean_account_number(self) -> str:
        value = unicodedata.normalize("NFKC", self.cleaned_data["account_number"]).strip()
        if not DIGITS_7.match(value):
            raise forms.ValidationError(_("Enter the account number as 7 digits."))
        return value

    def clean_holder_kana(self) -> str:
        value = to_full_width_katakana(self.cleaned_data["holder_kana"])
        if not value or not KATAKANA_NAME.match(value):
            raise forms.ValidationError(
                _("Enter the holder's name in full-width katakana and spaces only.")
            )
        return value


def _one_line(value: str) -> str:
    text = " ".join(unicodedata.normalize("NFKC", value).split())
    if not text:
        raise forms.ValidationError(_("This field is required."))
    return text


def payout_limits() -> dict[str, int]:
    return {"minimum": settings.PAYOUT_MINIMUM, "fee": settings.PAYOUT_FEE}
