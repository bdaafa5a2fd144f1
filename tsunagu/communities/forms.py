"""Forms of the community pages. They parse; the services decide (and refuse with a message)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tsunagu.communities.models import ActivityKind, JoinPolicy, Role
from tsunagu.core.fields import InputForm
from tsunagu.profiles.models import Skill


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class CommunityForm(InputForm):
    name = forms.CharField(label=_("Name"), max_length=80)
    mission = forms.CharField(
        label=_("Mission statement"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the community works toward together."),
    )
    rules = forms.CharField(
        label=_("Rules"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    join_policy = forms.ChoiceField(
        label=_("Who can join"),
        choices=JoinPolicy.choices,
        initial=JoinPolicy.OPEN,
        widget=forms.RadioSelect,
    )
    requires_real_name = forms.BooleanField(
        label=_("Members must have a verified real name"), required=False
    )
    requires_face_photo = forms.BooleanField(
        label=_("Members must have a verified face photo"), required=False
    )
    cover = forms.FileField(
        label=_("Cover image (PNG, JPEG, GIF or WebP, up to 5 MB)"), required=False
    )


class PostForm(InputForm):
    body = forms.CharField(
        label=_("Post"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(InputForm):
    body = forms.CharField(
        label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class HideForm(InputForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class InviteForm(InputForm):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))


class RoleForm(InputForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RemoveForm(InputForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class DisplayForm(InputForm):
    show_real_name = forms.BooleanField(
        label=_("Show my verified real name to this community's members"), required=False
    )
    show_face_photo = forms.BooleanField(
        label=_("Show my verified face photo to this community's members"), required=False
    )


class ActivityForm(InputForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices, initial="event")
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=pgettext_lazy("activity", "Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts (your time zone)"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    ends_at = forms.DateTimeField(
        label=_("Ends (optional)"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    is_online = forms.BooleanField(label=_("Online"), required=False)
    capacity = forms.IntegerField(
        label=_("Capacity (empty: no limit)"), required=False, min_value=1, max_value=10_000
    )


class MemberFilterForm(InputForm):
    q = forms.CharField(label=_("Name or headline"), max_length=100, required=False)
    skill = forms.ModelChoiceField(
        label=_("Skill"),
        queryset=Skill.objects.order_by("category", "slug"),
        to_field_name="slug",
        required=False,
    )


class SearchForm(InputForm):
    q = forms.CharField(label=_("Search communities"), max_length=100, required=False)
