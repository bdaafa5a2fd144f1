"""The staff page of backups: each archive with its size, sha256 and verification state."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tsunagu.accounts.request import signed_in_user
from tsunagu.backups import selectors


@login_required
@require_GET
def backup_list(request: HttpRequest) -> HttpResponse:
    if not signed_in_user(request).is_staff:
        raise Http404
    return render(request, "backups/list.html", {"backups": selectors.backups_list()})
