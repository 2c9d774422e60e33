"""Every error leaves as JSON with a clear message; never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from plugin.errors import WorkSyncError

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    """Install the JSON error handlers on `app`."""

    @app.errorhandler(WorkSyncError)
    def _domain_error(exc: WorkSyncError):
        if exc.status >= 500:
            log.warning("%s: %s", type(exc).__name__, exc.message)
        response = jsonify(exc.to_json())
        response.status_code = exc.status
        if exc.status == 401:
            response.headers["WWW-Authenticate"] = 'JWT realm="work-sync"'
        retry_after = getattr(exc, "retry_after", None)
        if exc.status == 429 and retry_after is not None:
            response.headers["Retry-After"] = str(max(1, int(retry_after)))
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        response = jsonify({"error": exc.name.lower().replace(" ", "_"), "message": exc.description})
        response.status_code = exc.code or 500
        for name, value in exc.get_headers():  # Allow of a 405, Retry-After …, but not werkzeug's content type
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        response = jsonify({"error": "internal", "message": "Something went wrong on our side; it has been logged."})
        response.status_code = 500
        return response
