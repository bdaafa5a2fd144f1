"""Profile pages: the public profile, the worker list and the owner's edit page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from tsunagu.profiles import selectors, services
from tsunagu.profiles.forms import PortfolioItemForm, ProfileForm, WorkerFilterForm
from tsunagu.profiles.models import PortfolioItem, Profile
from tsunagu.profiles.signals import profile_viewed
from tsunagu.profiles.timezones import parse_zone


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _viewer_zone(request: HttpRequest) -> tuple[str, bool]:
    """The viewer's zone name and whether it came from a valid ``tz`` query parameter."""
    if request.user.is_authenticated:
        return request.user.time_zone or selectors.DEFAULT_ZONE, False
    asked = request.GET.get("tz", "")
    if asked and parse_zone(asked) is not None:
        return asked, True
    return selectors.DEFAULT_ZONE, False


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_public_get(pk=pk)
    profile_viewed.send(sender=Profile, request=request, profile=profile)
    zone_name, from_query = _viewer_zone(request)
    bad_zone = bool(request.GET.get("tz")) and not from_query and not request.user.is_authenticated
    viewer_profile: Profile | None = None
    if request.user.is_authenticated:
        viewer_profile = Profile.objects.filter(user=request.user).first()
    time_view = selectors.profile_time_view(
        profile=profile, viewer_zone_name=zone_name, viewer_profile=viewer_profile
    )
    return render(
        request,
        "profiles/detail.html",
        {
            "profile": profile,
            "is_owner": request.user.is_authenticated and request.user.pk == profile.user_id,
            "badges": selectors.profile_badges(profile=profile),
            "languages": selectors.language_labels(profile.languages or []),
            "time": time_view,
            "zones": selectors.COMMON_ZONES,
            "bad_zone": bad_zone,
        },
    )


@require_GET
def worker_list(request: HtmxHttpRequest) -> HttpResponse:
    form = WorkerFilterForm(request.GET or None)
    result = selectors.worker_page(filters=form.filters(), page_number=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "result": result, "query": query.urlencode()}
    if request.htmx and not request.htmx.boosted:
        return render(request, "profiles/_worker_results.html", context)
    return render(request, "profiles/worker_list.html", context)


def _own_profile(request: HttpRequest) -> Profile:
    return get_object_or_404(Profile.objects.select_related("user"), user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(profile=profile, actor=request.user, changes=form.changes())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your profile was saved."))
                return redirect("profiles:edit")
    else:
        form = ProfileForm(initial=ProfileForm.initial_from(profile))
    return render(request, "profiles/edit.html", _edit_context(profile, form, PortfolioItemForm()))


def _edit_context(
    profile: Profile, form: ProfileForm, portfolio_form: PortfolioItemForm
) -> dict[str, object]:
    return {
        "profile": profile,
        "form": form,
        "portfolio_form": portfolio_form,
        "items": list(profile.portfolio_items.order_by("position", "id")),
        "completeness": selectors.profile_completeness(profile=profile),
    }


@login_required
@require_POST
def portfolio_add(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    form = PortfolioItemForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.portfolio_item_add(
                profile=profile,
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                description=data.get("description") or "",
                url=data.get("url") or "",
                upload=data.get("file"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The item was added to your portfolio."))
            return redirect("profiles:edit")
    return render(
        request,
        "profiles/edit.html",
        _edit_context(profile, ProfileForm(initial=ProfileForm.initial_from(profile)), form),
        status=400,
    )


@login_required
@require_POST
def portfolio_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    # only the owner's own items can be found at all: anyone else gets 404
    item = get_object_or_404(PortfolioItem, pk=pk, profile__user=request.user)
    services.portfolio_item_remove(item=item, actor=request.user)
    if request.htmx:
        profile = _own_profile(request)
        return render(
            request,
            "profiles/_portfolio_manage.html",
            {"items": list(profile.portfolio_items.order_by("position", "id")), "removed": True},
        )
    messages.success(request, _("The item was removed from your portfolio."))
    return redirect("profiles:edit")
