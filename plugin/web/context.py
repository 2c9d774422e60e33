"""The request-scoped accessors of the web layer: the app's Runtime and the request's database session."""
from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from plugin.runtime import Runtime


def runtime() -> Runtime:
    """The current Flask app's Runtime."""
    return current_app.extensions["work_sync"]


def db() -> Session:
    """The request's database session, opened on first use and closed at teardown."""
    if "db" not in g:
        g.db = runtime().sessions()
    return g.db


def close_request_session(_exc: BaseException | None) -> None:
    """Teardown: close the request's session if one was opened."""
    session = g.pop("db", None)
    if session is not None:
        session.close()
