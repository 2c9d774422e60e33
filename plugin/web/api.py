"""The JSON API our iframe pages call with AP.context.getToken() tokens."""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from plugin.web.auth import page_user_request

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/context")
@page_user_request
def context():
    """Who is asking, from which site: what the pages show in their header."""
    return jsonify({
        "site": {"baseUrl": g.tenant.base_url, "displayUrl": g.tenant.display_url or g.tenant.base_url},
        "accountId": g.account_id,
        "context": g.jwt.context,
    })
