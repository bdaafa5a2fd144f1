"""The worker's analytics page, reaching out to a viewer, and the private-browsing setting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagu.accounts.request import signed_in_user
from tsunagu.analytics import selectors, services
from tsunagu.analytics.chart import views_chart
from tsunagu.analytics.errors import AnalyticsError
from tsunagu.analytics.forms import PeriodForm, PreferenceForm, ReachOutForm
from tsunagu.analytics.models import AnalyticsPreference, ViewSource
from tsunagu.core.errors import error_text


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    profile = selectors.own_profile(user=signed_in_user(request))
    period = PeriodForm(request.GET)
    days = 30
    if period.is_valid():
        days = period.cleaned_data["days"] or 30
    else:
        messages.error(request, _("Choose a period of 30 or 90 days. Showing the last 30 days."))
    summary = selectors.profile_summary(profile=profile, days=days)
    viewers = selectors.profile_viewers(
        profile=profile,
        since=summary.since,
        today_start=summary.today_start,
    )
    sources = [(str(ViewSource(value).label), count) for value, count in summary.sources.items()]
    return render(
        request,
        "analytics/dashboard.html",
        {
            "profile": profile,
            "days": days,
            "periods": selectors.PERIODS,
            "summary": summary,
            "chart": views_chart(summary.days),
            "sources": sources,
            "viewers": viewers,
            "funnel": summary.funnel,
            "reach_out_limit": services.REACH_OUT_LIMIT,
        },
    )


@login_required
@require_POST
def reach_out(request: HttpRequest) -> HttpResponse:
    form = ReachOutForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["viewer"][0]))
        return redirect("analytics:dashboard")
    try:
        room = services.profile_viewer_reach_out(
            owner=signed_in_user(request),
            viewer_id=form.cleaned_data["viewer"],
        )
    except AnalyticsError as exc:
        messages.error(request, error_text(exc))
        return redirect("analytics:dashboard")
    return redirect("messaging:room", pk=room.pk)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = AnalyticsPreference.objects.filter(user=signed_in_user(request)).first()
    if request.method == "POST":
        form = PreferenceForm(request.POST, instance=current)
        if form.is_valid():
            services.analytics_preference_set(
                user=signed_in_user(request),
                private_browsing=form.cleaned_data["private_browsing"],
            )
            messages.success(request, _("Your analytics settings were saved."))
            return redirect("analytics:preferences")
    else:
        form = PreferenceForm(instance=current)
    return render(request, "analytics/preferences.html", {"form": form})
