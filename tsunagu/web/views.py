from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template import loader
from django.views import i18n, static
from django.views.decorators.http import require_GET, require_POST

from tsunagu.accounts.models import Language, User


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "web/landing.html")
    from tsunagu.web.selectors import home_dashboard

    return render(request, "web/home.html", home_dashboard(user=request.user))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language; a signed-in person keeps the choice on their account too."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in Language.values:
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response


@require_GET
def public_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Public uploads (portfolio items). Private files are never under MEDIA_ROOT."""
    response = static.serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Content-Disposition"] = (
        "inline"
        if path.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".webp"))
        else "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failing request may be what broke the page.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


__all__ = ["Http404"]
