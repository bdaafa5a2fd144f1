"""The REST API, assembled from each app's router. Served at /api/v1, documented at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Tsunagu API",
    version="1",
    urls_namespace="api-v1",
    docs_url="/docs",
)
