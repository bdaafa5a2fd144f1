"""Contract pages: the list, the offer form, the contract page with its actions, the terms.

Each action is a small POST view that calls one service and goes back to the contract page with
a message; a refusal (a ContractError or a ValidationError) changes nothing and says why.
Nothing here runs in a transaction of its own: paying by card (``milestone_fund_by_card``)
commits before it asks the provider, and must not be wrapped in one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagu.accounts.request import signed_in_user
from tsunagu.contracts import forms, selectors, services
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import CancellationRequest, Contract, Milestone
from tsunagu.core.files import private_file_response
from tsunagu.payments.models import PaymentStatus
from tsunagu.profiles.models import Profile

# --- list ----------------------------------------------------------------------------------------


@login_required
@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    page = selectors.contract_page(user_id=user.pk, page_number=request.GET.get("page"))
    rows = [
        {
            "contract": contract,
            "role": "client" if contract.client_id == user.pk else "worker",
            "other": contract.worker if contract.client_id == user.pk else contract.client,
            "total": selectors.contract_total(contract),
            "next": selectors.next_action(contract, user.pk),
            "badge": selectors.STATUS_BADGES.get(contract.status, ""),
        }
        for contract in page.object_list
    ]
    return render(request, "contracts/list.html", {"page": page, "rows": rows})


# --- offer ---------------------------------------------------------------------------------------


def _worker_profile(request: HttpRequest, profile_pk: int | None) -> Profile | None:
    if profile_pk is None:
        raw = request.GET.get("worker") or request.POST.get("worker") or ""
        if not raw.isdigit():
            return None
        profile_pk = int(raw)
    return get_object_or_404(Profile.objects.select_related("user"), pk=profile_pk)


@login_required
@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, profile_pk: int | None = None) -> HttpResponse:
    client = signed_in_user(request)
    profile = _worker_profile(request, profile_pk)
    if profile is None:
        messages.info(request, _("Open the profile of the worker you want to send an offer to."))
        return redirect("profiles:worker_list")
    if profile.user_id == client.pk:
        messages.error(request, _("You cannot make a contract with yourself."))
        return redirect("profiles:detail", profile.pk)
    if request.method == "POST":
        rows = forms.milestone_rows(request.POST)
        if "add_milestone" in request.POST or "remove_milestone" in request.POST:
            if "add_milestone" in request.POST and len(rows) < services.MAX_MILESTONES:
                rows.append(
                    {"title": "", "amount": "", "due_date": rows[-1]["due_date"] if rows else ""}
                )
            remove = request.POST.get("remove_milestone", "")
            if remove.isdigit() and int(remove) < len(rows) and len(rows) > 1:
                del rows[int(remove)]
            # Shown again unbound, with what was typed as initial values: no errors yet.
            form = forms.OfferForm(initial=request.POST.dict())
            formset = forms.MilestoneFormSet(prefix=forms.MILESTONE_PREFIX, initial=rows)
            return _offer_page(request, profile, form, formset, rows)
        form = forms.OfferForm(request.POST)
        formset = forms.milestone_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                contract = services.contract_offer(
                    client=client,
                    worker=profile.user,
                    title=data["title"],
                    description=data["description"],
                    deliverables=data["deliverables"],
                    milestones=forms.milestone_inputs(formset),
                    payment_due=data["payment_due"],
                    inspection_days=data["inspection_days"],
                    revision_limit=data["revision_limit"],
                    withholding_category=data["withholding_category"],
                    weekly_hours=data["weekly_hours"],
                )
            except ContractError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                forms.add_service_errors(form, formset, exc)
            else:
                messages.success(
                    request, _("The offer was sent. The contract starts when the worker accepts.")
                )
                return redirect("contracts:detail", contract.pk)
        return _offer_page(request, profile, form, formset, rows, status=400)
    form = forms.OfferForm()
    formset = forms.milestone_formset()
    return _offer_page(request, profile, form, formset, [])


def _offer_page(
    request: HttpRequest,
    profile: Profile,
    form: forms.OfferForm,
    formset: Any,
    rows: list[dict[str, str]],
    *,
    status: int = 200,
) -> HttpResponse:
    withholding = request.POST.get("withholding_category") in ("on", "true", "1")
    context = {
        "profile": profile,
        "form": form,
        "formset": formset,
        "estimate": forms.offer_estimate(rows, withholding=withholding),
        "max_milestones": services.MAX_MILESTONES,
    }
    return render(request, "contracts/offer.html", context, status=status)


@login_required
@require_POST
def offer_estimate(request: HttpRequest) -> HttpResponse:
    """The live summary of the offer form (htmx): fee, tax, total and withholding."""
    withholding = request.POST.get("withholding_category") in ("on", "true", "1")
    estimate = forms.offer_estimate(forms.milestone_rows(request.POST), withholding=withholding)
    return render(request, "contracts/_offer_estimate.html", {"estimate": estimate})


# --- one contract --------------------------------------------------------------------------------


@login_required
@require_GET
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_for_viewer(pk=pk, viewer=signed_in_user(request))
    return _detail_page(request, contract)


def _detail_page(
    request: HttpRequest,
    contract: Contract,
    *,
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    view = selectors.contract_view(contract=contract, viewer=signed_in_user(request))
    capacity = (
        selectors.capacity_for(worker_id=contract.worker_id) if view.can_accept_terms else None
    )
    context = {
        "view": view,
        "capacity": capacity,
        "over_capacity": capacity is not None and capacity.over_with(contract.weekly_hours),
        "contract": contract,
        "badges": selectors.STATUS_BADGES,
        "failed": failed or {},
        "delivery_form": forms.DeliveryForm(),
        "revision_form": forms.MessageForm(),
        "cancellation_form": forms.CancellationForm(),
        "dispute_form": forms.ReasonForm(),
    }
    return render(request, "contracts/detail.html", context, status=status)


@login_required
@require_GET
def contract_terms(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = signed_in_user(request)
    contract = selectors.contract_for_viewer(pk=pk, viewer=viewer)
    terms = contract.terms
    return render(
        request,
        "contracts/terms.html",
        {
            "contract": contract,
            "terms": terms.data,
            "sha256": terms.sha256,
            "can_answer": selectors.can_answer_terms(contract=contract, viewer=viewer),
        },
    )


@login_required
@require_GET
def delivery_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A delivered file, for the two parties and staff; everyone else gets 404."""
    item = selectors.delivery_file_for_viewer(pk=pk, viewer=signed_in_user(request))
    # Always downloaded, never rendered in the site's origin.
    response = private_file_response(
        item.file, as_attachment=True, filename=item.name, content_type="application/octet-stream"
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- actions -------------------------------------------------------------------------------------


def _done(request: HttpRequest, contract: Contract, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("contracts:detail", contract.pk)


def _refused(request: HttpRequest, contract: Contract, exc: ContractError) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect("contracts:detail", contract.pk)


def _invalid(
    request: HttpRequest,
    contract: Contract,
    *,
    action: str,
    milestone: Milestone | None,
    errors: list[str],
) -> HttpResponse:
    """Show the page again with the errors beside the form that failed, and what was typed."""
    failed = {
        "action": action,
        "milestone": milestone.pk if milestone is not None else None,
        "errors": errors,
        "data": request.POST,
    }
    return _detail_page(request, contract, failed=failed, status=400)


def _messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _run(
    request: HttpRequest,
    contract: Contract,
    call: Callable[[], object],
    success: str,
    *,
    action: str = "",
    milestone: Milestone | None = None,
) -> HttpResponse:
    try:
        call()
    except ContractError as exc:
        return _refused(request, contract, exc)
    except ValidationError as exc:
        return _invalid(
            request, contract, action=action, milestone=milestone, errors=_messages(exc)
        )
    return _done(request, contract, success)


def _party_contract(request: HttpRequest, pk: int) -> Contract:
    return selectors.contract_for_party(pk=pk, viewer=signed_in_user(request))


def _party_milestone(
    request: HttpRequest, pk: int, milestone_pk: int
) -> tuple[Contract, Milestone]:
    contract = _party_contract(request, pk)
    return contract, selectors.milestone_for_party(contract=contract, milestone_pk=milestone_pk)


@login_required
@require_POST
def accept_terms(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _party_contract(request, pk)
    return _run(
        request,
        contract,
        lambda: services.contract_accept_terms(contract=contract, by=signed_in_user(request)),
        _("You accepted the terms. Work starts once the client funds the escrow."),
    )


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _party_contract(request, pk)
    return _run(
        request,
        contract,
        lambda: services.contract_decline(contract=contract, by=signed_in_user(request)),
        _("You declined the offer."),
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _party_contract(request, pk)
    return _run(
        request,
        contract,
        lambda: services.contract_cancel(contract=contract, by=signed_in_user(request)),
        _("The contract was cancelled. Nothing was charged."),
    )


@login_required
@require_POST
def fund(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    contract, milestone = _party_milestone(request, pk, milestone_pk)
    method = request.POST.get("method")
    by = signed_in_user(request)
    if method == "wallet":
        return _run(
            request,
            contract,
            lambda: services.milestone_fund_from_wallet(milestone=milestone, by=by),
            _("The escrow for %(milestone)s is funded from your balance.")
            % {"milestone": milestone.title},
        )
    if method != "card":
        messages.error(request, _("Choose to pay from your balance or by card."))
        return redirect("contracts:detail", contract.pk)
    try:
        payment = services.milestone_fund_by_card(milestone=milestone, by=by)
    except ContractError as exc:
        return _refused(request, contract, exc)
    if payment.status == PaymentStatus.SUCCEEDED:
        messages.success(
            request,
            _("The card payment succeeded: the escrow for %(milestone)s is funded.")
            % {"milestone": milestone.title},
        )
    elif payment.status == PaymentStatus.DECLINED:
        messages.error(
            request,
            _("The card payment was declined: %(reason)s Nothing was charged.")
            % {"reason": selectors.decline_reason(payment.decline_code)},
        )
    else:
        messages.info(
            request,
            _("The card payment is being processed. This page shows the result when it arrives."),
        )
    return redirect("contracts:detail", contract.pk)


@login_required
@require_POST
def deliver(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    contract, milestone = _party_milestone(request, pk, milestone_pk)
    form = forms.DeliveryForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return _invalid(request, contract, action="deliver", milestone=milestone, errors=errors)
    files = request.FILES.getlist("files")
    return _run(
        request,
        contract,
        lambda: services.delivery_submit(
            milestone=milestone,
            by=signed_in_user(request),
            message=form.cleaned_data["message"],
            files=files,
        ),
        _("%(milestone)s was delivered. The client has been asked to inspect it.")
        % {"milestone": milestone.title},
        action="deliver",
        milestone=milestone,
    )


@login_required
@require_POST
def request_revision(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    contract, milestone = _party_milestone(request, pk, milestone_pk)
    return _run(
        request,
        contract,
        lambda: services.milestone_request_revision(
            milestone=milestone, by=signed_in_user(request), message=request.POST.get("message", "")
        ),
        _("Your revision request was sent to the worker."),
        action="revision",
        milestone=milestone,
    )


@login_required
@require_POST
def accept(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    contract, milestone = _party_milestone(request, pk, milestone_pk)
    return _run(
        request,
        contract,
        lambda: services.milestone_accept(milestone=milestone, by=signed_in_user(request)),
        _("You accepted %(milestone)s. The worker has been paid from the escrow.")
        % {"milestone": milestone.title},
    )


@login_required
@require_POST
def cancellation_propose(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    contract, milestone = _party_milestone(request, pk, milestone_pk)
    form = forms.CancellationForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return _invalid(
            request, contract, action="cancellation", milestone=milestone, errors=errors
        )
    return _run(
        request,
        contract,
        lambda: services.cancellation_propose(
            milestone=milestone,
            by=signed_in_user(request),
            release_amount=form.cleaned_data["release_amount"],
            reason=form.cleaned_data["reason"],
        ),
        _("Your cancellation proposal was sent. The other party has to agree."),
        action="cancellation",
        milestone=milestone,
    )


def _party_cancellation(
    request: HttpRequest, pk: int, request_pk: int
) -> tuple[Contract, CancellationRequest]:
    contract = _party_contract(request, pk)
    item = get_object_or_404(CancellationRequest, pk=request_pk, milestone__contract=contract)
    return contract, item


@login_required
@require_POST
def cancellation_respond(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    contract, item = _party_cancellation(request, pk, request_pk)
    agree = request.POST.get("answer") == "accept"
    return _run(
        request,
        contract,
        lambda: services.cancellation_respond(
            request=item, by=signed_in_user(request), accept=agree
        ),
        _("You agreed to the cancellation.") if agree else _("You declined the cancellation."),
    )


@login_required
@require_POST
def cancellation_withdraw(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    contract, item = _party_cancellation(request, pk, request_pk)
    return _run(
        request,
        contract,
        lambda: services.cancellation_withdraw(request=item, by=signed_in_user(request)),
        _("You withdrew your cancellation proposal."),
    )


@login_required
@require_POST
def dispute_open(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    contract, milestone = _party_milestone(request, pk, milestone_pk)
    return _run(
        request,
        contract,
        lambda: services.dispute_open(
            milestone=milestone, by=signed_in_user(request), reason=request.POST.get("reason", "")
        ),
        _("The dispute was opened. Staff will review the contract and decide."),
        action="dispute",
        milestone=milestone,
    )
