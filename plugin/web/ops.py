"""Operations endpoints: `GET /health` for load balancers and supervisors (no authentication, no secret, no
tenant data)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from plugin import ops
from plugin.web.context import runtime

bp = Blueprint("ops", __name__)


@bp.get("/health")
def health():
    """200 when the database, Redis and at least one worker answer; 503 naming what is down."""
    result = ops.health(runtime())
    response = jsonify(result.json())
    response.status_code = 200 if result.ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
