"""Pages of proposals, scouting, offers from proposals and interviews. Thin: forms parse,
services write, selectors read; every page checks who is asking (404 for anyone else)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagu.accounts.models import User
from tsunagu.accounts.request import signed_in_user
from tsunagu.contracts import forms as contract_forms
from tsunagu.contracts.services import MAX_MILESTONES
from tsunagu.core.errors import DomainError, error_text
from tsunagu.jobs import selectors as job_selectors
from tsunagu.jobs.models import Job
from tsunagu.profiles.models import Profile
from tsunagu.profiles.selectors import zone_of
from tsunagu.proposals import forms, selectors, services, slots
from tsunagu.proposals.errors import ProposalError
from tsunagu.proposals.models import InterviewStatus, Proposal


def _add_errors(form: Any, exc: ValidationError, formset: Any = None) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            if name in form.fields:
                form.add_error(name, errors)
            else:
                form.add_error(None, errors)
    else:
        form.add_error(None, exc)


# --- worker: propose, my proposals, withdraw --------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest, job_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    job = job_selectors.job_get_for_viewer(pk=job_pk, viewer=user)
    existing = selectors.proposal_of(job=job, worker=user)
    if existing is not None:
        messages.info(request, _("You have already sent a proposal for this job."))
        return redirect("proposals:detail", existing.pk)
    if job.client_id == user.pk:
        messages.error(request, _("You cannot send a proposal to your own job."))
        return redirect("jobs:detail", job.pk)
    status = 200
    if request.method == "POST":
        form = forms.ProposalForm(request.POST)
        formset = forms.milestone_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                proposal = services.proposal_submit(
                    worker=user,
                    job=job,
                    cover_letter=data["cover_letter"],
                    price=data["price"],
                    schedule=data["schedule"],
                    delivery_date=data["delivery_date"],
                    milestones=forms.proposed_milestones(formset),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Your proposal was sent."))
                return redirect("proposals:detail", proposal.pk)
        status = 400
    else:
        form = forms.ProposalForm()
        formset = forms.milestone_formset()
    return render(
        request,
        "proposals/new.html",
        {
            "job": job,
            "form": form,
            "formset": formset,
            "limit": services.daily_proposal_limit(),
            "sent_today": selectors.proposals_sent_today(worker=user),
        },
        status=status,
    )


@login_required
@require_GET
def my_proposals(request: HttpRequest) -> HttpResponse:
    rows = selectors.proposals_of_worker(worker=signed_in_user(request))
    return render(request, "proposals/mine.html", {"rows": rows})


@login_required
@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    proposal = selectors.proposal_for_viewer(pk=pk, viewer=user)
    is_client = proposal.job.client_id == user.pk
    other = proposal.worker if is_client else proposal.job.client
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "job": proposal.job,
            "is_client": is_client,
            "other_profile": getattr(other, "profile", None),
            "badges": selectors.badges_for(user_id=proposal.worker_id),
            "response_seconds": selectors.response_time_for(user_id=other.pk),
            "interviews": list(proposal.interviews.all()),
            "decline_form": forms.DeclineForm(),
        },
    )


def _proposal_action(
    request: HttpRequest, pk: int, action: Any, done: str, **kwargs: Any
) -> HttpResponse:
    user = signed_in_user(request)
    proposal = selectors.proposal_for_viewer(pk=pk, viewer=user)
    try:
        action(proposal=proposal, by=user, **kwargs)
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    back = request.POST.get("next", "")
    if back.startswith("/proposals/") and "//" not in back:
        return redirect(back)
    return redirect("proposals:detail", proposal.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(
        request, pk, services.proposal_withdraw, _("Your proposal was withdrawn.")
    )


# --- client: list, shortlist, decline, inquiry, offer -----------------------------------------


@login_required
@require_GET
def job_proposals(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = job_selectors.job_for_client(pk=job_pk, client=signed_in_user(request))
    return render(
        request,
        "proposals/job.html",
        {
            "job": job,
            "rows": selectors.proposals_for_job(job=job),
            "decline_form": forms.DeclineForm(),
        },
    )


@login_required
@require_POST
def shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(
        request, pk, services.proposal_shortlist, _("The proposal was shortlisted.")
    )


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.DeclineForm(request.POST)
    if not form.is_valid():
        selectors.proposal_for_viewer(
            pk=pk, viewer=signed_in_user(request)
        )  # 404 before any message
        messages.error(request, _("Choose a reason."))
        return redirect("proposals:detail", pk)
    return _proposal_action(
        request,
        pk,
        services.proposal_decline,
        _("The proposal was declined. The worker was told why."),
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )


@login_required
@require_POST
def inquiry(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    proposal = selectors.proposal_for_viewer(pk=pk, viewer=user)
    try:
        room = services.proposal_open_inquiry(proposal=proposal, by=user)
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect("proposals:detail", proposal.pk)
    return redirect("messaging:room", room.pk)


def _offer_initial(proposal: Proposal, user: User) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    job = proposal.job
    today = timezone.localdate()
    fallback = proposal.delivery_date or job.deadline or today + datetime.timedelta(days=14)
    rows: list[dict[str, Any]] = []
    for item in proposal.milestones or []:
        due = item.get("due_date")
        rows.append(
            {
                "title": item.get("title", ""),
                "amount": item.get("amount"),
                "due_date": datetime.date.fromisoformat(due) if due else fallback,
            }
        )
    if not rows:
        rows = [{"title": job.title, "amount": proposal.price, "due_date": fallback}]
    last = max(r["due_date"] for r in rows)
    initial = {
        "title": job.title,
        "description": job.description,
        "deliverables": job.title,
        "payment_due": last + datetime.timedelta(days=30),
        "inspection_days": 7,
        "revision_limit": 2,
        "withholding_category": bool(job.category and job.category.withholding_applies),
    }
    return initial, rows


@login_required
@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer form, prefilled from the proposal; sending it creates the offered contract."""
    user = signed_in_user(request)
    proposal = selectors.proposal_for_viewer(pk=pk, viewer=user)
    if proposal.job.client_id != user.pk:
        raise Http404
    if not proposal.is_active:
        messages.error(request, _("This cannot be done at the proposal's current stage."))
        return redirect("proposals:detail", proposal.pk)
    initial, rows = _offer_initial(proposal, user)
    status = 200
    if request.method == "POST":
        form = contract_forms.OfferForm(request.POST, initial=initial)
        form.fields["withholding_category"].disabled = True
        formset = contract_forms.milestone_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                contract = services.proposal_offer(
                    proposal=proposal,
                    by=user,
                    title=data["title"],
                    description=data["description"],
                    deliverables=data["deliverables"],
                    milestones=contract_forms.milestone_inputs(formset),
                    payment_due=data["payment_due"],
                    inspection_days=data["inspection_days"],
                    revision_limit=data["revision_limit"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                contract_forms.add_service_errors(form, formset, exc)
            else:
                messages.success(
                    request, _("The offer was sent. The contract starts when the worker accepts.")
                )
                return redirect("contracts:detail", contract.pk)
        status = 400
    else:
        form = contract_forms.OfferForm(initial=initial)
        form.fields["withholding_category"].disabled = True
        formset = contract_forms.MilestoneFormSet(
            prefix=contract_forms.MILESTONE_PREFIX, initial=rows
        )
    return render(
        request,
        "proposals/offer.html",
        {
            "proposal": proposal,
            "job": proposal.job,
            "form": form,
            "formset": formset,
            "max_milestones": MAX_MILESTONES,
        },
        status=status,
    )


# --- scouting -------------------------------------------------------------------------------


@login_required
@require_POST
def scout(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = forms.ScoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of your open jobs."))
        return redirect(request.POST.get("next") or "jobs:mine")
    profile = get_object_or_404(
        Profile.objects.select_related("user"), pk=form.cleaned_data["profile"]
    )
    back = reverse("profiles:detail", args=[profile.pk])
    job = Job.objects.filter(pk=form.cleaned_data["job"], client=user).first()
    if job is None:
        messages.error(request, _("Choose one of your open jobs."))
        return redirect(back)
    try:
        services.scout_send(client=user, job=job, worker=profile.user)
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(name)s was invited to “%(job)s”.")
            % {"name": profile.display_name, "job": job.title},
        )
    return redirect(back)


# --- interviews -----------------------------------------------------------------------------


_SUBJECT_PAGES = {
    "proposal": "proposals:detail",
    "room": "messaging:room",
    "contract": "contracts:detail",
}


def _interview_subject(request: HttpRequest) -> tuple[str, int]:
    """Which proposal, room or contract the interview is about: ?proposal=, ?room= or ?contract=."""
    source = request.POST if request.method == "POST" else request.GET
    for key in _SUBJECT_PAGES:
        raw = source.get(key, "")
        if raw.isdigit():
            return key, int(raw)
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def interview_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    key, pk = _interview_subject(request)
    try:
        subject = selectors.interview_subject(
            viewer=user,
            proposal_id=pk if key == "proposal" else None,
            room_id=pk if key == "room" else None,
            contract_id=pk if key == "contract" else None,
        )
    except ProposalError as exc:
        messages.error(request, error_text(exc))
        return redirect(_SUBJECT_PAGES[key], pk)
    other = subject.other
    duration = 60
    raw_duration = (request.POST or request.GET).get("duration_minutes", "")
    if raw_duration.isdigit() and int(raw_duration) in services.DURATIONS:
        duration = int(raw_duration)
    suggestions = selectors.suggested_slots(viewer=user, other=other, duration_minutes=duration)
    choices = [(s.value, s.value) for s in suggestions]
    zone = zone_of(user.time_zone)
    outside: list[datetime.datetime] = []
    status = 200
    if request.method == "POST":
        form = forms.InterviewForm(request.POST, choices=choices, zone=zone)
        if form.is_valid():
            mine, theirs = selectors.schedule_for(user), selectors.schedule_for(other)
            length = datetime.timedelta(minutes=form.cleaned_data["duration_minutes"])
            outside = [
                s
                for s in form.free_starts()
                if not slots.inside_overlap(mine, theirs, start=s, duration=length)
            ]
            if not outside or form.cleaned_data["confirm_outside"]:
                try:
                    interview = services.interview_propose(
                        by=user,
                        starts=form.starts(),
                        duration_minutes=form.cleaned_data["duration_minutes"],
                        proposal=subject.proposal,
                        room=subject.room,
                        contract=subject.contract,
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(
                        request, _("The times were sent. You will be told when one is booked.")
                    )
                    return redirect("proposals:interview", interview.pk)
        status = 400
    else:
        form = forms.InterviewForm(
            choices=choices, zone=zone, initial={"duration_minutes": duration}
        )
    return render(
        request,
        "proposals/interview_new.html",
        {
            "form": form,
            "suggestions": suggestions,
            "other": other,
            "other_profile": getattr(other, "profile", None),
            "my_zone": zone.key,
            "their_zone": zone_of(other.time_zone).key,
            "subject_key": key,
            "subject_pk": pk,
            "outside": outside,
        },
        status=status,
    )


@login_required
@require_GET
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    interview = selectors.interview_for_viewer(pk=pk, viewer=user)
    other = selectors.interview_other_party(viewer=user, interview=interview)
    return render(
        request,
        "proposals/interview.html",
        {
            "interview": interview,
            "slots": selectors.slot_views(interview=interview, viewer=user),
            "is_invitee": user.pk == interview.invitee_id,
            "booked": interview.status == InterviewStatus.BOOKED,
            "other_profile": getattr(other, "profile", None),
            "my_zone": zone_of(user.time_zone).key,
            "their_zone": zone_of(other.time_zone).key,
        },
    )


@login_required
@require_POST
def interview_book(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    interview = selectors.interview_for_viewer(pk=pk, viewer=user)
    raw = request.POST.get("slot", "")
    if not raw.isdigit():
        messages.error(request, _("Choose one of the proposed times."))
        return redirect("proposals:interview", interview.pk)
    try:
        services.interview_book(interview=interview, slot_id=int(raw), by=user)
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The interview is booked. Add it to your calendar."))
    return redirect("proposals:interview", interview.pk)


@login_required
@require_GET
def interview_ics(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    interview = selectors.interview_for_viewer(pk=pk, viewer=user)
    room_url = request.build_absolute_uri(reverse("messaging:room", args=[interview.room_id]))
    body = selectors.interview_calendar(interview=interview, room_url=room_url)
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
