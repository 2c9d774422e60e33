"""The app served over real HTTP on loopback (a werkzeug server in a thread), as Jira would reach it."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from jirasim.testing import loopback_server
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

    def wsgi(environ, start_response):  # the app needs its own URL before it can be built
        return holder["wsgi"](environ, start_response)

    with loopback_server(wsgi) as base_url:
        settings = settings.with_(base_url=base_url)
        app = create_app(settings)
        holder["wsgi"] = checker = ValidatingMiddleware(app)
        try:
            yield LiveApp(app, settings, checker)
        finally:
            app.extensions["work_sync"].close()
    assert checker.failures == [], "API responses that contradict openapi.yaml:\n" + "\n".join(checker.failures)
