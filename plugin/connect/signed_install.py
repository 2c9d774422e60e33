"""Verify the RS256 JWT that Jira signs the installed/uninstalled lifecycle calls with."""
from __future__ import annotations

import base64
import re

import jwt as pyjwt

from plugin.connect.install_keys import InstallKeys
from plugin.connect.jwt import Request, check_lifetime
from plugin.connect.qsh import qsh
from plugin.errors import AuthError

# Jira signs lifecycle calls for 3 minutes; the margin keeps installs working should that grow a little, and
# every accepted install token is remembered until it expires anyway.
MAX_INSTALL_TOKEN_LIFETIME = 15 * 60


SEGMENT = re.compile(r"[A-Za-z0-9_-]+")


def _canonical(token: str) -> bool:
    """True when each of the three segments is unpadded base64url that re-encodes to itself (PyJWT would also take
    a signature with `==` appended, or with other trailing bits: another text for the same token)."""
    segments = token.split(".")
    if len(segments) != 3 or not all(SEGMENT.fullmatch(s) for s in segments):
        return False
    for segment in segments:
        try:
            decoded = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        except ValueError:
            return False
        if base64.urlsafe_b64encode(decoded).rstrip(b"=").decode("ascii") != segment:
            return False
    return True


def verify_signed_install(token: str | None, keys: InstallKeys, request: Request, *, audience: str,
                          base_path: str = "", leeway: int = 60) -> dict:
    """Claims of a valid install token: RS256 with a key-server key, our `aud`, the request's qsh."""
    if not token:
        raise AuthError("lifecycle call is not signed (no JWT)")
    if not _canonical(token):
        raise AuthError("malformed JWT: each segment must be unpadded base64url")
    try:
        header = pyjwt.get_unverified_header(token)
    except pyjwt.PyJWTError as exc:
        raise AuthError(f"malformed JWT: {exc}") from None
    if header.get("alg") != "RS256":
        raise AuthError("install JWT must be signed with RS256")
    key = keys.public_key(header.get("kid"))
    try:
        claims = pyjwt.decode(token, key, algorithms=["RS256"], audience=audience.rstrip("/"), leeway=leeway,
                              options={"require": ["iss", "aud", "exp", "iat", "qsh"]})
    except pyjwt.InvalidAudienceError:
        raise AuthError("install JWT audience is not this app's base URL") from None
    except pyjwt.ExpiredSignatureError:
        raise AuthError("install JWT has expired") from None
    except pyjwt.MissingRequiredClaimError as exc:
        raise AuthError(f"install JWT is missing the {exc.claim} claim") from None
    except pyjwt.PyJWTError as exc:
        raise AuthError(f"install JWT is invalid: {exc}") from None
    check_lifetime(claims, MAX_INSTALL_TOKEN_LIFETIME)
    if claims["qsh"] != qsh(request.method, request.path, request.query, base_path):
        raise AuthError("install JWT query string hash does not match this request")
    return claims
