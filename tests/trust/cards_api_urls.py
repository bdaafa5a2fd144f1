"""The project's URLs with the cards router served at /api/v1/cards, for its tests, until
the project's API mounts it at /api/v1/cards."""

from __future__ import annotations

from django.urls import path

from tsunagu import urls as project_urls
from tsunagu.api.ninja import api_create
from tsunagu.trust.cards_api import router

api = api_create()
api.urls_namespace = "api-v1-cards-test"
api.add_router("/cards", router)

# First, so that /api/v1/cards… reaches it; the rest of the site is as served.
urlpatterns = [path("api/v1/", api.urls), *project_urls.urlpatterns]
