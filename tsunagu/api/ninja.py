"""The REST API, assembled from each app's router. Served at /api/v1, documented at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from tsunagu.api.auth import api_auth

api = NinjaAPI(
    title="Tsunagu API",
    version="1",
    urls_namespace="api-v1",
    docs_url="/docs",
    auth=api_auth,
)

# Each app's router; endpoints open to anyone say auth=None themselves.
api.add_router("/profiles", "tsunagu.profiles.api.router")

