"""The web layer: Flask blueprints for the descriptor, lifecycle, pages (iframes), the JSON API and webhooks."""
from __future__ import annotations

from typing import cast

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from plugin.web import api, descriptor, errors, lifecycle, ops, pages, security, webhooks
from plugin.web import forge as forge_routes
from plugin.web.context import close_request_session


def init_app(app: Flask) -> None:
    """Register error handlers, security headers, every blueprint and the session teardown on `app`."""
    app.config["MAX_CONTENT_LENGTH"] = 5 * 1024 * 1024
    cast(DefaultJSONProvider, app.json).sort_keys = False  # Flask's default provider (create_app keeps it)
    errors.register(app)
    security.register(app)
    for blueprint in (descriptor.bp, lifecycle.bp, pages.bp, api.bp, webhooks.bp, ops.bp, forge_routes.bp):
        app.register_blueprint(blueprint)
    app.teardown_appcontext(close_request_session)
