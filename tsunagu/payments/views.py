from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tsunagu.payments.providers import InvalidWebhook, get_provider
from tsunagu.payments.services import webhook_receive

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


@login_required
def wallet(request: HttpRequest) -> HttpResponse:
    return render(request, "payments/wallet.html", {})
