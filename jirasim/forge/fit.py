"""Forge Invocation Tokens (FITs) and the headers Forge puts on every request to a remote."""
from __future__ import annotations

import secrets
import time

import jwt as pyjwt

from jirasim.forge import keys

ISSUER = "forge/invocation-token"
BACKEND_MODULE = "core:endpoint"


def api_base_url(sim_url: str, cloud_id: str) -> str:
    """The `apiBaseUrl` of a Jira installation: the simulator's stand-in for `https://api.atlassian.com/ex/jira/{cloudId}`."""
    return f"{sim_url.rstrip('/')}/_api/ex/jira/{cloud_id}"


def claims(inst, sim_url: str, module_type: str, module_key: str, *, context: dict | None = None,
           principal: str | None = None, ttl: int = 25) -> dict:
    """The documented FIT claims: `app`, `context` (UI modules only), `principal` (UI only), aud/iss/iat/nbf/exp/jti."""
    base = api_base_url(sim_url, inst.cloud_id)
    now = int(time.time())
    body = {"app": {"id": inst.app_id, "appVersion": inst.app_version, "installationId": inst.installation_id,
                    "apiBaseUrl": base,
                    "installation": {"id": inst.installation_id,
                                     "contexts": [{"name": "jira", "apiBaseUrl": base, "cloudId": inst.cloud_id}]},
                    "environment": {"type": "DEVELOPMENT", "id": inst.environment_id},
                    "module": {"type": module_type, "key": module_key}}}
    if context is not None:
        body["context"] = context
    if principal is not None:
        body["principal"] = principal
    return {**body, "aud": inst.app_id, "iss": ISSUER, "iat": now, "nbf": now, "exp": now + ttl,
            "jti": secrets.token_hex(20)}


def mint(claim_set: dict) -> str:
    """Sign FIT claims with the JWKS key (RS256, header `kid`)."""
    key = keys.current()
    return pyjwt.encode(claim_set, key.private_key, algorithm="RS256", headers={"kid": key.kid, "typ": "JWT"})


def headers(token: str, system_token: str | None) -> dict[str, str]:
    """`authorization: Bearer <FIT>`, the b3 trace headers, and `x-forge-oauth-system` when the endpoint asks for it."""
    found = {"authorization": f"Bearer {token}", "x-b3-traceid": secrets.token_hex(8),
             "x-b3-spanid": secrets.token_hex(8), "User-Agent": "Forge Remote (jirasim)"}
    if system_token:
        found["x-forge-oauth-system"] = system_token
    return found
