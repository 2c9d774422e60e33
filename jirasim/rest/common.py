"""Request helpers shared by the REST blueprints: current site/caller/version, JSON bodies, paging, events."""
from __future__ import annotations

import json

from flask import Blueprint, Response, g, request

from jirasim.errors import bad_request


def site():
    """The site of the current request."""
    return g.site


def caller():
    """The authenticated user of the current request."""
    return g.caller


def version() -> str:
    """'2' or '3': how rich text is represented in this request."""
    return g.api_version


def world():
    """The World serving the current request."""
    return g.world


def new_blueprint(name: str) -> Blueprint:
    """A child blueprint (mounted under the site REST prefix)."""
    return Blueprint(name, __name__)


def body_json(required: bool = True):
    """The JSON request body (400 like Jira when it is missing or malformed)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise bad_request("No content to map due to end-of-input")
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise bad_request("Unexpected character in the request body: not valid JSON.") from None


def ok(body, status: int = 200) -> Response:
    """A JSON response."""
    return Response(json.dumps(body), status=status, mimetype="application/json")


def no_content() -> Response:
    """A 204 response."""
    return Response(status=204)


def int_arg(name: str, default: int, maximum: int | None = None) -> int:
    """An integer query parameter (400 when not a number)."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"The '{name}' parameter must be a number.") from None
    value = max(0, value)
    return min(value, maximum) if maximum else value


def flag(name: str, default: bool = False) -> bool:
    """A boolean query parameter."""
    raw = request.args.get(name)
    return default if raw is None else raw.lower() == "true"


def emit(payloads: list[dict], flow: str = "Primary") -> None:
    """Hand event payloads to the world's listeners (outside the lock), in Jira's `Primary` or `Secondary` flow."""
    actor = g.caller.account_id if g.get("caller") is not None else None
    for item in payloads:
        g.world.emit(g.site, item, flow, actor)
