"""Forms for posting a job and for searching; both front ends (pages and API) use them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.accounts.selectors import LEVEL_CODES, level_label
from tsunagu.core.fields import InputForm
from tsunagu.jobs import audience, rules, tokenize
from tsunagu.jobs.models import MAX_BUDGET, MAX_WEEKLY_HOURS, Category, Job, JobKind, Visibility
from tsunagu.jobs.selectors import POSTED_WITHIN, SearchParams
from tsunagu.profiles.models import Skill


class SkillChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Skill) -> str:
        return obj.name


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return obj.name


def _yen(label: Any, *, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_BUDGET,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
    )


def _community_model() -> Any:
    """The community model, reached through the job's foreign key (jobs sits below
    communities and does not import it)."""
    return Job._meta.get_field("community").related_model


class JobForm(InputForm):
    """A job's fields. ``publishing=True`` also checks the publishing rules (rules.py), so the
    page shows every problem next to its field; drafts accept anything that parses."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=120, required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    category = CategoryChoiceField(
        label=gettext_lazy("Category"), queryset=Category.objects.all(), required=False
    )
    skills = SkillChoiceField(
        label=gettext_lazy("Skills"),
        queryset=Skill.objects.order_by("category", "slug"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"), choices=JobKind.choices, initial=JobKind.FIXED
    )
    budget_min = _yen(gettext_lazy("Budget from (yen)"))
    budget_max = _yen(gettext_lazy("Budget up to (yen)"))
    weekly_hours_cap = forms.IntegerField(
        label=gettext_lazy("Hours a week at most (hourly jobs)"),
        required=False,
        min_value=1,
        max_value=MAX_WEEKLY_HOURS,
    )
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    workers_wanted = forms.IntegerField(
        label=gettext_lazy("Workers wanted"), min_value=1, max_value=100, initial=1
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    community = forms.ModelChoiceField(
        label=gettext_lazy("Community (when only its members may see the job)"),
        queryset=_community_model().objects.none(),
        required=False,
    )
    trial_description = forms.CharField(
        label=gettext_lazy("Paid trial task (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    trial_fee = _yen(gettext_lazy("Trial task fee (yen)"))

    def __init__(
        self,
        *args: Any,
        publishing: bool = False,
        today: Any = None,
        poster: Any = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.publishing = publishing
        self.today = today
        # only the communities the poster is an active member of (jobs.audience)
        ids = audience.community_ids_for(getattr(poster, "pk", None))
        community_field = self.fields["community"]
        assert isinstance(community_field, forms.ModelChoiceField)
        community_field.queryset = _community_model().objects.filter(pk__in=ids)
        if not ids:
            # no community to post to: neither the choice nor the field is offered
            del self.fields["community"]
            visibility = self.fields["visibility"]
            assert isinstance(visibility, forms.ChoiceField)
            visibility.choices = [c for c in Visibility.choices if c[0] != Visibility.COMMUNITY]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.publishing and self.today is not None:
            values = {**data, "workers_wanted": data.get("workers_wanted")}
            for name, message in rules.publish_errors(values, today=self.today).items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, message)
        return data

    def values(self) -> dict[str, Any]:
        """The cleaned values of fields that parsed (drafts keep what they can)."""
        data = getattr(self, "cleaned_data", {})
        out = {k: data[k] for k in (*rules.JOB_FIELDS, "skills") if k in data}
        if "skills" in out:
            out["skills"] = list(out["skills"])
        for name in ("title", "description", "trial_description"):
            if name in out:
                out[name] = out[name] or ""
        if out.get("workers_wanted") is None:
            out.pop("workers_wanted", None)
        return out

    @classmethod
    def initial_from(cls, job: Any) -> dict[str, Any]:
        initial = {name: getattr(job, name) for name in rules.JOB_FIELDS}
        initial["skills"] = list(job.skills.all())
        return initial


SORT_CHOICES = [
    ("", gettext_lazy("Best match / newest")),
    ("newest", gettext_lazy("Newest")),
    ("budget", gettext_lazy("Highest budget")),
    ("client_trust", gettext_lazy("Client's trust score")),
    ("relevance", gettext_lazy("Relevance")),
]


class JobSearchForm(InputForm):
    """Search words and filters. Bad values get a message and the search is not run."""

    q = forms.CharField(
        label=gettext_lazy("Keywords"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("e.g. 翻訳, 動画, Python")}
        ),
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[("", gettext_lazy("Any type")), *JobKind.choices],
    )
    budget_min = _yen(gettext_lazy("Budget from (yen)"))
    budget_max = _yen(gettext_lazy("Budget up to (yen)"))
    skills = forms.MultipleChoiceField(label=gettext_lazy("Skills"), required=False)
    posted_within = forms.ChoiceField(
        label=gettext_lazy("Posted"),
        required=False,
        choices=[
            ("", gettext_lazy("Any time")),
            ("1", gettext_lazy("In the last 24 hours")),
            ("3", gettext_lazy("In the last 3 days")),
            ("7", gettext_lazy("In the last week")),
            ("30", gettext_lazy("In the last 30 days")),
        ],
    )
    verification = forms.ChoiceField(label=gettext_lazy("Client verified"), required=False)
    client_score_min = forms.IntegerField(
        label=gettext_lazy("Client's trust score at least"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("0–100; clients who are new have no score yet and are left out."),
    )
    sort = forms.ChoiceField(label=gettext_lazy("Sort"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cat = self.fields["category"]
        assert isinstance(cat, forms.ChoiceField)
        cat.choices = [
            ("", _("All categories")),
            *((c.slug, c.name) for c in Category.objects.all()),
        ]
        skills = self.fields["skills"]
        assert isinstance(skills, forms.MultipleChoiceField)
        skills.choices = [(s.slug, s.name) for s in Skill.objects.order_by("category", "slug")]
        ver = self.fields["verification"]
        assert isinstance(ver, forms.ChoiceField)
        ver.choices = [("", _("Any")), *((code, level_label(code)) for code in LEVEL_CODES)]
        assert POSTED_WITHIN.keys() == {"1", "3", "7", "30"}

    def clean_q(self) -> str:
        q: str = (self.cleaned_data.get("q") or "").strip()
        if len(q) > tokenize.MAX_QUERY_CHARS:
            raise forms.ValidationError(
                _("Search words are limited to %(count)d characters.")
                % {"count": tokenize.MAX_QUERY_CHARS},
                code="too_long",
            )
        if q and not tokenize.query_terms(q):
            raise forms.ValidationError(
                _("Enter words to search for, not only symbols."), code="no_words"
            )
        return q

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("budget_min"), data.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_min", _("The lowest budget is above the highest."))
        if data.get("sort") == "relevance" and not data.get("q"):
            data["sort"] = ""
        return data

    def params(self) -> SearchParams:
        d = self.cleaned_data
        return SearchParams(
            query=d.get("q") or "",
            category=d.get("category") or "",
            kind=d.get("kind") or "",
            budget_min=d.get("budget_min"),
            budget_max=d.get("budget_max"),
            skills=list(d.get("skills") or []),
            posted_within=d.get("posted_within") or "",
            verification=d.get("verification") or "",
            client_score_min=d.get("client_score_min"),
            sort=d.get("sort") or "",
        )


class SavedSearchForm(InputForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    alerts = forms.BooleanField(
        label=gettext_lazy("E-mail me new matches"), required=False, initial=True
    )


class WorkerSearchForm(InputForm):
    q = forms.CharField(
        label=gettext_lazy("Keywords"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def clean_q(self) -> str:
        q: str = (self.cleaned_data.get("q") or "").strip()
        if len(q) > tokenize.MAX_QUERY_CHARS:
            raise forms.ValidationError(
                _("Search words are limited to %(count)d characters.")
                % {"count": tokenize.MAX_QUERY_CHARS}
            )
        if q and not tokenize.query_terms(q):
            raise forms.ValidationError(_("Enter words to search for, not only symbols."))
        return q


class InviteForm(InputForm):
    job = forms.IntegerField(label=gettext_lazy("Job"))
    profile = forms.IntegerField(widget=forms.HiddenInput)


class AttachmentForm(InputForm):
    file = forms.FileField(label=gettext_lazy("File"))
