"""HS256/RS256 JWT minting and HS256 verification for the Connect host (independent of the app's code)."""
from __future__ import annotations

import time
import uuid

import jwt as pyjwt

from jirasim.connect.qsh import qsh, url_qsh

DEFAULT_TTL = 180


def mint_hs256(secret: str, iss: str, qsh_value: str, *, sub: str | None = None, context: dict | None = None,
               ttl: int = DEFAULT_TTL, now: int | None = None, **extra) -> str:
    """A Jira-style HS256 token (`iss`, `iat`, `exp`, `qsh`, optional `sub` and `context`)."""
    now = int(time.time()) if now is None else now
    claims = {"iss": iss, "iat": now, "exp": now + ttl, "qsh": qsh_value}
    if sub is not None:
        claims["sub"] = sub
    if context is not None:
        claims["context"] = context
    claims.update(extra)
    return pyjwt.encode(claims, secret, algorithm="HS256", headers={"typ": "JWT"})


def mint_for_request(secret: str, iss: str, method: str, url: str, base_path: str = "", **kw) -> str:
    """HS256 token whose qsh covers `method url` relative to `base_path`."""
    return mint_hs256(secret, iss, url_qsh(method, url, base_path), **kw)


def mint_rs256(private_key, kid: str, iss: str, aud: str, method: str, path: str, base_path: str = "",
               *, sub: str | None = None, ttl: int = DEFAULT_TTL) -> str:
    """RS256 signed-install token (header `kid`; claims iss, aud, qsh, iat, exp, sub)."""
    now = int(time.time())
    claims = {"iss": iss, "aud": [aud], "qsh": qsh(method, path, (), base_path), "iat": now,
              "exp": now + ttl, "sub": sub or f"sim:{uuid.uuid4()}"}
    return pyjwt.encode(claims, private_key, algorithm="RS256", headers={"kid": kid, "typ": "JWT"})


def unverified(token: str) -> tuple[dict, dict]:
    """Header and claims of a token without checking anything; raises pyjwt.PyJWTError if malformed."""
    header = pyjwt.get_unverified_header(token)
    claims = pyjwt.decode(token, options={"verify_signature": False})
    return header, claims


def verify_hs256(token: str, secret: str, *, leeway: int = 30, verify_exp: bool = True) -> dict:
    """Claims of a valid HS256 token (signature, `exp`); raises pyjwt.PyJWTError otherwise."""
    return pyjwt.decode(token, secret, algorithms=["HS256"], leeway=leeway,
                        options={"verify_exp": verify_exp, "verify_aud": False, "require": ["iss", "qsh"]})
