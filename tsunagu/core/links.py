"""Absolute links for e-mail: the site's domain (django.contrib.sites) with the scheme the site is
served on (``HTTPS`` in the settings), so a mail never points a person at plain http by mistake."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sites.models import Site


def site_url(path: str = "") -> str:
    """``/income/`` → ``https://tsunagu.example/income/``; a full URL is returned as it is."""
    if path and not path.startswith("/"):
        return path
    scheme = "https" if settings.HTTPS else "http"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"
