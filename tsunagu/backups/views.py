"""The staff page of backups (each archive with its size, sha256 and verification state), and
each person's page to export their own data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tsunagu.accounts.request import signed_in_user
from tsunagu.backups import selectors
from tsunagu.backups.export import ExportRefused, data_export_download, data_export_request
from tsunagu.backups.models import DataExport


@login_required
@require_GET
def backup_list(request: HttpRequest) -> HttpResponse:
    if not signed_in_user(request).is_staff:
        raise Http404
    return render(request, "backups/list.html", {"backups": selectors.backups_list()})


# --- self-service data export -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    """Ask for an export of one's own data, and follow its progress."""
    user = signed_in_user(request)
    if request.method == "POST":
        try:
            data_export_request(user=user)
        except ExportRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Your export is being built. We will e-mail you when it is ready.")
            )
        return redirect("exports:page")
    template = "backups/_export_status.html" if request.htmx else "backups/export.html"  # type: ignore[attr-defined]
    return render(request, template, {"exports": DataExport.objects.filter(user=user)[:5]})


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int, token: str) -> HttpResponseBase:
    try:
        filename, data = data_export_download(
            user=signed_in_user(request), export_id=pk, token=token
        )
    except ExportRefused as exc:
        return render(request, "backups/export_refused.html", {"error": str(exc)}, status=404)
    response = FileResponse(data, as_attachment=True, filename=filename)
    response["Content-Type"] = "application/zip"
    response["Cache-Control"] = "private, no-store"
    return response
