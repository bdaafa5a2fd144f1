"""The ``tsunagu`` command.

``tsunagu run`` migrates the database, then serves the site and runs the background-task worker
and the periodic tick together until stopped. Every other subcommand is the Django management
command of the same name, so ``tsunagu demo`` runs ``manage.py demo`` and later subcommands
(``tsunagu ledger check``) are added as management commands. ``tsunagu trust rank`` is the
exception: a framework-free computation over files (tsunagu/trust/rank_cli.py), it runs without
setting up Django, which would only cost it time.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import threading
from types import FrameType

logger = logging.getLogger("tsunagu.run")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import django

    django.setup()


def _tick_loop(stop: threading.Event, interval: int) -> None:
    from django.db import close_old_connections

    from tsunagu.core.tasks import tick

    while not stop.wait(interval):
        try:
            tick.enqueue()
        except Exception:  # the database may be briefly busy; the next tick tries again
            logger.exception("could not enqueue the tick")
        finally:
            close_old_connections()


def _serve_asgi(*, host: str, port: int) -> None:
    """Serve tsunagu.asgi with uvicorn: pages and, for live updates, WebSockets.

    uvicorn stops gracefully on SIGINT and SIGTERM, then passes the signal on to run's handler.
    """
    import uvicorn

    uvicorn.run(
        "tsunagu.asgi:application", host=host, port=port, lifespan="off", ws="websockets-sansio"
    )


def run(*, host: str, port: int, worker: bool, threads: int) -> int:
    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from waitress import serve

    from tsunagu.wsgi import application

    call_command("migrate", interactive=False, verbosity=1)
    call_command("site_setup", host=host, port=port)

    children: list[subprocess.Popen[bytes]] = []
    if worker:
        children.append(
            subprocess.Popen(
                [sys.executable, "-m", "django", "db_worker", "--no-startup-delay"],
                env={**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]},
            )
        )
    stop = threading.Event()
    ticker = threading.Thread(
        target=_tick_loop, args=(stop, settings.TICK_SECONDS), name="tick", daemon=True
    )
    ticker.start()

    def shutdown(signum: int, frame: FrameType | None) -> None:
        stop.set()
        for child in children:
            child.terminate()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, shutdown)
    print(f"Tsunagu is serving http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    try:
        if settings.LIVE_UPDATES == "websocket":
            _serve_asgi(host=host, port=port)
        else:
            serve(application, host=host, port=port, threads=threads, ident="tsunagu")
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["trust", "rank"]:
        from tsunagu.trust.rank_cli import main as trust_rank

        return trust_rank(argv[2:])
    if argv and argv[0] == "run":
        parser = argparse.ArgumentParser(prog="tsunagu run", description=run.__doc__)
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the background-task worker"
        )
        args = parser.parse_args(argv[1:])
        return run(host=args.host, port=args.port, worker=not args.no_worker, threads=args.threads)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(
            "usage: tsunagu <command> [options]\n\n"
            "  run            migrate, then serve the site with the task worker (PORT, default 8000)\n"
            "  demo           load the demo data (safe to run again)\n"
            "  trust rank     global trust from an edge list (--edges, --seeds, --out)\n"
            "  backup         database and files into one archive (--out DIR, --encrypt-to KEY)\n"
            "  restore        an archive into an empty site (ARCHIVE --verify [--force])\n"
            "  verify         check the ledger, message chains and stored files\n"
            "  <command>      any management command, e.g. createsuperuser, migrate\n"
        )
        return 0
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tsunagu", *argv])
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
