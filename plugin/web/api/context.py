"""GET /api/context: who is asking, from which site (what the pages show in their header)."""
from __future__ import annotations

import logging

from flask import g, jsonify

from plugin.errors import WorkSyncError
from plugin.web.api.blueprint import bp
from plugin.web.auth import page_user_request
from plugin.web.context import runtime

log = logging.getLogger(__name__)



@bp.get("/context")
@page_user_request
def context():
    """Who is asking, from which site: what the pages show in their header."""
    rt = runtime()
    try:
        display_name = rt.jira(g.tenant).user(g.account_id).get("displayName")
    except WorkSyncError as exc:  # the header can live without a name; the page must still load
        log.info("no display name for the page header: %s", exc.message)
        display_name = None
    return jsonify({
        "site": {"baseUrl": g.tenant.base_url, "displayUrl": g.tenant.display_url or g.tenant.base_url},
        "accountId": g.account_id,
        "displayName": display_name,
        "context": g.jwt.context,
    })
