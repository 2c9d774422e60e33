"""The app served over real HTTP on loopback (a werkzeug server in a thread), as Jira would reach it."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server

from plugin.app import create_app
from plugin.settings import Settings
from tests.support.openapi_check import ValidatingMiddleware


class LiveApp:
    """A running app: its settings, Flask app and base URL."""

    def __init__(self, app: Flask, settings: Settings, checker: ValidatingMiddleware):
        self.app = app
        self.settings = settings
        self.checker = checker

    @property
    def base_url(self) -> str:
        return self.settings.base_url

    @property
    def runtime(self):
        return self.app.extensions["work_sync"]


@contextmanager
def serving(settings: Settings) -> Iterator[LiveApp]:
    """Serve create_app(settings) on 127.0.0.1 at a free port; settings.base_url is set to it."""
    holder: dict = {}

    def wsgi(environ, start_response):
        return holder["wsgi"](environ, start_response)

    server = make_server("127.0.0.1", 0, wsgi, threaded=True)
    settings = settings.with_(base_url=f"http://127.0.0.1:{server.server_port}")
    app = create_app(settings)
    holder["wsgi"] = checker = ValidatingMiddleware(app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveApp(app, settings, checker)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.extensions["work_sync"].close()
    assert checker.failures == [], "API responses that contradict openapi.yaml:\n" + "\n".join(checker.failures)
