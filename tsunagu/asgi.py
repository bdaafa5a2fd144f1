"""The ASGI entry point: pages over HTTP, and live updates over WebSockets when switched on.

With ``LIVE_UPDATES=websocket`` the ``websocket`` protocol is routed to tsunagu/routing.py;
otherwise only HTTP is served and a WebSocket is refused, exactly as under WSGI.
"""

import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")


def application_build() -> Any:
    from channels.routing import ProtocolTypeRouter

    # Django is set up here, before the consumers' models are imported.
    http = get_asgi_application()
    from tsunagu.core.live import live_enabled

    protocols: dict[str, Any] = {"http": http}
    if live_enabled():
        from tsunagu.routing import websocket_application

        protocols["websocket"] = websocket_application()
    return ProtocolTypeRouter(protocols)


application = application_build()
