"""Command line: `python -m plugin serve|worker|migrate|run|secret|status|forge-app`."""
from __future__ import annotations

import argparse
import logging
import secrets
import signal
import subprocess
import sys
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from plugin.logs import configure_logging
from plugin.settings import Settings, SettingsError, region_urls

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

log = logging.getLogger("work_sync")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_migrate(_args) -> None:
    """Apply the database migrations."""
    from plugin.db import migrate

    settings = _settings()
    before, after = migrate(settings.database_url)
    where = settings.describe().split(' · ')[1]
    if before is None:
        print(f"created the database schema at migration {after} ({where})")
    elif before != after:
        print(f"migrated the database from {before} to {after} ({where})")
    else:
        print(f"database is up to date at migration {after} ({where})")


def cmd_serve(args) -> None:
    """Serve the web app (development server; use gunicorn in production) until Ctrl-C or SIGTERM."""
    from plugin.queue import stop_embedded_redis

    _stop_on_signals()
    try:
        _serve(args)
    except KeyboardInterrupt:
        pass
    finally:
        stop_embedded_redis()  # an embedded Redis this process started (none with REDIS_URL)


def _serve(args) -> None:
    from werkzeug.serving import run_simple

    from plugin.app import create_app

    settings = _settings()
    app: WSGIApplication = create_app(settings)  # the Flask app, or the dispatcher serving it under the base path
    _check_redis(settings)
    if settings.base_path:  # serve under the base URL's path, as a reverse proxy would
        from werkzeug.exceptions import NotFound
        from werkzeug.middleware.dispatcher import DispatcherMiddleware

        app = DispatcherMiddleware(NotFound(), {settings.base_path: app})
    host = args.host or "127.0.0.1"
    port = args.port or urlsplit(settings.base_url).port or 5000
    log.info("serving Work Sync on http://%s:%s · %s", host, port, settings.describe())
    run_simple(host, port, app, threaded=True, use_reloader=False)


def cmd_worker(args) -> None:
    """Run an RQ worker (with the scheduler) on the sync and default queues."""
    from plugin.queue import stop_embedded_redis

    _stop_on_signals()  # until RQ takes the signals over: a warm shutdown on the first, a cold one on the second
    try:
        from plugin.jobs import QUEUE_NAMES
        from worker.queue import run  # the command line is the one place that starts worker code

        settings = _settings()
        configure_logging(settings.log_level, settings.log_format)
        log.info("worker on queues %s · %s", ", ".join(QUEUE_NAMES), settings.describe())
        _check_redis(settings)
        # RQ logs every job at INFO (a sweep a second): its own lines show from WARNING unless debugging.
        run(settings, burst=args.burst, with_scheduler=not args.no_scheduler,
            logging_level="DEBUG" if settings.log_level == "DEBUG" else "WARNING")
    except KeyboardInterrupt:
        pass
    finally:
        stop_embedded_redis()  # only a server this worker started, never the one of `run` it joined


def _check_redis(settings: Settings) -> None:
    """Warn (never refuse) when Redis has no persistence or may evict keys."""
    from plugin.ops import warn_about_redis

    warn_about_redis(settings)


def cmd_run(args) -> None:
    """Migrate, then run a worker and the web server together until Ctrl-C (what `make run` does)."""
    from plugin.queue import connect_redis, stop_embedded_redis

    _stop_on_signals()
    worker = None
    try:
        cmd_migrate(args)
        connect_redis(_settings())  # with no REDIS_URL this process owns the embedded Redis, so it can stop it last
        worker = subprocess.Popen([sys.executable, "-m", "plugin", "worker"])
        _serve(args)
    except KeyboardInterrupt:
        pass
    finally:
        if worker is not None:
            _stop_worker(worker)
        stop_embedded_redis()


def _stop_worker(worker: subprocess.Popen) -> None:
    """Ctrl-C reached the worker too (one process group): let it stop by itself, as a second signal is cold."""
    try:
        worker.wait(timeout=10 if _interrupted_by == signal.SIGINT else 0)
    except subprocess.TimeoutExpired:
        worker.send_signal(signal.SIGTERM)  # RQ: a warm shutdown (the running job finishes)
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


_interrupted_by: int | None = None


def _stop_on_signals() -> None:
    """Ctrl-C and SIGTERM stop the command quietly, once: a second signal cannot break the clean-up."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)


def _interrupt(signum, _frame) -> None:
    global _interrupted_by
    _interrupted_by = signum
    for each in (signal.SIGINT, signal.SIGTERM):
        signal.signal(each, signal.SIG_IGN)
    raise KeyboardInterrupt


def cmd_status(_args) -> None:
    """Print queues, workers, backlog, per-site health and open errors; exit 1 when something is down."""
    from plugin.ops import health, status_text
    from plugin.runtime import Runtime

    runtime = Runtime.build(_settings())
    try:
        print(status_text(runtime))
        ok = health(runtime).ok
    finally:
        runtime.close()
    raise SystemExit(0 if ok else 1)


def cmd_forge_app(args) -> None:
    """Write the deployable Forge app (manifest.yml, Custom UI, package.json, README) for this backend."""
    from pathlib import Path

    from plugin.forge.app import write

    settings = _settings()
    app_id = args.app_id or settings.forge_app_id
    regions = settings.forge_region_urls
    if args.region:
        try:
            regions = region_urls(",".join(args.region), settings.base_url, settings.production, "--region")
        except SettingsError as exc:
            print(f"configuration error: {exc}", file=sys.stderr)
            raise SystemExit(2) from None
    written = write(Path(args.out), settings.base_url, settings.base_path, app_id, regions)
    print(f"wrote the Forge app for {settings.base_url} to {written.out}"
          + (f" (region URLs: {', '.join(region for region, _ in regions)})" if regions else "")
          + ("" if app_id else " (app.id is a placeholder: run forge register there, then set FORGE_APP_ID)"))


def cmd_secret(_args) -> None:
    """Print a new random APP_SECRET_KEY."""
    print(secrets.token_urlsafe(48))


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run the command."""
    configure_logging("INFO")
    parser = argparse.ArgumentParser(prog="python -m plugin", description="Work Sync, the Jira app backend.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, func, text in (
        ("serve", cmd_serve, "serve the web app (descriptor, lifecycle, pages, API, webhooks)"),
        ("worker", cmd_worker, "run an RQ worker that executes sync jobs"),
        ("migrate", cmd_migrate, "apply database migrations (Alembic)"),
        ("run", cmd_run, "migrate, then run the web app and a worker together (development)"),
        ("secret", cmd_secret, "print a fresh random APP_SECRET_KEY"),
        ("status", cmd_status, "print queues, workers, backlog, per-site health and open errors"),
        ("forge-app", cmd_forge_app, "write the Forge app (manifest.yml, Custom UI) whose remote is this backend"),
    ):
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(func=func)
        if name in ("serve", "run"):
            sub.add_argument("--host", help="interface to bind (default 127.0.0.1)")
            sub.add_argument("--port", type=int, help="port (default: the port of APP_BASE_URL, else 5000)")
        if name == "forge-app":
            sub.add_argument("--out", required=True, help="the folder to write the app into")
            sub.add_argument("--app-id", help="the registered app id (default: FORGE_APP_ID, else a placeholder)")
            sub.add_argument("--region", action="append", metavar="REGION=URL",
                             help="a region-specific base URL of this backend for data residency (repeatable; "
                                  "default: FORGE_REGION_URLS), e.g. EU=https://eu.example.com")
        if name == "worker":
            sub.add_argument("--burst", action="store_true", help="exit when the queues are empty")
            sub.add_argument("--no-scheduler", action="store_true", help="do not run RQ's scheduler in this worker")
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
