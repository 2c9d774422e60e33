"""create_app(settings): the only place that wires the app together."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from plugin.connect.install_keys import InstallKeys
from plugin.connect.secretbox import SecretBox
from plugin.db import make_engine, make_session_factory
from plugin.settings import Settings
from worker.queue import Queues


@dataclass
class Runtime:
    """The long-lived objects one app instance uses; reached through `runtime()`."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    secrets: SecretBox
    install_keys: InstallKeys
    queues: Queues


def create_app(settings: Settings | None = None) -> Flask:
    """Build the Flask app for `settings` (read from the environment when omitted)."""
    settings = settings or Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = Flask(__name__, template_folder=_templates_folder(), instance_path=str(settings.instance_path))
    app.config["MAX_CONTENT_LENGTH"] = 5 * 1024 * 1024
    app.json.sort_keys = False
    engine = make_engine(settings.database_url)
    app.extensions["work_sync"] = Runtime(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        secrets=SecretBox(settings.secret_key),
        install_keys=InstallKeys(settings.install_keys_url),
        queues=Queues(settings),
    )

    from plugin.web import api, descriptor, errors, lifecycle, pages, security, webhooks

    errors.register(app)
    security.register(app)
    for blueprint in (descriptor.bp, lifecycle.bp, pages.bp, api.bp, webhooks.bp):
        app.register_blueprint(blueprint)
    app.teardown_appcontext(_close_session)
    return app


def runtime() -> Runtime:
    """The current app's Runtime."""
    return current_app.extensions["work_sync"]


def db() -> Session:
    """The request's database session, opened on first use and closed at teardown."""
    if "db" not in g:
        g.db = runtime().sessions()
    return g.db


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()


def _templates_folder() -> str:
    return str(Path(__file__).resolve().parent.parent / "templates")
