"""The introduce, accept and reward forms: types and sizes for a quick answer; the services
hold the rules and check again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.core.fields import InputForm
from tsunagu.jobs.models import Job
from tsunagu.profiles.models import Profile
from tsunagu.referrals.models import NOTE_MAX, REWARD_MAX, ReferralKind


class IntroduceForm(InputForm):
    kind = forms.ChoiceField(
        label=_("what to do"),
        choices=[
            (ReferralKind.INTRODUCE, _("Introduce a worker to a client")),
            (ReferralKind.FORWARD, _("Forward a client's job to a peer who fits better")),
        ],
        widget=forms.RadioSelect,
        initial=ReferralKind.INTRODUCE,
    )
    worker = forms.ModelChoiceField(
        label=_("worker (the person you recommend)"), queryset=Profile.objects.none()
    )
    client = forms.ModelChoiceField(
        label=_("client"),
        queryset=Profile.objects.none(),
        required=False,
        help_text=_("For a forwarded job, the job's client is used."),
    )
    job = forms.ModelChoiceField(
        label=_("job"),
        queryset=Job.objects.none(),
        required=False,
        help_text=_("Required when forwarding; optional for an introduction."),
    )
    note = forms.CharField(
        label=_("note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Why they fit, e.g. 「翻訳ならHanaさんをおすすめします」. Shown at the top of their "
            "conversation; no outside contact details."
        ),
    )

    def __init__(
        self,
        *args: Any,
        known: list[Profile],
        jobs: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        ids = [p.pk for p in known]
        worker_field = self.fields["worker"]
        client_field = self.fields["client"]
        job_field = self.fields["job"]
        assert isinstance(worker_field, forms.ModelChoiceField)
        assert isinstance(client_field, forms.ModelChoiceField)
        assert isinstance(job_field, forms.ModelChoiceField)
        worker_field.queryset = Profile.objects.filter(pk__in=ids).order_by("display_name")
        client_field.queryset = Profile.objects.filter(pk__in=ids).order_by("display_name")
        job_field.queryset = jobs

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == ReferralKind.FORWARD:
            job = data.get("job")
            if job is None:
                self.add_error("job", _("Choose the job to forward."))
        elif kind == ReferralKind.INTRODUCE and data.get("client") is None:
            self.add_error("client", _("Choose the client."))
        return data


class AcceptForm(InputForm):
    reward = forms.IntegerField(
        label=_("referral reward to the introducer (yen, optional)"),
        min_value=0,
        max_value=REWARD_MAX,
        required=False,
        help_text=_(
            "Paid once from your balance to the person who introduced you, when the payments "
            "released on your contract together reach it. It cannot be larger than the payment."
        ),
    )


class RewardForm(InputForm):
    reward = forms.IntegerField(label=_("referral reward (yen)"), min_value=0, max_value=REWARD_MAX)
