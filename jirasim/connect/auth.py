"""Verify an app's `Authorization: JWT` on a REST call to a site, then enforce its descriptor scopes."""
from __future__ import annotations

from urllib.parse import urlsplit

import jwt as pyjwt

from jirasim.connect import scopes
from jirasim.connect.qsh import CONTEXT_QSH, qsh
from jirasim.connect.tokens import unverified, verify_hs256
from jirasim.errors import JiraError

LEEWAY = 30


def token_of(request) -> str | None:
    """The JWT of a request: `Authorization: JWT <token>` or the `jwt` query parameter."""
    header = request.headers.get("Authorization", "")
    if header[:4].upper() == "JWT ":
        return header[4:].strip() or None
    return request.args.get("jwt") or None


def verify_app_token(site, method: str, path: str, params, token: str | None):
    """The installation whose valid HS256 token this is, for `method path?params` on `site`; else JiraError(401)."""
    if not token:
        raise JiraError(401, "Client must be authenticated to access this resource.")
    try:
        header, claims = unverified(token)
    except pyjwt.PyJWTError:
        raise JiraError(401, "JWT token is malformed.") from None
    if header.get("alg") != "HS256":
        raise JiraError(401, f"JWT algorithm '{header.get('alg')}' is not accepted; use HS256.")
    inst = site.apps.get(str(claims.get("iss")))
    if inst is None or not inst.enabled:
        raise JiraError(401, f"JWT issuer '{claims.get('iss')}' is not an installed, enabled app on this site.")
    try:
        claims = verify_hs256(token, inst.shared_secret, leeway=LEEWAY)
    except pyjwt.ExpiredSignatureError:
        raise JiraError(401, "JWT token has expired.") from None
    except pyjwt.PyJWTError as exc:
        raise JiraError(401, f"JWT token is invalid: {exc}") from None
    if claims.get("qsh") == CONTEXT_QSH:
        raise JiraError(401, "A context JWT (qsh 'context-qsh') cannot be used to call the REST API.")
    base_path = urlsplit(site.base_url).path.rstrip("/")
    if claims.get("qsh") != qsh(method, path, params, base_path):
        raise JiraError(401, "JWT query string hash (qsh) does not match the request.")
    return inst


def authenticate_app(site, request):
    """The app user for a JWT-authenticated REST request; JiraError 401 (bad token) or 403 (scope)."""
    inst = verify_app_token(site, request.method, request.path, list(request.args.items(multi=True)),
                            token_of(request))
    base_path = urlsplit(site.base_url).path.rstrip("/")
    rel = request.path[len(base_path):] if base_path and request.path.startswith(base_path) else request.path
    reason = scopes.check(inst.scopes, request.method, rel, inst.app_key)
    if reason:
        raise JiraError(403, reason)
    return site.add_app_user(inst.app_key)
