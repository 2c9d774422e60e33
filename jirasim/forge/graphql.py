"""Atlassian's GraphQL gateway (`https://api.atlassian.com/graphql`, here `/_api/graphql`), as far as Forge remotes
use it: the `offlineUserAuthToken` mutation of offline user impersonation.

A remote posts it with `Authorization: Bearer <app system token>` and `input: {contextIds: [<the installation's
context ARI>], userId: <accountId>}`; the answer is `{data: {offlineUserAuthToken: {success, errors: [{message}],
authToken: {token, ttl}}}}`. Refusals of the input are `success: false` with a message, as GraphQL mutations
answer; a missing or bad token is the gateway's 401; more than the app's requests per minute is a 429.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from flask import Blueprint, jsonify, request

from jirasim.errors import GatewayError
from jirasim.forge.auth import UNAUTHORIZED, installation_of
from jirasim.forge.tokens import TokenError

FIELD = "offlineUserAuthToken"
NO_IMPERSONATION = ("The app is not allowed to impersonate users: no scope in its manifest has allowImpersonation "
                    "set to true")


class Window:
    """Token requests per app in the last minute (Forge's limit is per app, across its installations)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.seen: dict[str, deque[float]] = defaultdict(deque)

    def admit(self, app_id: str, per_minute: int) -> bool:
        """Count one request of `app_id`; False when it is over `per_minute`."""
        now = time.monotonic()
        with self.lock:
            seen = self.seen[app_id]
            while seen and seen[0] <= now - 60:
                seen.popleft()
            if len(seen) >= per_minute:
                return False
            seen.append(now)
            return True


def _answer(token: str | None = None, ttl: int | None = None, error: str | None = None):
    body = {"success": error is None, "errors": [{"message": error}] if error else [],
            "authToken": {"token": token, "ttl": ttl} if token else None}
    return jsonify({"data": {FIELD: body}})


def _site_of(world, claims):
    return next((s for s in list(world.sites.values()) if s.cloud_id == claims.get("cloudId")), None)


def graphql_blueprint(world) -> Blueprint:
    """Blueprint with `POST /_api/graphql`."""
    bp = Blueprint("jirasim_forge_graphql", __name__, url_prefix="/_api")
    window = Window()

    @bp.post("/graphql")
    def graphql():
        given = request.get_json(force=True, silent=True)
        given = given if isinstance(given, dict) else {}
        if FIELD not in str(given.get("query") or ""):
            return jsonify({"errors": [{"message": "Only the offlineUserAuthToken mutation is simulated",
                                        "extensions": {"classification": "ValidationError"}}]}), 400
        claims = _claims(world)
        site = _site_of(world, claims)
        if site is None:
            raise GatewayError(401, UNAUTHORIZED)
        inst, claims = installation_of(site, request, world.forge.tokens)
        with world.lock:  # counted and logged like the product API, so tests see how often the app exchanges
            world.calls[(site.name, "POST", "/graphql")] += 1
            world.request_log.append({"site": site.name, "method": "POST", "path": request.path,
                                      "endpoint": "/graphql", "status": 200, "caller": inst.account_id,
                                      "app": inst.account_id, "faults": [], "rateLimit": None, "at": time.time()})
        if claims.get("impersonation"):  # only the app system token may ask
            raise GatewayError(401, UNAUTHORIZED)
        policy = world.forge.policy
        if not window.admit(inst.app_id, policy.user_tokens_per_minute):
            return jsonify({"errors": [{"message": "Rate limit exceeded for offlineUserAuthToken",
                                        "extensions": {"statusCode": 429}}]}), 429, {"Retry-After": "60"}
        variables = given.get("variables") if isinstance(given.get("variables"), dict) else {}
        found = variables.get("input") if isinstance(variables.get("input"), dict) else {}
        contexts, user_id = found.get("contextIds"), found.get("userId")
        if not isinstance(contexts, list) or contexts != [inst.context_ari]:
            return _answer(error=f"The app is not installed in the contexts {contexts!r}")
        if not inst.impersonation_scopes:
            return _answer(error=NO_IMPERSONATION)
        person = site.user(user_id) if isinstance(user_id, str) else None
        if person is None or person.is_app or not person.active:
            return _answer(error=f"The user {user_id!r} cannot be impersonated: no such active user on the site")
        ttl = int(policy.user_token_ttl)
        return _answer(world.forge.tokens.for_user(inst, person.account_id, ttl), ttl)

    return bp


def _claims(world) -> dict:
    """The claims of a valid Bearer token (its site is checked next); GatewayError 401 otherwise."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() != "bearer ":
        raise GatewayError(401, UNAUTHORIZED)
    try:
        return world.forge.tokens.verify(header[7:].strip())
    except TokenError:
        raise GatewayError(401, UNAUTHORIZED) from None
