"""Verify and mint the HS256 JWTs of Atlassian Connect; pure, no Flask."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import jwt as pyjwt

from plugin.connect.qsh import CONTEXT_QSH, qsh
from plugin.errors import AuthError

ALGORITHM = "HS256"  # fixed in code: the token's own "alg" header never chooses the algorithm
# Longest `exp - iat` accepted. Jira signs page, webhook and lifecycle requests for 3 minutes and
# AP.context.getToken() tokens for 15; a token that claims to live longer was not minted by Jira.
MAX_REQUEST_TOKEN_LIFETIME = 5 * 60
MAX_CONTEXT_TOKEN_LIFETIME = 15 * 60


@dataclass(frozen=True)
class Request:
    """What a token is checked against: method, path (as received) and raw query string."""

    method: str
    path: str
    query: str = ""


@dataclass(frozen=True)
class VerifiedToken:
    """The claims of a token that passed every check."""

    issuer: str
    subject: str | None
    claims: dict

    @property
    def context(self) -> dict:
        return self.claims.get("context") or {}


def unverified_issuer(token: str) -> str:
    """The `iss` claim before verification, to look up the secret; raises AuthError if unreadable."""
    try:  # one unverified parse gives both the header and the claims
        unverified = pyjwt.api_jwt.decode_complete(token, options={"verify_signature": False})
    except pyjwt.PyJWTError as exc:
        raise AuthError(f"malformed JWT: {exc}") from None
    header, claims = unverified["header"], unverified["payload"]
    if header.get("alg") != ALGORITHM:
        raise AuthError(f"JWT algorithm must be {ALGORITHM}")
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or not issuer:
        raise AuthError("JWT has no issuer (iss)")
    return issuer


def verify(token: str, secret_for: Callable[[str], str | None], request: Request, *, base_path: str = "",
           context_qsh: bool = False, leeway: int = 60, now: float | None = None) -> VerifiedToken:
    """Check signature, expiry, issued-at and qsh; `context_qsh` chooses which qsh kind is accepted."""
    issuer = unverified_issuer(token)
    secret = secret_for(issuer)
    if not secret:
        raise AuthError("JWT issuer is not an installed, enabled site")
    current = time.time() if now is None else now
    try:
        claims = pyjwt.decode(
            token, secret, algorithms=[ALGORITHM],
            options={"require": ["iss", "iat", "exp", "qsh"], "verify_aud": False, "verify_iat": False,
                     "verify_exp": False, "verify_nbf": False},
        )
    except pyjwt.MissingRequiredClaimError as exc:
        raise AuthError(f"JWT is missing the {exc.claim} claim") from None
    except pyjwt.InvalidSignatureError:
        raise AuthError("JWT signature does not match") from None
    except pyjwt.PyJWTError as exc:
        raise AuthError(f"JWT is invalid: {exc}") from None
    if not isinstance(claims["exp"], (int, float)) or claims["exp"] + leeway < current:
        raise AuthError("JWT has expired")
    if not isinstance(claims["iat"], (int, float)) or claims["iat"] - leeway > current:
        raise AuthError("JWT was issued in the future")
    check_lifetime(claims, MAX_CONTEXT_TOKEN_LIFETIME if context_qsh else MAX_REQUEST_TOKEN_LIFETIME)
    expected = CONTEXT_QSH if context_qsh else qsh(request.method, request.path, request.query, base_path)
    if claims["qsh"] != expected:
        if claims["qsh"] == CONTEXT_QSH:
            raise AuthError("a context token is not accepted on this route")
        raise AuthError("JWT query string hash does not match this request")
    subject = claims.get("sub")
    return VerifiedToken(issuer=issuer, subject=subject if isinstance(subject, str) else None, claims=claims)


def check_lifetime(claims: dict, max_lifetime: int) -> None:
    """AuthError if the token claims to be valid for longer than `max_lifetime` seconds (`exp - iat`)."""
    if claims["exp"] - claims["iat"] > max_lifetime:
        raise AuthError(f"JWT lifetime (exp - iat) is longer than {max_lifetime} seconds")


def mint(issuer: str, secret: str, method: str, path: str, query: str = "", *, base_path: str = "",
         subject: str | None = None, lifetime: int = 180, extra: dict | None = None,
         now: float | None = None) -> str:
    """An HS256 token for one request; `method="CONTEXT"` mints a context-qsh token."""
    issued = int(time.time() if now is None else now)
    claims = {"iss": issuer, "iat": issued, "exp": issued + lifetime}
    claims["qsh"] = CONTEXT_QSH if method == "CONTEXT" else qsh(method, path, query, base_path)
    if subject:
        claims["sub"] = subject
    if extra:
        claims.update(extra)
    return pyjwt.encode(claims, secret, algorithm=ALGORITHM)
