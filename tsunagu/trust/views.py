"""Review pages: the reviews still to write, one contract's reviews with the form, a person's
published reviews. Each POST calls one service; a refusal changes nothing and says why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagu.accounts.request import signed_in_user
from tsunagu.contracts.selectors import contract_for_party
from tsunagu.profiles.models import Profile
from tsunagu.trust import rules, selectors, services
from tsunagu.trust.errors import ReviewError
from tsunagu.trust.forms import ReplyForm, ReportForm, ReviewForm
from tsunagu.trust.rules import ReviewedRole


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(request, "trust/mine.html", {"pending": selectors.pending_reviews(user=user)})


def _add_error(form: ReviewForm | ReplyForm | ReportForm, exc: ReviewError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def contract_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    contract = contract_for_party(pk=pk, viewer=user)
    state = selectors.contract_reviews(contract=contract, viewer=user)
    now = timezone.now()
    mine = state.mine
    initial = (
        {
            "stars": mine.stars,
            "tags": mine.tags,
            "text": mine.text,
            "private_feedback": mine.private_feedback,
        }
        if mine is not None
        else None
    )
    form = ReviewForm(request.POST or None, initial=initial, role=state.role)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if mine is None:
                    services.review_submit(
                        contract=contract,
                        by=user,
                        stars=data["stars"],
                        tags=data["tags"],
                        text=data["text"],
                        private_feedback=data["private_feedback"],
                    )
                    done = _("Thank you. Your review appears once both of you have reviewed.")
                else:
                    services.review_edit(
                        review=mine,
                        by=user,
                        stars=data["stars"],
                        tags=data["tags"],
                        text=data["text"],
                        private_feedback=data["private_feedback"],
                    )
                    done = _("Your review was updated.")
            except ReviewError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, done)
                return redirect("trust:contract", pk=contract.pk)
        status = 422
    return render(
        request,
        "trust/contract.html",
        {
            "contract": contract,
            "state": state,
            "form": form,
            "can_write": state.can_write(now),
            "can_edit": state.can_edit(now),
            "reply_form": ReplyForm(),
            "report_form": ReportForm(),
        },
        status=status,
    )


def _review_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = signed_in_user(request)
    review = selectors.review_for_subject(pk=pk, viewer=user)
    form: ReplyForm | ReportForm = (
        ReplyForm(request.POST) if action == "reply" else ReportForm(request.POST)
    )
    if form.is_valid():
        try:
            if isinstance(form, ReplyForm):
                services.review_reply(review=review, by=user, text=form.cleaned_data["text"])
                messages.success(request, _("Your reply was published."))
            else:
                services.review_report(review=review, by=user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Thank you. Staff will look at this review."))
        except ReviewError as exc:
            messages.error(request, exc.message)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("trust:contract", pk=review.contract_id)


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_action(request, pk, "reply")


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_action(request, pk, "report")


@require_GET
def person(request: HttpRequest, profile_pk: int, role: str) -> HttpResponse:
    if role not in ReviewedRole.values:
        raise Http404
    profile = get_object_or_404(
        Profile.objects.select_related("user"), pk=profile_pk, user__is_active=True
    )
    page = selectors.review_page(
        user_id=profile.user_id, role=role, page_number=request.GET.get("page")
    )
    return render(
        request,
        "trust/person.html",
        {
            "profile": profile,
            "role": role,
            "role_label": ReviewedRole(role).label,
            "page": page,
            "reviews": selectors.public_reviews(page),
            "summary": selectors.review_summary(user_id=profile.user_id)[role],
            "blind_days": rules.BLIND_DAYS,
        },
    )
