"""The ``tsunagu`` command.

``tsunagu run`` migrates the database, then serves the site and runs the background-task worker
and the periodic tick together until stopped; ``--workers N`` serves from N gunicorn processes on
the one address, and SIGTERM lets a running task finish (up to DRAIN_SECONDS) before exiting.
``tsunagu worker`` runs background tasks alone, for more workers or other machines. Every other subcommand is the Django management
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
import time
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


def worker_command() -> list[str]:
    """The command line of one background-task worker for the configured backend."""
    return [sys.executable, "-m", "tsunagu.cli", "worker"]


def worker(argv: list[str]) -> int:
    """Run tasks until stopped: an RQ worker on Redis (TASKS_BACKEND=rq), else the database one.

    Both finish the task they are running when sent SIGTERM or SIGINT once.
    """
    _setup()
    from django.conf import settings
    from django.core.management import execute_from_command_line

    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_rq.RQBackend":
        queues = list(settings.TASKS["default"].get("QUEUES") or ["default"])
        command = ["rqworker", *queues, "--job-class", "django_tasks_rq.Job", "--with-scheduler"]
    else:
        command = ["db_worker", "--no-startup-delay"]
    execute_from_command_line(["tsunagu", *command, *argv])
    return 0


def _serve_asgi(*, host: str, port: int) -> None:
    """Serve tsunagu.asgi with uvicorn: pages and, for live updates, WebSockets.

    uvicorn stops gracefully on SIGINT and SIGTERM, then passes the signal on to run's handler.
    """
    import uvicorn

    uvicorn.run(
        "tsunagu.asgi:application", host=host, port=port, lifespan="off", ws="websockets-sansio"
    )


def _asgi_command(*, host: str, port: int, workers: int) -> list[str]:
    """Several ASGI processes on one address (live updates on): uvicorn's own worker processes."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "tsunagu.asgi:application",
        f"--host={host}",
        f"--port={port}",
        f"--workers={workers}",
        "--lifespan=off",
        "--ws=websockets-sansio",
    ]


def _web_command(*, host: str, port: int, workers: int, threads: int, drain: int) -> list[str]:
    """Several web processes on one address: gunicorn's pre-forked WSGI workers (threads each)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "tsunagu.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        f"--graceful-timeout={drain}",
        "--timeout=120",
    ]


def _drain(children: list[subprocess.Popen[bytes]], *, seconds: int) -> None:
    """Ask each child once to stop (each finishes what it is running), then wait up to
    ``seconds`` in all before killing what is left. A second signal would cut a task short."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    give_up = time.monotonic() + seconds
    for child in children:
        try:
            child.wait(timeout=max(0.0, give_up - time.monotonic()))
        except subprocess.TimeoutExpired:
            logger.warning("pid %s still running after %ss: killing it", child.pid, seconds)
            child.kill()
            child.wait()


def run(*, host: str, port: int, worker: bool, threads: int, workers: int) -> int:
    # Before Django starts, so settings and the system checks see how many web processes run.
    os.environ["WEB_CONCURRENCY"] = str(workers)
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)
    call_command("site_setup", host=host, port=port)

    drain = settings.DRAIN_SECONDS
    children: list[subprocess.Popen[bytes]] = []

    def spawn(command: list[str]) -> subprocess.Popen[bytes]:
        # Its own session: a Ctrl+C in the terminal reaches only this process, which then
        # signals each child exactly once (see _drain).
        # Our own interpreter running our own modules, no shell.
        child = subprocess.Popen(command, env=dict(os.environ), start_new_session=True)  # noqa: S603
        children.append(child)
        return child

    stop = threading.Event()
    failed = 0

    def shutdown(signum: int, frame: FrameType | None) -> None:
        stop.set()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    try:
        if worker:
            spawn(worker_command())
        web = None
        server = os.environ.get("WEB_SERVER") or ("gunicorn" if workers > 1 else "waitress")
        if settings.LIVE_UPDATES == "websocket":
            server = "uvicorn"  # WebSockets need ASGI
        if server == "gunicorn":
            web = spawn(
                _web_command(host=host, port=port, workers=workers, threads=threads, drain=drain)
            )
        elif server == "uvicorn" and workers > 1:
            web = spawn(_asgi_command(host=host, port=port, workers=workers))
        ticker = threading.Thread(
            target=_tick_loop, args=(stop, settings.TICK_SECONDS), name="tick", daemon=True
        )
        ticker.start()
        print(f"Tsunagu is serving http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
        if web is not None:
            while web.poll() is None and not stop.wait(1):
                pass
            if not stop.is_set():
                failed = web.returncode or 1
                logger.error("the web server stopped (exit code %s)", web.returncode)
        elif server == "uvicorn":
            _serve_asgi(host=host, port=port)
        else:
            from waitress import serve

            from tsunagu.wsgi import application

            serve(application, host=host, port=port, threads=threads, ident="tsunagu")
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _drain(children, seconds=drain)
    return failed


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["trust", "rank"]:
        from tsunagu.trust.rank_cli import main as trust_rank

        return trust_rank(argv[2:])
    if argv and argv[0] == "run":
        parser = argparse.ArgumentParser(prog="tsunagu run", description=run.__doc__)
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("WEB_THREADS") or "8")
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY") or "1"),
            help="web processes on the one address (more than 1: gunicorn; WEB_CONCURRENCY)",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the background-task worker"
        )
        args = parser.parse_args(argv[1:])
        if args.workers < 1 or args.threads < 1:
            parser.error("--workers and --threads must be at least 1")
        return run(
            host=args.host,
            port=args.port,
            worker=not args.no_worker,
            threads=args.threads,
            workers=args.workers,
        )
    if argv and argv[0] == "worker":
        return worker(argv[1:])
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(
            "usage: tsunagu <command> [options]\n\n"
            "  run            migrate, then serve the site with the task worker (PORT, default 8000;\n"
            "                 --workers N web processes, DRAIN_SECONDS to finish a task on stop)\n"
            "  worker         run background tasks only (the database or, TASKS_BACKEND=rq, Redis)\n"
            "  demo           load the demo data (safe to run again)\n"
            "  trust rank     global trust from an edge list (--edges, --seeds, --out)\n"
            "  <command>      any management command, e.g. createsuperuser, migrate\n"
        )
        return 0
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tsunagu", *argv])
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
