"""The bare view the load test (bench/load.py) measures pages against."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def bench_ok(request: HttpRequest) -> HttpResponse:
    """ "ok" through the whole middleware stack, with no query; 404 unless BENCH_ENDPOINTS is on."""
    if not settings.BENCH_ENDPOINTS:
        raise Http404
    return HttpResponse("ok", content_type="text/plain")
