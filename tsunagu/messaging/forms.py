"""Forms of the messaging pages. They only shape input; the services decide and write."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import User
from tsunagu.core.fields import InputForm
from tsunagu.messaging.models import RoomMember
from tsunagu.messaging.services import MAX_BODY, MAX_FILES
from tsunagu.profiles.models import Profile

_PROFILE_URL = re.compile(r"/profiles/(\d+)/?")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the composer's attachments)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ComposerForm(InputForm):
    # Lengths and empty messages are the service's to refuse, with its own messages.
    body = forms.CharField(
        label=_("Message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_BODY}),
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_("Up to %(count)s files: images, PDF, ZIP, Office documents or text.")
        % {"count": MAX_FILES},
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class EditForm(InputForm):
    body = forms.CharField(
        label=_("New text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_BODY}),
    )


def _display_name(user: User) -> str:
    return user.profile.display_name


class TaskForm(InputForm):
    title = forms.CharField(label=_("Task"), max_length=200)
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=User.objects.none())
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_time = forms.TimeField(
        label=_("Due time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args: Any, members: list[RoomMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = [m.user_id for m in members if m.removed_at is None]
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=active).select_related("profile")
        field.label_from_instance = _display_name  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("due_date"), data.get("due_time")
        if time is not None and day is None:
            self.add_error("due_date", _("Give a date for the due time."))
        return data

    def due_at(self) -> datetime.datetime | None:
        """The due time, read in the time zone of the person filling in the form."""
        day, time = self.cleaned_data.get("due_date"), self.cleaned_data.get("due_time")
        if day is None:
            return None
        moment = datetime.datetime.combine(day, time or datetime.time(23, 59))
        return timezone.make_aware(moment, timezone.get_current_timezone())


def find_person(value: str) -> User | None:
    """An account by e-mail address, profile number or profile URL."""
    value = value.strip()
    if "@" in value:
        return User.objects.filter(email__iexact=value, is_active=True).first()
    match = _PROFILE_URL.search(value)
    number = match.group(1) if match else value
    if number.isdigit():
        profile = Profile.objects.filter(pk=int(number)).select_related("user").first()
        if profile is not None and profile.user.is_active:
            return profile.user
    return None


class MemberAddForm(InputForm):
    person = forms.CharField(
        label=_("E-mail address or profile"),
        max_length=254,
        help_text=_("The worker's e-mail address, or the address of their profile page."),
    )

    def clean_person(self) -> User:
        user = find_person(self.cleaned_data["person"])
        if user is None:
            raise forms.ValidationError(_("No one was found with that e-mail address or profile."))
        return user


class GroupCreateForm(InputForm):
    title = forms.CharField(label=_("Group name"), max_length=120)
    people = forms.CharField(
        label=_("Workers to add"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One e-mail address or profile address per line. You can add more later."),
    )

    def clean_people(self) -> list[User]:
        found: list[User] = []
        missing: list[str] = []
        for line in self.cleaned_data["people"].splitlines():
            if not line.strip():
                continue
            user = find_person(line)
            if user is None:
                missing.append(line.strip())
            elif user not in found:
                found.append(user)
        if missing:
            raise forms.ValidationError(
                _("No one was found for: %(people)s") % {"people": ", ".join(missing)}
            )
        return found


class InquiryStartForm(InputForm):
    worker = forms.IntegerField(required=False, min_value=1)
    profile = forms.IntegerField(required=False, min_value=1)
    subject_type = forms.ChoiceField(
        required=False, choices=[("profile", "profile"), ("job", "job")]
    )
    subject_id = forms.CharField(required=False, max_length=64)
    title = forms.CharField(required=False, max_length=120)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        worker: User | None = None
        if data.get("profile"):
            profile = Profile.objects.filter(pk=data["profile"]).select_related("user").first()
            worker = profile.user if profile else None
        elif data.get("worker"):
            worker = User.objects.filter(pk=data["worker"]).first()
        if worker is None or not worker.is_active:
            raise forms.ValidationError(_("Choose the person you want to ask."))
        data["worker_user"] = worker
        if not data.get("subject_type"):
            data["subject_type"] = "profile"
            data["subject_id"] = str(worker.profile.pk)
        return data
