from __future__ import annotations

from django.urls import path, re_path

from tsunagu.trust import card_views
from tsunagu.trust.card_rules import CARD_PUBLIC_ID_RE

app_name = "cards"

ID = f"(?P<public_id>{CARD_PUBLIC_ID_RE})"

urlpatterns = [
    path("mine/", card_views.mine, name="mine"),
    re_path(rf"^{ID}/$", card_views.public, name="public"),
    re_path(rf"^{ID}\.json$", card_views.document, name="document"),
    re_path(rf"^{ID}/og\.png$", card_views.image, name="image"),
    re_path(rf"^{ID}/revoke/$", card_views.revoke, name="revoke"),
]
