"""Jira-shaped errors: `{"errorMessages": [...], "errors": {field: message}}` with Jira's status codes."""
from __future__ import annotations

import json

from flask import Response

ISSUE_NOT_FOUND = "Issue does not exist or you do not have permission to see it."
NOT_AUTHENTICATED = "You are not authenticated. Authentication required to perform this operation."


class JiraError(Exception):
    """An error answered to a REST caller in Jira's ErrorCollection shape."""

    def __init__(self, status: int, message: str | None = None, errors: dict | None = None):
        super().__init__(message or json.dumps(errors or {}))
        self.status = status
        self.message = message or ""
        self.errors = dict(errors or {})

    def body(self) -> dict:
        """The ErrorCollection body."""
        return {"errorMessages": [self.message] if self.message else [], "errors": self.errors}

    def response(self) -> Response:
        """The Flask response for this error."""
        headers = {"WWW-Authenticate": 'Basic realm="protected-area"'} if self.status == 401 else {}
        return Response(json.dumps(self.body()), status=self.status, mimetype="application/json", headers=headers)


def bad_request(message: str | None = None, **errors) -> JiraError:
    """A 400 with an error message and/or field errors."""
    return JiraError(400, message, errors)


def issue_not_found() -> JiraError:
    """Jira's 404 for an issue that is missing or not browsable."""
    return JiraError(404, ISSUE_NOT_FOUND)


def forbidden(message: str) -> JiraError:
    """A 403 with a message."""
    return JiraError(403, message)


def not_found(message: str) -> JiraError:
    """A 404 with a message."""
    return JiraError(404, message)


class GatewayError(JiraError):
    """An error of Atlassian's API gateway (`api.atlassian.com`), which answers `{"code", "message"}`."""

    def body(self) -> dict:
        """The gateway's body."""
        return {"code": self.status, "message": self.message}

    def response(self) -> Response:
        """The Flask response for this error."""
        headers = {"WWW-Authenticate": 'Bearer realm="api.atlassian.com"'} if self.status == 401 else {}
        return Response(json.dumps(self.body()), status=self.status, mimetype="application/json", headers=headers)
