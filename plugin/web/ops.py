"""Operations endpoints: `GET /health` for load balancers and supervisors (no authentication, no secret, no
tenant data) and `GET /metrics` for Prometheus (Bearer METRICS_TOKEN; 404 while it is unset)."""
from __future__ import annotations

import hmac

from flask import Blueprint, Response, abort, jsonify, request

from plugin import metrics, ops
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


@bp.get("/metrics")
def prometheus():
    """Prometheus text for a scraper holding METRICS_TOKEN (Bearer); 404 while METRICS_TOKEN is unset."""
    settings = runtime().settings
    if not settings.metrics_token:
        abort(404)
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {settings.metrics_token}".encode()):
        response = jsonify({"error": "unauthorized", "message": "send Authorization: Bearer <METRICS_TOKEN>"})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body = metrics.exposition(settings.metrics_dir, metrics.state_registry(ops.scrape_state(runtime())))
    return Response(body, mimetype=None, headers={"Content-Type": metrics.CONTENT_TYPE_LATEST,
                                                  "Cache-Control": "no-store"})
