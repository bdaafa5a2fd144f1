"""Forms for profiles. The web pages and the API (PATCH /profiles/me) validate with the same form."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tsunagu.core.fields import InputForm
from tsunagu.core.uploads import CheckedFile, check_upload
from tsunagu.profiles import rules
from tsunagu.profiles.models import (
    Availability,
    Currency,
    PortfolioKind,
    Profile,
    Skill,
    SkillCategory,
    SpokenLanguage,
    Weekday,
    WorkerSort,
)


class TagsField(forms.Field):
    """Free tags typed comma-separated, or sent as a list by the API."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        if isinstance(value, str | list | tuple):
            return rules.parse_tags(value)
        raise ValidationError(_("Enter tags separated by commas."), code="invalid")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value


class SkillChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ProfileForm(InputForm):
    display_name = forms.CharField(label=_("display name"), max_length=50)
    show_real_name = forms.BooleanField(label=_("show my real name on my profile"), required=False)
    headline = forms.CharField(label=_("headline"), max_length=120, required=False)
    bio = forms.CharField(
        label=_("about me"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown is supported: **bold**, *italic*, lists and links."),
    )
    is_worker = forms.BooleanField(label=_("I take on work"), required=False)
    is_client = forms.BooleanField(label=_("I order work"), required=False)
    skills = SkillChoiceField(
        label=_("skills"),
        queryset=Skill.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = TagsField(
        label=_("free tags"),
        required=False,
        help_text=_("Separate tags with commas. Up to 20 tags of up to 30 characters each."),
    )
    hourly_rate = forms.DecimalField(
        label=_("hourly rate"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        help_text=_("Leave empty if you prefer to quote per job."),
    )
    currency = forms.ChoiceField(label=_("currency"), choices=Currency.choices)
    working_hours_start = forms.TimeField(
        label=_("working hours from"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    working_hours_end = forms.TimeField(
        label=_("working hours until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("In your own time zone. An end before the start means you work past midnight."),
    )
    working_days = forms.TypedMultipleChoiceField(
        label=_("working days"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    weekly_capacity_hours = forms.IntegerField(
        label=_("weekly capacity (hours)"), min_value=0, max_value=112
    )
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=SpokenLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.ChoiceField(label=_("availability"), choices=Availability.choices)

    @staticmethod
    def initial_from(profile: Profile) -> dict[str, Any]:
        """The profile's current values in the form's terms (the rate in the main unit)."""
        return {
            "display_name": profile.display_name,
            "show_real_name": profile.show_real_name,
            "headline": profile.headline,
            "bio": profile.bio,
            "is_worker": profile.is_worker,
            "is_client": profile.is_client,
            "skills": [s.slug for s in profile.skills.all()],
            "tags": list(profile.tags or []),
            "hourly_rate": (
                rules.minor_to_major(profile.hourly_rate, profile.currency)
                if profile.hourly_rate is not None
                else None
            ),
            "currency": profile.currency,
            "working_hours_start": profile.working_hours_start,
            "working_hours_end": profile.working_hours_end,
            "working_days": list(profile.working_days or []),
            "weekly_capacity_hours": profile.weekly_capacity_hours,
            "languages": list(profile.languages or []),
            "availability": profile.availability,
        }

    def clean_display_name(self) -> str:
        value: str = self.cleaned_data["display_name"]
        rules.check_single_line(value)
        if not value.strip():
            raise ValidationError(_("Enter a display name."), code="required")
        return value.strip()

    def clean_headline(self) -> str:
        value: str = self.cleaned_data["headline"]
        rules.check_single_line(value)
        return value.strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: datetime.time | None = data.get("working_hours_start")
        end: datetime.time | None = data.get("working_hours_end")
        if start is not None and end is not None and start == end:
            self.add_error(
                "working_hours_end",
                ValidationError(
                    _("The end of your working hours must differ from the start."),
                    code="same_time",
                ),
            )
        rate: Decimal | None = data.get("hourly_rate")
        currency = data.get("currency")
        if rate is not None and currency:
            try:
                data["hourly_rate_minor"] = rules.major_to_minor(rate, currency)
            except ValidationError as exc:
                self.add_error("hourly_rate", exc)
        elif rate is None:
            data["hourly_rate_minor"] = None
        return data

    def changes(self) -> dict[str, Any]:
        """Cleaned values as the service takes them."""
        data = self.cleaned_data
        return {
            "display_name": data["display_name"],
            "show_real_name": data["show_real_name"],
            "headline": data["headline"],
            "bio": data["bio"],
            "is_worker": data["is_worker"],
            "is_client": data["is_client"],
            "skills": list(data["skills"]),
            "tags": data["tags"],
            "hourly_rate": data.get("hourly_rate_minor"),
            "currency": data["currency"],
            "working_hours_start": data["working_hours_start"],
            "working_hours_end": data["working_hours_end"],
            "working_days": sorted(set(data["working_days"])),
            "weekly_capacity_hours": data["weekly_capacity_hours"],
            "languages": list(dict.fromkeys(data["languages"])),
            "availability": data["availability"],
        }

    def skill_groups(self) -> list[tuple[str, list[Any]]]:
        """The skill checkboxes grouped by category, in the taxonomy's order."""
        groups: dict[str, list[Any]] = {}
        for widget in self["skills"]:
            instance = getattr(widget.data["value"], "instance", None)
            category = getattr(instance, "category", "")
            groups.setdefault(category, []).append(widget)
        labels = dict(SkillCategory.choices)
        return [(str(labels.get(c, c)), groups[c]) for c in SkillCategory.values if c in groups]


class PortfolioItemForm(InputForm):
    kind = forms.ChoiceField(label=_("kind"), choices=PortfolioKind.choices)
    title = forms.CharField(label=_("title"), max_length=100)
    description = forms.CharField(
        label=_("description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    url = forms.URLField(
        label=_("link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("For a link: an address starting with http:// or https://."),
    )
    file = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_(
            "Images: PNG, JPEG, GIF or WebP up to 5 MB. "
            "Files: PDF, ZIP, DOCX, XLSX, PPTX or TXT up to 10 MB."
        ),
    )

    def clean_title(self) -> str:
        value: str = self.cleaned_data["title"]
        rules.check_single_line(value)
        return value.strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == PortfolioKind.LINK:
            if not data.get("url") and "url" not in self.errors:
                self.add_error(
                    "url", ValidationError(_("Enter the link's address."), code="required")
                )
            data["file"] = None
        elif kind in (PortfolioKind.IMAGE, PortfolioKind.FILE):
            upload: UploadedFile | None = data.get("file")
            if upload is None:
                if "file" not in self.errors:
                    self.add_error(
                        "file", ValidationError(_("Choose a file to upload."), code="required")
                    )
            else:
                try:
                    check_portfolio_upload(kind=kind, upload=upload)
                except ValidationError as exc:
                    self.add_error("file", exc)
            data["url"] = ""
        return data


def check_portfolio_upload(*, kind: str, upload: UploadedFile) -> CheckedFile:
    """Size and real type of a portfolio upload; raises ValidationError for the uploader."""
    if kind == PortfolioKind.IMAGE:
        return check_upload(
            upload, allowed_kinds=rules.IMAGE_KINDS, max_bytes=rules.MAX_IMAGE_BYTES
        )
    checked = check_upload(upload, allowed_kinds=rules.FILE_KINDS, max_bytes=rules.MAX_FILE_BYTES)
    if not rules.file_extension_allowed(upload.name or "") or checked.kind not in rules.FILE_KINDS:
        raise ValidationError(
            gettext("This type of file is not accepted. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(rules.FILE_EXTENSIONS))},
            code="file_type",
        )
    return checked


class WorkerFilterForm(InputForm):
    q = forms.CharField(
        label=_("Keyword"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or headline")}),
    )
    skill = forms.ModelChoiceField(
        label=_("skill"),
        queryset=Skill.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any skill"),
    )
    language = forms.ChoiceField(
        label=_("language"),
        choices=[("", _("Any language")), *SpokenLanguage.choices],
        required=False,
    )
    availability = forms.ChoiceField(
        label=_("availability"),
        choices=[("", _("Any availability")), *Availability.choices],
        required=False,
    )
    min_score = forms.IntegerField(
        label=_("Trust score at least"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("0–100; workers who are new have no score yet and are left out."),
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=WorkerSort.choices, required=False)

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid one is ignored (the form shows why)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").strip(),
            "skill": data.get("skill"),
            "language": data.get("language") or "",
            "availability": data.get("availability") or "",
            "min_score": data.get("min_score"),
            "sort": data.get("sort") or "",
        }
