"""GET /atlassian-connect.json: the descriptor rendered for our base URL."""
from __future__ import annotations

from flask import Blueprint, jsonify

import descriptor as connect_descriptor
from plugin.web.context import runtime

bp = Blueprint("descriptor", __name__)


@bp.get("/atlassian-connect.json")
def serve():
    """The Connect descriptor Jira installs the app from."""
    settings = runtime().settings
    response = jsonify(connect_descriptor.render(settings.base_url, settings.app_key))
    response.headers["Cache-Control"] = "no-cache"
    return response
