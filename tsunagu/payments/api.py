"""/api/v1/wallet: the caller's balance and history, top-ups, payouts and bank account.

The same wallet functions as the pages; ``wallet_top_up`` and ``payout_request`` commit before
they ask the provider, so the routes run outside any transaction (ninja does not wrap them).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from tsunagu.accounts.request import signed_in_user
from tsunagu.api.errors import ApiError
from tsunagu.api.idempotency import IDEMPOTENCY_DESCRIPTION, idempotent
from tsunagu.api.schemas import ErrorOut
from tsunagu.core.errors import field_errors
from tsunagu.core.fields import Int
from tsunagu.payments import selectors, wallet
from tsunagu.payments.forms import BankAccountForm
from tsunagu.payments.models import BankAccount, Payment
from tsunagu.payments.schemas import (
    AmountIn,
    BankAccountIn,
    BankAccountOut,
    HistoryLineOut,
    HistoryOut,
    PaymentOut,
    WalletOut,
)

router = Router(tags=["wallet"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 409, 422, 429): ErrorOut}


class PageQuery(Schema):
    page: Int = 1


def _invalid(exc: ValidationError) -> ApiError:
    """A refused amount answers 422 like any validation error, but with the first field's
    message as its ``message`` (clients show it as is), where the API's handler has a general
    sentence."""
    errors = field_errors(exc)
    message = errors[0]["message"] if errors else _("Some of the values sent are not valid.")
    return ApiError("invalid", message, status=422, errors=errors)


def _payment_out(payment: Payment) -> PaymentOut:
    return PaymentOut(
        id=payment.pk,
        key=payment.key,
        kind=payment.kind,
        status=payment.status,
        amount=payment.amount,
        fee=payment.fee,
        currency=payment.currency,
        decline_code=payment.decline_code,
        decline_reason=(
            selectors.decline_reason(payment.decline_code) if payment.decline_code else ""
        ),
        created_at=payment.created_at,
        finalized_at=payment.finalized_at,
    )


def _bank_out(account: BankAccount) -> BankAccountOut:
    return BankAccountOut(
        bank_name=account.bank_name,
        branch_name=account.branch_name,
        account_type=account.account_type,
        account_number_last3=account.account_number[-3:],
        holder_kana=account.holder_kana,
        updated_at=account.updated_at,
    )


@router.get("", response={200: WalletOut, **ERRORS}, summary="My balance")
def wallet_get(request: HttpRequest) -> Any:
    summary = selectors.wallet_summary(user_id=signed_in_user(request).pk)
    return WalletOut(
        balance=summary.balance,
        held=summary.held,
        available=summary.available,
        currency=summary.currency,
    )


@router.get("/history", response={200: HistoryOut, **ERRORS}, summary="My balance history")
def wallet_history(request: HttpRequest, query: Query[PageQuery]) -> Any:
    result = selectors.wallet_history_page(
        user_id=signed_in_user(request).pk,
        page_number=max(query.page, 1),
    )
    return HistoryOut(
        count=result.page.paginator.count,
        page=result.page.number,
        pages=result.page.paginator.num_pages,
        items=[
            HistoryLineOut(
                id=line.transfer_id,
                created_at=line.created_at,
                description=line.description,
                amount=line.amount,
                held=line.held,
                balance_after=line.balance_after,
                contract_id=line.contract_id,
            )
            for line in result.lines
        ],
    )


@router.post(
    "/top-ups",
    response={201: PaymentOut, 202: PaymentOut, 402: PaymentOut, **ERRORS},
    summary="Top up by card",
    description=(
        "201 when the money is in the balance, 402 when the card was declined (the payment "
        "says why), 202 while the provider is still processing (then settled by its webhook)."
        + IDEMPOTENCY_DESCRIPTION
    ),
)
def wallet_top_up(request: HttpRequest, payload: AmountIn) -> Any:
    def run(request_ref: str) -> tuple[int, PaymentOut]:
        try:
            payment = wallet.wallet_top_up(
                user=signed_in_user(request), amount=payload.amount, request_ref=request_ref
            )
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return _status(payment), _payment_out(payment)

    return idempotent(request, payload, run)


@router.post(
    "/payouts",
    response={201: PaymentOut, 202: PaymentOut, 402: PaymentOut, **ERRORS},
    summary="Withdraw to my bank account",
    description=(
        "The amount and the payout fee are reserved first; a declined payout gives both back "
        "(402, with the reason)." + IDEMPOTENCY_DESCRIPTION
    ),
)
def wallet_payout(request: HttpRequest, payload: AmountIn) -> Any:
    def run(request_ref: str) -> tuple[int, PaymentOut]:
        try:
            payment = wallet.payout_request(
                user=signed_in_user(request), amount=payload.amount, request_ref=request_ref
            )
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return _status(payment), _payment_out(payment)

    return idempotent(request, payload, run)


def _status(payment: Payment) -> int:
    return {"succeeded": 201, "declined": 402}.get(payment.status, 202)


@router.get("/bank-account", response={200: BankAccountOut, **ERRORS}, summary="My bank account")
def bank_account_get(request: HttpRequest) -> Any:
    account = selectors.bank_account_get(user_id=signed_in_user(request).pk)
    if account is None:
        raise ApiError("not_found", _("No bank account is registered yet."), status=404)
    return _bank_out(account)


@router.put(
    "/bank-account", response={200: BankAccountOut, **ERRORS}, summary="Set my bank account"
)
def bank_account_put(request: HttpRequest, payload: BankAccountIn) -> Any:
    form = BankAccountForm(payload.model_dump())
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    account = wallet.bank_account_set(user=signed_in_user(request), **form.cleaned_data)
    return _bank_out(account)
