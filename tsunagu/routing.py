"""WebSocket addresses, served when live updates are on (``LIVE_UPDATES=websocket``).

The counterpart of urls.py for the ``websocket`` protocol: sessions and the signed-in user come
from the same cookies as the pages (AuthMiddlewareStack), and a socket opened from another
site's page is refused (AllowedHostsOriginValidator checks the Origin against ALLOWED_HOSTS).
"""

from __future__ import annotations

from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from tsunagu.messaging.consumers import LiveConsumer, RoomConsumer

websocket_urlpatterns = [
    path("ws/live/", LiveConsumer.as_asgi()),
    path("ws/rooms/<int:room_id>/", RoomConsumer.as_asgi()),
]


def websocket_application() -> Any:
    return AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
