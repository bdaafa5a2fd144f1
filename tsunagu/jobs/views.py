"""Job pages: search, a job, posting and editing (with autosaved drafts), the client's own jobs,
invitations, attachments, saved searches and worker search. Thin: forms parse, services write,
selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from tsunagu.accounts.request import signed_in_user
from tsunagu.core.files import private_file_response
from tsunagu.jobs import selectors, services
from tsunagu.jobs.forms import (
    AttachmentForm,
    InviteForm,
    JobForm,
    JobSearchForm,
    SavedSearchForm,
    WorkerSearchForm,
)
from tsunagu.jobs.models import Job, JobAttachment, JobStatus, SavedSearch
from tsunagu.profiles.models import Profile


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def job_list(request: HtmxHttpRequest) -> HttpResponse:
    form = JobSearchForm(request.GET or None)
    result = None
    if form.is_bound and not form.is_valid():
        result = None
    else:
        params = form.params() if form.is_bound else selectors.SearchParams()
        result = selectors.job_search(
            viewer=request.user, params=params, page_number=request.GET.get("page")
        )
    context = {
        "form": form,
        "result": result,
        "query": _query_without_page(request),
        "save_form": SavedSearchForm(),
        "can_save": form.is_bound and form.is_valid(),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "jobs/_results.html", context)
    return render(request, "jobs/list.html", context)


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get_for_viewer(pk=pk, viewer=request.user)
    is_owner = request.user.is_authenticated and job.client_id == request.user.pk
    return render(
        request,
        "jobs/detail.html",
        {
            "job": job,
            "is_owner": is_owner,
            "attachment_form": AttachmentForm() if is_owner else None,
            "client_profile": getattr(job.client, "profile", None),
        },
    )


def _form_context(job: Job | None, form: JobForm) -> dict[str, Any]:
    return {"job": job, "form": form, "autosave": job is None or job.status == JobStatus.DRAFT}


@login_required
@require_http_methods(["GET", "POST"])
def job_new(request: HttpRequest) -> HttpResponse:
    """A new job. The page autosaves a draft as the client types (see job_autosave); the draft's
    id then travels in the hidden ``draft`` field so publishing uses the same row."""
    draft = _draft_from(request)
    if request.method == "POST":
        return _save_post(request, draft)
    form = JobForm(poster=signed_in_user(request))
    return render(request, "jobs/form.html", _form_context(draft, form))


def _draft_from(request: HttpRequest) -> Job | None:
    raw = request.POST.get("draft") or ""
    user = signed_in_user(request)
    if not raw.isdigit():
        return None
    job = Job.objects.filter(pk=int(raw), client=user, status=JobStatus.DRAFT).first()
    if job is None:
        raise Http404
    return job


def _save_post(request: HttpRequest, job: Job | None) -> HttpResponse:
    user = signed_in_user(request)
    publishing = request.POST.get("action") != "draft"
    published = job is not None and job.status != JobStatus.DRAFT
    form = JobForm(
        request.POST,
        publishing=publishing or published,
        today=services.client_today(user),
        poster=user,
    )
    if form.is_valid():
        try:
            if published:
                assert job is not None
                job = services.job_update(actor=user, job=job, values=form.values())
                messages.success(request, _("The job was saved."))
            elif publishing:
                job = services.job_publish(client=user, job=job, values=form.values())
                messages.success(request, _("The job was published."))
            else:
                job = services.job_draft_save(client=user, job=job, values=form.values())
                messages.success(request, _("The draft was saved."))
                return redirect("jobs:edit", job.pk)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("jobs:detail", job.pk)
    return render(request, "jobs/form.html", _form_context(job, form), status=422)


def _add_errors(form: JobForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_http_methods(["GET", "POST"])
def job_edit(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_for_client(pk=pk, client=signed_in_user(request))
    if request.method == "POST":
        return _save_post(request, job)
    form = JobForm(initial=JobForm.initial_from(job), poster=signed_in_user(request))
    return render(request, "jobs/form.html", _form_context(job, form))


@login_required
@require_POST
def job_autosave(request: HttpRequest) -> HttpResponse:
    """htmx: save what has been typed as a draft; answer the status line (and, the first time,
    the new draft's id, swapped out of band into the form)."""
    user = signed_in_user(request)
    draft = _draft_from(request)
    form = JobForm(request.POST, poster=user)
    form.is_valid()  # keep what parses; the rest waits for publishing
    created = draft is None
    try:
        job = services.job_draft_save(client=user, job=draft, values=form.values())
    except ValidationError as exc:
        return render(request, "jobs/_autosave.html", {"error": " ".join(exc.messages)}, status=422)
    skipped = [str(form.fields[name].label) for name in form.errors if name in form.fields]
    low, high = form.values().get("budget_min"), form.values().get("budget_max")
    if low is not None and high is not None and low > high:
        skipped.append(_("budget (the lowest is above the highest)"))
    return render(
        request,
        "jobs/_autosave.html",
        {"job": job, "created": created, "skipped": skipped},
    )


def _client_job_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    user = signed_in_user(request)
    job = selectors.job_for_client(pk=pk, client=user)
    try:
        action(actor=user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("jobs:detail", job.pk)


@login_required
@require_POST
def job_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _client_job_action(request, pk, services.job_close, _("The job was closed."))


@login_required
@require_POST
def job_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _client_job_action(request, pk, services.job_reopen, _("The job was reopened."))


@login_required
@require_GET
def my_jobs(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(request, "jobs/mine.html", {"jobs": selectors.jobs_of_client(client=user)})


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    job = selectors.job_for_client(pk=pk, client=user)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
        return redirect("jobs:detail", job.pk)
    try:
        services.job_attachment_add(actor=user, job=job, upload=form.cleaned_data["file"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The file was attached."))
    return redirect("jobs:detail", job.pk)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    attachment = get_object_or_404(JobAttachment, pk=pk, job__client=user)
    job_pk = attachment.job_id
    services.job_attachment_remove(actor=user, attachment=attachment)
    messages.success(request, _("The file was removed."))
    return redirect("jobs:detail", job_pk)


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = get_object_or_404(JobAttachment, pk=pk)
    selectors.job_get_for_viewer(pk=attachment.job_id, viewer=request.user)  # 404 if not allowed
    return private_file_response(
        attachment.file, as_attachment=True, filename=attachment.original_name
    )


@login_required
@require_POST
def job_invite(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = InviteForm(request.POST)
    back = request.POST.get("next") or ""
    target = back if back.startswith("/jobs/") and "//" not in back else reverse("jobs:workers")
    if not form.is_valid():
        messages.error(request, _("Choose a job and a worker."))
        return redirect(target)
    job = selectors.job_for_client(pk=form.cleaned_data["job"], client=user)
    profile = (
        Profile.objects.filter(pk=form.cleaned_data["profile"], is_worker=True)
        .select_related("user")
        .first()
    )
    if profile is None:
        messages.error(request, _("This worker could not be found."))
        return redirect(target)
    try:
        services.job_invite(actor=user, job=job, worker=profile.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s was invited to “%(job)s”.")
            % {"name": profile.display_name, "job": job.title},
        )
    return redirect(target)


@require_GET
def worker_search(request: HtmxHttpRequest) -> HttpResponse:
    form = WorkerSearchForm(request.GET or None)
    result = None
    if not form.is_bound or form.is_valid():
        query = form.cleaned_data.get("q", "") if form.is_bound else ""
        result = selectors.worker_search(query=query, page_number=request.GET.get("page"))
    open_jobs: list[Job] = []
    if request.user.is_authenticated:
        open_jobs = [
            j for j in selectors.jobs_of_client(client=request.user) if j.status == JobStatus.OPEN
        ]
    context = {
        "form": form,
        "result": result,
        "query": _query_without_page(request),
        "open_jobs": open_jobs,
        "here": request.get_full_path(),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "jobs/_worker_results.html", context)
    return render(request, "jobs/workers.html", context)


@login_required
@require_GET
def saved_search_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "jobs/saved.html",
        {"searches": selectors.saved_searches_of(user=user)},
    )


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    """Save the search whose parameters come in the query string of this POST."""
    user = signed_in_user(request)
    search_form = JobSearchForm(request.GET)
    save_form = SavedSearchForm(request.POST)
    back = reverse("jobs:list") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if not search_form.is_valid() or not save_form.is_valid():
        messages.error(request, _("Give the search a name, and correct the search first."))
        return redirect(back)
    params = search_form.params()
    try:
        services.saved_search_create(
            user=user,
            name=save_form.cleaned_data["name"],
            query=params.query,
            filters=params.filters(),
            alerts=save_form.cleaned_data["alerts"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("The search was saved."))
    return redirect("jobs:saved")


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    saved = get_object_or_404(SavedSearch, pk=pk, user=user)
    services.saved_search_delete(user=user, saved_search=saved)
    messages.success(request, _("The saved search was deleted."))
    return redirect("jobs:saved")
