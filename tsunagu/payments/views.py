"""Wallet pages: balance and history, top-up, bank account and payout, a payment's status.

Money moves only through ``tsunagu.payments.wallet`` and ``tsunagu.payments.services``; a top-up
or payout commits before it asks the provider, so these views are not atomic.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagu.accounts.request import signed_in_user
from tsunagu.core.money import format_yen
from tsunagu.payments import selectors
from tsunagu.payments.forms import BankAccountForm, PayoutForm, TopUpForm
from tsunagu.payments.models import Payment, PaymentKind, PaymentStatus
from tsunagu.payments.providers import InvalidWebhook, get_provider
from tsunagu.payments.services import webhook_receive
from tsunagu.payments.wallet import bank_account_set, payout_request, wallet_top_up

MAX_WEBHOOK_BYTES = 64 * 1024


@csrf_exempt  # the provider signs its requests instead
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    if len(request.body) > MAX_WEBHOOK_BYTES:
        return JsonResponse({"code": "too_large", "message": "body too large"}, status=413)
    provider = get_provider()
    try:
        data = provider.parse_webhook(
            body=request.body, signature=request.headers.get("Tsunagu-Signature", "")
        )
    except InvalidWebhook as exc:
        return JsonResponse({"code": "invalid_signature", "message": str(exc)}, status=400)
    applied = webhook_receive(data=data, provider=provider.name)
    return JsonResponse({"received": True, "applied": applied})


# --- the wallet page ----------------------------------------------------------------------------

CHART_WIDTH = 720
CHART_HEIGHT = 200
CHART_TOP = 16
CHART_BOTTOM = 28


@dataclass(frozen=True)
class ChartBar:
    label: str
    short_label: str
    x_in: int
    x_out: int
    x_label: int
    y_in: int
    h_in: int
    y_out: int
    h_out: int
    money_in: int
    money_out: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: int
    label_y: int
    bars: list[ChartBar]
    maximum: int
    bar_width: int


def _chart(months: list[selectors.MonthTotals]) -> Chart:
    """Bar positions for the monthly chart; the template draws them as SVG rectangles."""
    maximum = max([m.money_in for m in months] + [m.money_out for m in months] + [1])
    plot = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = CHART_WIDTH // max(len(months), 1)
    bar_width = max(slot // 3, 4)
    bars = []
    for index, month in enumerate(months):
        h_in = round(plot * month.money_in / maximum)
        h_out = round(plot * month.money_out / maximum)
        left = index * slot + (slot - 2 * bar_width) // 2
        bars.append(
            ChartBar(
                label=formats.date_format(month.month, "YEAR_MONTH_FORMAT"),
                short_label=_short_month(month.month),
                x_in=left,
                x_out=left + bar_width,
                x_label=index * slot + slot // 2,
                y_in=CHART_TOP + plot - h_in,
                h_in=h_in,
                y_out=CHART_TOP + plot - h_out,
                h_out=h_out,
                money_in=month.money_in,
                money_out=month.money_out,
            )
        )
    return Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        baseline=CHART_TOP + plot,
        label_y=CHART_HEIGHT - 8,
        bars=bars,
        maximum=maximum,
        bar_width=bar_width,
    )


def _short_month(month: datetime.date) -> str:
    """A short axis label, e.g. ``4/25`` (the full month name is in the accessible text)."""
    return _("%(month)s/%(year)s") % {"month": month.month, "year": f"{month.year % 100:02d}"}


def _wallet_context(request: HttpRequest) -> dict[str, object]:
    user_id = signed_in_user(request).pk
    history = selectors.wallet_history_page(user_id=user_id, page_number=request.GET.get("page"))
    return {
        "summary": selectors.wallet_summary(user_id=user_id),
        "history": history,
        "chart": _chart(selectors.wallet_monthly_totals(user_id=user_id)),
        "bank_account": selectors.bank_account_get(user_id=user_id),
        "payout_minimum": settings.PAYOUT_MINIMUM,
        "payout_fee": settings.PAYOUT_FEE,
        "top_up_maximum": settings.TOP_UP_MAXIMUM,
    }


@login_required
@require_GET
def wallet(request: HttpRequest) -> HttpResponse:
    context = _wallet_context(request)
    context["top_up_form"] = TopUpForm(prefix="top_up", maximum=settings.TOP_UP_MAXIMUM)
    context["payout_form"] = PayoutForm(prefix="payout")
    if getattr(request, "htmx", False) and request.GET.get("part") == "history":
        return render(request, "payments/_history.html", context)
    return render(request, "payments/wallet.html", context)


def _wallet_with_errors(request: HttpRequest, **forms: object) -> HttpResponse:
    context = _wallet_context(request)
    context.setdefault("top_up_form", TopUpForm(prefix="top_up"))
    context.setdefault("payout_form", PayoutForm(prefix="payout"))
    context.update(forms)
    return render(request, "payments/wallet.html", context, status=400)


def _add_errors(form: TopUpForm | PayoutForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error("amount" if field != "bank_account" else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_POST
def top_up(request: HttpRequest) -> HttpResponse:
    form = TopUpForm(request.POST, prefix="top_up")
    if not form.is_valid():
        return _wallet_with_errors(request, top_up_form=form)
    try:
        payment = wallet_top_up(user=signed_in_user(request), amount=form.cleaned_data["amount"])
    except ValidationError as exc:
        _add_errors(form, exc)
        return _wallet_with_errors(request, top_up_form=form)
    return _after_payment(request, payment)


@login_required
@require_POST
def payout(request: HttpRequest) -> HttpResponse:
    form = PayoutForm(request.POST, prefix="payout")
    if not form.is_valid():
        return _wallet_with_errors(request, payout_form=form)
    try:
        payment = payout_request(user=signed_in_user(request), amount=form.cleaned_data["amount"])
    except ValidationError as exc:
        _add_errors(form, exc)
        return _wallet_with_errors(request, payout_form=form)
    return _after_payment(request, payment)


def _after_payment(request: HttpRequest, payment: Payment) -> HttpResponse:
    amount = format_yen(payment.amount)
    if payment.status == PaymentStatus.SUCCEEDED:
        if payment.kind == PaymentKind.PAYOUT:
            messages.success(
                request,
                _("%(amount)s is on its way to your bank account (fee %(fee)s).")
                % {"amount": amount, "fee": format_yen(payment.fee)},
            )
        else:
            messages.success(
                request, _("%(amount)s was added to your balance.") % {"amount": amount}
            )
        return redirect("payments:wallet")
    if payment.status == PaymentStatus.DECLINED:
        reason = selectors.decline_reason(payment.decline_code)
        if payment.kind == PaymentKind.PAYOUT:
            messages.error(
                request,
                _(
                    "The payout of %(amount)s was declined: %(reason)s The amount and the fee "
                    "are back in your available balance."
                )
                % {"amount": amount, "reason": reason},
            )
        else:
            messages.error(
                request,
                _("The top-up of %(amount)s was declined: %(reason)s Nothing was charged.")
                % {"amount": amount, "reason": reason},
            )
        return redirect("payments:wallet")
    return redirect("payments:payment", ref=payment.key)


# --- one payment's status -----------------------------------------------------------------------


@login_required
@require_GET
def payment_detail(request: HttpRequest, ref: str) -> HttpResponse:
    payment = selectors.payment_get_for_user(user_id=signed_in_user(request).pk, ref=ref)
    context = {
        "payment": payment,
        "status_label": selectors.payment_status_label(payment),
        "reason": selectors.decline_reason(payment.decline_code) if payment.decline_code else "",
    }
    if getattr(request, "htmx", False):
        return render(request, "payments/_payment_status.html", context)
    return render(request, "payments/payment.html", context)


# --- bank account -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def bank_account(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    current = selectors.bank_account_get(user_id=user.pk)
    if request.method == "POST":
        form = BankAccountForm(request.POST)
        if form.is_valid():
            bank_account_set(user=user, **form.cleaned_data)
            messages.success(request, _("Your bank account was saved."))
            return redirect("payments:wallet")
        return render(
            request,
            "payments/bank_account.html",
            {"form": form, "current": current},
            status=400,
        )
    initial = (
        {
            "bank_name": current.bank_name,
            "branch_name": current.branch_name,
            "account_type": current.account_type,
            "account_number": current.account_number,
            "holder_kana": current.holder_kana,
        }
        if current is not None
        else None
    )
    form = BankAccountForm(initial=initial)
    return render(request, "payments/bank_account.html", {"form": form, "current": current})
