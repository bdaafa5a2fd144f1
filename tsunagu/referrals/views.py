"""Referral pages: connections and requests, the introduce form, introductions received with
accept/decline, my introductions with their outcomes, one introduction, "who can introduce me"
and complementary trades. Each POST calls one service; a refusal changes nothing and says why.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagu.accounts.request import signed_in_user
from tsunagu.core.errors import DomainError, error_text
from tsunagu.jobs.models import Job, JobStatus, Visibility
from tsunagu.jobs.selectors import job_get_for_viewer
from tsunagu.profiles.models import Profile
from tsunagu.referrals import graph, selectors, services
from tsunagu.referrals.errors import ReferralError
from tsunagu.referrals.forms import AcceptForm, IntroduceForm, RewardForm
from tsunagu.referrals.models import ReferralKind


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(default)


# ---------------------------------------------------------------- connections


@login_required
@require_GET
def connections(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request, "referrals/connections.html", {"groups": selectors.connections_of(user=user)}
    )


@login_required
@require_POST
def connection_request(request: HttpRequest, profile_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    profile = get_object_or_404(Profile.objects.select_related("user"), pk=profile_pk)
    try:
        services.connection_request(by=user, to=profile.user)
    except ReferralError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request to connect was sent."))
    return _back(request, "referrals:connections")


def _connection_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        row = selectors.connection_for_party(pk=pk, viewer=user)
    except ReferralError:
        raise Http404 from None
    try:
        action(connection=row, by=user)
    except ReferralError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return _back(request, "referrals:connections")


@login_required
@require_POST
def connection_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _connection_action(request, pk, services.connection_accept, _("You are now connected."))


@login_required
@require_POST
def connection_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _connection_action(request, pk, services.connection_decline, _("Request declined."))


@login_required
@require_POST
def connection_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _connection_action(request, pk, services.connection_remove, _("Connection removed."))


# ---------------------------------------------------------------- introductions


JOB_CHOICES = 200


def _introduce_jobs(extra: object) -> Any:
    """The jobs one may forward: the newest open public ones (and the one asked for)."""
    open_jobs = Job.objects.filter(status=JobStatus.OPEN, visibility=Visibility.PUBLIC)
    ids = list(open_jobs.order_by("-id").values_list("pk", flat=True)[:JOB_CHOICES])
    if isinstance(extra, int):
        ids.append(extra)
    return open_jobs.filter(pk__in=ids).select_related("client__profile").order_by("-id")


@login_required
@require_http_methods(["GET", "POST"])
def introduce(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    known = selectors.known_profiles(user=user)
    initial: dict[str, Any] = {}
    for key in ("worker", "client", "job"):
        value = request.GET.get(key, "")
        if value.isdigit():
            initial[key] = int(value)
    if initial.get("job"):
        initial["kind"] = ReferralKind.FORWARD
    wanted_job = initial.get("job") or _int(request.POST.get("job", ""))
    form = IntroduceForm(
        request.POST or None, initial=initial, known=known, jobs=_introduce_jobs(wanted_job)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            job = data.get("job")
            client = job.client if data["kind"] == ReferralKind.FORWARD and job else None
            if client is None:
                client = data["client"].user
            try:
                referral = services.referral_create(
                    by=user,
                    kind=data["kind"],
                    client=client,
                    worker=data["worker"].user,
                    job=job,
                    note=data["note"],
                )
            except DomainError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, exc.message)
            else:
                messages.success(request, _("Your introduction was sent."))
                return redirect("referrals:detail", referral.pk)
        status = 422
    return render(
        request, "referrals/introduce.html", {"form": form, "known": known}, status=status
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(request, "referrals/mine.html", {"rows": selectors.referrals_made(user=user)})


@login_required
@require_GET
def incoming(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    rows = selectors.referrals_received(user=user)
    return render(
        request,
        "referrals/incoming.html",
        {"rows": rows, "accept_form": AcceptForm()},
    )


def _referral(request: HttpRequest, pk: int) -> Any:
    user = signed_in_user(request)
    try:
        return user, selectors.referral_for_viewer(pk=pk, viewer=user)
    except ReferralError:
        raise Http404 from None


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = _referral(request, pk)
    row = selectors.referral_row(referral=referral)
    return render(
        request,
        "referrals/detail.html",
        {
            "row": row,
            "referral": referral,
            "is_receiver": referral.receiver_id == user.pk,
            "is_client": referral.client_id == user.pk,
            "is_referrer": referral.referrer_id == user.pk,
            "accept_form": AcceptForm(),
            "reward_form": RewardForm(initial={"reward": referral.reward}),
        },
    )


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = _referral(request, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back(request, "referrals:incoming")
    try:
        referral = services.referral_accept(
            referral=referral, by=user, reward=form.cleaned_data.get("reward") or None
        )
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return _back(request, "referrals:incoming")
    messages.success(request, _("Introduction accepted: your conversation is open."))
    if referral.room_id:
        return redirect("messaging:room", referral.room_id)
    return redirect("referrals:detail", referral.pk)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = _referral(request, pk)
    try:
        services.referral_decline(referral=referral, by=user)
    except ReferralError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Introduction declined."))
    return _back(request, "referrals:incoming")


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = _referral(request, pk)
    try:
        services.referral_withdraw(referral=referral, by=user)
    except ReferralError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Introduction withdrawn."))
    return _back(request, "referrals:mine")


@login_required
@require_POST
def reward(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = _referral(request, pk)
    form = RewardForm(request.POST)
    if form.is_valid():
        try:
            services.referral_reward_set(
                referral=referral, by=user, reward=form.cleaned_data["reward"]
            )
        except ReferralError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The referral reward was saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("referrals:detail", referral.pk)


# ---------------------------------------------------------------- who can introduce, trades


@login_required
@require_GET
def who_can_introduce(request: HttpRequest, profile_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    profile = get_object_or_404(Profile, pk=profile_pk)
    answer = graph.who_can_introduce(viewer_id=user.pk, target_id=profile.user_id)
    return render(
        request,
        "referrals/who.html",
        {"target": profile, "answer": answer, "job": None},
    )


@login_required
@require_GET
def who_for_job(request: HttpRequest, job_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    job = job_get_for_viewer(pk=job_pk, viewer=user)
    profile = get_object_or_404(Profile, user_id=job.client_id)
    answer = graph.who_can_introduce(viewer_id=user.pk, target_id=job.client_id)
    return render(request, "referrals/who.html", {"target": profile, "answer": answer, "job": job})


@login_required
@require_GET
def trades(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    wanted, suggestions = selectors.complementary_suggestions(user=user)
    return render(
        request,
        "referrals/trades.html",
        {
            "wanted": wanted,
            "suggestions": suggestions,
            "worked_with": selectors.trades_worked_with(user_id=user.pk),
        },
    )
