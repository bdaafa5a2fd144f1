"""The worker's income page and its forms. Every write goes through ``services``; every page is
the signed-in person's own, so there is nothing of anyone else to ask for."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tsunagu.accounts.models import User
from tsunagu.accounts.request import signed_in_user
from tsunagu.core.errors import error_text
from tsunagu.income import selectors, services, weekly
from tsunagu.income.chart import month_chart, pipe_chart, share_chart
from tsunagu.income.errors import IncomeError
from tsunagu.income.forms import OutsideImportForm, OutsideIncomeForm, RecurringForm, TargetForm
from tsunagu.profiles.money import format_money


def _page(request: HttpRequest, **forms: object) -> HttpResponse:
    user = signed_in_user(request)
    dashboard = selectors.income_dashboard(worker=user)
    target = dashboard.target
    limit = (target.concentration_limit if target else 50) / 100
    context = {
        "dashboard": dashboard,
        "pipes_chart": pipe_chart(dashboard.pipes),
        "months_chart": month_chart(
            dashboard.months, target=target.monthly_amount if target else None
        ),
        "share_chart": share_chart(dashboard.concentration_history, limit=limit),
        "target_form": TargetForm(
            initial={
                "monthly_amount": target.monthly_amount if target else None,
                "concentration_limit": target.concentration_limit if target else 50,
            }
        ),
        "outside_form": OutsideIncomeForm(),
        "import_form": OutsideImportForm(),
        "recurring_form": RecurringForm(clients=selectors.paid_client_choices(worker=user)),
        "csv_max_rows": services.CSV_MAX_ROWS,
        "weekly_email_on": selectors.weekly_email_on(user=user),
    }
    context.update(forms)
    status = 422 if forms else 200
    return render(request, "income/dashboard.html", context, status=status)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _refused(request: HttpRequest, exc: IncomeError, form_name: str, form: object) -> HttpResponse:
    messages.error(request, error_text(exc))
    return _page(request, **{form_name: form})


@login_required
@require_POST
def target(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if "clear" in request.POST:
        services.income_target_clear(user=user)
        messages.success(request, _("The monthly target was removed."))
        return redirect("income:dashboard")
    form = TargetForm(request.POST)
    if not form.is_valid():
        return _page(request, target_form=form)
    try:
        services.income_target_set(user=user, **form.cleaned_data)
    except IncomeError as exc:
        return _refused(request, exc, "target_form", form)
    messages.success(request, _("Your monthly target was saved."))
    return redirect("income:dashboard")


@login_required
@require_POST
def outside_add(request: HttpRequest) -> HttpResponse:
    form = OutsideIncomeForm(request.POST)
    if not form.is_valid():
        return _page(request, outside_form=form)
    try:
        services.outside_income_add(user=signed_in_user(request), **form.cleaned_data)
    except IncomeError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, error_text(exc))
        return _page(request, outside_form=form)
    messages.success(request, _("The income from outside Tsunagu was added."))
    return redirect("income:dashboard")


@login_required
@require_POST
def outside_import(request: HttpRequest) -> HttpResponse:
    form = OutsideImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, import_form=form)
    try:
        result = services.outside_income_import(
            user=signed_in_user(request), data=form.cleaned_data["file"]
        )
    except IncomeError as exc:
        form.add_error("file", error_text(exc))
        return _page(request, import_form=form)
    messages.success(
        request,
        _("%(rows)d rows imported, %(total)s in all.")
        % {"rows": result.rows, "total": format_money(result.total, "JPY")},
    )
    return redirect("income:dashboard")


@login_required
@require_POST
def outside_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.outside_income_remove(user=signed_in_user(request), pk=pk)
    except IncomeError as exc:
        messages.error(request, error_text(exc))
        return redirect("income:dashboard")
    messages.success(request, _("The entry was removed."))
    return redirect("income:dashboard")


@login_required
@require_POST
def recurring_add(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = RecurringForm(request.POST, clients=selectors.paid_client_choices(worker=user))
    if not form.is_valid():
        return _page(request, recurring_form=form)
    client_id = form.cleaned_data["client"]
    try:
        services.recurring_add(
            user=user,
            label=form.cleaned_data["label"],
            monthly_amount=form.cleaned_data["monthly_amount"],
            client=User.objects.get(pk=client_id) if client_id else None,
        )
    except IncomeError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, error_text(exc))
        return _page(request, recurring_form=form)
    messages.success(request, _("The recurring engagement was added."))
    return redirect("income:dashboard")


@login_required
@require_POST
def recurring_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.recurring_remove(user=signed_in_user(request), pk=pk)
    except IncomeError as exc:
        messages.error(request, error_text(exc))
        return redirect("income:dashboard")
    messages.success(request, _("The recurring engagement was removed."))
    return redirect("income:dashboard")


@login_required
@require_POST
def weekly_email(request: HttpRequest) -> HttpResponse:
    receive = request.POST.get("receive") == "1"
    weekly.weekly_email_set(user=signed_in_user(request), receive=receive)
    if receive:
        messages.success(request, _("You will receive the weekly income e-mail."))
    else:
        messages.success(request, _("The weekly income e-mail is turned off."))
    return redirect("income:dashboard")
