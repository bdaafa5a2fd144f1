from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tsunagu.contracts.models import Contract


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_object_or_404(Contract, pk=pk)
    if not contract.is_party(request.user.pk) and not request.user.is_staff:
        raise Http404
    return render(request, "contracts/detail.html", {"contract": contract})
